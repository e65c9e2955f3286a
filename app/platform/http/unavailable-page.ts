/**
 * The small French page a document download answers while its document is not there (not sealed yet, not signed by
 * all, its PDF in preparation): a link followed in a browser shows why, with a way back. What it says may name people
 * (the signers still to sign): every text is escaped, never markup.
 */
const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

export function unavailablePage(status: number, heading: string, message: string, back: { href: string; label: string } | null): Response {
  const link = back ? `<p><a href="${escape(back.href)}">${escape(back.label)}</a></p>` : "";
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(heading)} — Quorum</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem"><h1>${escape(heading)}</h1><p>${escape(message)}</p>${link}</body></html>`;
  return new Response(html, { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}
