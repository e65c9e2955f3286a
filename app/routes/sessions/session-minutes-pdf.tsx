/** Download of a session's sealed procès-verbal (PDF/A-3b, PAdES); a French page says why while it is not sealed. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { documentDownload } from "~/platform/http/content-disposition";
import { requireUser } from "~/platform/auth/guards.server";
import { getMinutes } from "~/live/sessions/get-minutes.server";
import { MINUTES_KIND } from "~/signing/kinds/minutes/minutes-kind.server";
import { getSignedPdf } from "~/signing/get-signed-pdf.server";

function notYet(message: string, sessionId: string) {
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Procès-verbal non disponible — Quorum</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto"><h1>Procès-verbal non disponible</h1><p>${message}</p><p><a href="/sessions/${encodeURIComponent(sessionId)}/proces-verbal">Retour au procès-verbal</a></p></body></html>`;
  return new Response(html, { status: 404, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const sessionId = args.params.sessionId ?? "";
  const minutes = await getMinutes(user.id, sessionId, args.context.realtime); // 404 unless seated or managing
  const document = minutes.status === "SIGNED" ? await getSignedPdf(MINUTES_KIND, sessionId) : null;
  if (!document) {
    const why =
      minutes.status === "OPEN"
        ? "Le procès-verbal n'est pas encore finalisé : le ou la secrétaire de séance ou le président doit le finaliser, puis les signataires le signer."
        : minutes.status === "SIGNING"
          ? `Le procès-verbal est finalisé mais pas encore signé par tous (${minutes.signers.filter((s) => !s.signed).map((s) => s.displayName).join(", ")}).`
          : "Le procès-verbal est signé : son PDF scellé est en préparation, réessayez dans un instant.";
    return notYet(why, sessionId);
  }
  return documentDownload(document);
}
