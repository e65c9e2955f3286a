/**
 * The address users reach Quorum at, for links written into e-mails (convocations, password reset): the
 * PUBLIC_URL setting, never the request's Host header (a forged Host would otherwise go into the e-mails).
 * Without it: http://localhost:<PORT>, fine for a workstation, wrong for a server — set PUBLIC_URL there.
 */
export function publicUrl(env: Record<string, string | undefined> = process.env): string {
  const configured = env.PUBLIC_URL?.trim();
  if (configured) {
    const url = new URL(configured); // a malformed PUBLIC_URL stops the boot (server.ts calls this at start)
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("PUBLIC_URL doit commencer par https:// ou http://");
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  }
  return `http://localhost:${env.PORT ?? 3000}`;
}
