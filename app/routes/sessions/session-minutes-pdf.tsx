/**
 * Download of a session's sealed procès-verbal (PDF/A-3b, PAdES), for the session's members and the organisation's
 * secretariat; a French page says why while it is not sealed. Each download is audited.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordSignedDownload } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { documentDownload } from "~/platform/http/content-disposition";
import { unavailablePage } from "~/platform/http/unavailable-page";
import { requireUser } from "~/platform/auth/guards.server";
import { renderFailedText } from "~/domain/render-failure";
import { getMinutes } from "~/live/sessions/get-minutes.server";
import { MINUTES_KIND } from "~/signing/kinds/minutes/minutes-kind.server";
import { getSignedPdf } from "~/signing/get-signed-pdf.server";

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
          : minutes.pdfFailure
            ? `Le procès-verbal est signé, mais ${renderFailedText(minutes.pdfFailure, "son PDF scellé")}`
            : "Le procès-verbal est signé : son PDF scellé est en préparation, réessayez dans un instant.";
    const back = { href: `/sessions/${encodeURIComponent(sessionId)}/proces-verbal`, label: "Retour au procès-verbal" };
    return unavailablePage(404, "Procès-verbal non disponible", why, back);
  }
  const data = { sessionId };
  await recordSignedDownload(document, { actorId: user.id, organisationId: minutes.session.organisationId, data, ...auditMeta(args.request, args.context) });
  return documentDownload(document);
}
