/**
 * Query: the signed PDF of a commission grid of a candidate on the jury's agenda, for a seated member or the
 * organisation's secretariat (the jury reads the grids it decides on; it does not sit in the commission). A member
 * recused for the candidate (declared conflict, his trainer, his evaluator) is refused it (403, with why:
 * `recusedEvaluationRefusal`). `failure`: signed, but its PDF could not be produced.
 */
import { prisma } from "~/platform/db/db.server";
import { getSignedPdf } from "~/signing/get-signed-pdf.server";
import { renderFailureOf } from "~/signing/render-failure.server";
import { AppError } from "~/platform/app-error";
import { recusedEvaluationRefusal } from "~/domain/jury-vote";
import { requireJuryViewer } from "./jury-viewer.server";
import { viewerRecusal } from "./jury-context.server";

export async function getJuryGridPdf(sessionId: string, viewerId: string, slotId: string) {
  const { session, role } = await requireJuryViewer(sessionId, viewerId);
  const slot = await prisma.sessionSlot.findFirst({
    where: {
      id: slotId,
      session: { kind: "COMMISSION", organisationId: session.organisationId },
      OR: [
        { dossierId: { in: session.agenda.map((a) => a.dossierId) } },
        { dossierId: null, candidateId: { in: session.agenda.map((a) => a.dossier.candidateId) } },
      ],
    },
    select: { id: true, dossierId: true, candidateId: true },
  });
  if (!slot) return null;
  if (role !== null) {
    // The candidate's dossiers on this agenda (the passage's own, or the candidate's when the passage names none).
    const dossierIds = session.agenda
      .filter((a) => (slot.dossierId ? a.dossierId === slot.dossierId : a.dossier.candidateId === slot.candidateId))
      .map((a) => a.dossierId);
    for (const dossierId of dossierIds) {
      const refusal = recusedEvaluationRefusal(await viewerRecusal(prisma, sessionId, dossierId, viewerId));
      if (refusal) throw new AppError("FORBIDDEN", refusal);
    }
  }
  const document = await getSignedPdf("grid", slot.id);
  if (document) return { organisationId: session.organisationId, document, failure: null };
  // Not rendered (yet, or given up on: said as such, never « en préparation » forever).
  const failure = await renderFailureOf("grid", slot.id);
  return failure ? { organisationId: session.organisationId, document: null, failure } : null;
}
