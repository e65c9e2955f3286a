/**
 * Download of a candidate's sealed fiche de décision (PDF/A-3b, PAdES), for the jury's seated members not recused for
 * the candidate and the organisation's secretariat; a French page says why while it is not sealed yet. Each download is audited.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordSignedDownload } from "~/platform/audit/record-access.server";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireUser } from "~/platform/auth/guards.server";
import { documentDownload } from "~/platform/http/content-disposition";
import { unavailablePage } from "~/platform/http/unavailable-page";
import { refusalOf } from "~/platform/app-error";
import { renderFailedText } from "~/domain/render-failure";
import { getDecisionSheet, type DecisionSheetView } from "~/live/jury/get-decision-sheet.server";
import { DECISION_KIND } from "~/signing/kinds/decision/decision-kind.server";
import { getSignedPdf } from "~/signing/get-signed-pdf.server";

function whyNot(view: DecisionSheetView): string {
  const sheet = view.sheet;
  if (!sheet) return "Aucune décision n'est encore rendue pour ce candidat : sa fiche de décision n'existe pas encore.";
  if (sheet.status === "OPEN") {
    return "La fiche de décision n'est pas encore soumise à la signature : le président du jury doit la soumettre une fois les préconisations rédigées.";
  }
  if (sheet.status === "SIGNING") {
    const missing = sheet.signers.filter((s) => !s.signed).map((s) => s.displayName);
    return `La fiche de décision est soumise à la signature mais pas encore signée par tous (reste : ${missing.join(", ")}).`;
  }
  if (sheet.pdfFailure) return `La fiche de décision est signée, mais ${renderFailedText(sheet.pdfFailure, "son PDF scellé")}`;
  return "La fiche de décision est signée : son PDF scellé est en préparation, réessayez dans un instant.";
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const sessionId = args.params.sessionId ?? "";
  const agendaItemId = args.params.agendaItemId ?? "";
  let view: DecisionSheetView;
  try {
    view = await getDecisionSheet(user.id, sessionId, agendaItemId);
  } catch (error) {
    const refusal = refusalOf(error);
    return unavailablePage(refusal.status, "Fiche de décision introuvable", refusal.formErrors[0] ?? "Introuvable.", null);
  }
  // A member recused for the candidate does not read the sheet's PDF (decision 0020): refused, with why.
  if (view.sheet?.pdfWithheld) return unavailablePage(403, "Fiche de décision non accessible", view.sheet.pdfWithheld, null);
  const document = view.sheet?.status === "SIGNED" ? await getSignedPdf(DECISION_KIND, agendaItemId) : null;
  if (!document) {
    return unavailablePage(404, "Fiche de décision non disponible", whyNot(view), { href: `/dossiers/${view.dossierId}`, label: "Retour au dossier" });
  }
  const data = { sessionId, agendaItemId };
  await recordSignedDownload(document, { actorId: user.id, organisationId: view.organisationId, data, ...auditMeta(args.request, args.context) });
  return documentDownload(document);
}
