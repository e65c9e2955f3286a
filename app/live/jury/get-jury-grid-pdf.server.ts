/**
 * Query: the signed PDF of a commission grid of a candidate on the jury's agenda, for a seated member or the
 * organisation's secretariat (the jury reads the grids it decides on; it does not sit in the commission). `failure`:
 * signed, but its PDF could not be produced.
 */
import { prisma } from "~/platform/db/db.server";
import { getSignedPdf } from "~/signing/get-signed-pdf.server";
import { renderFailureOf } from "~/signing/render-failure.server";
import { requireJuryViewer } from "./jury-viewer.server";

export async function getJuryGridPdf(sessionId: string, viewerId: string, slotId: string) {
  const { session } = await requireJuryViewer(sessionId, viewerId);
  const slot = await prisma.sessionSlot.findFirst({
    where: {
      id: slotId,
      session: { kind: "COMMISSION", organisationId: session.organisationId },
      OR: [
        { dossierId: { in: session.agenda.map((a) => a.dossierId) } },
        { dossierId: null, candidateId: { in: session.agenda.map((a) => a.dossier.candidateId) } },
      ],
    },
    select: { id: true },
  });
  if (!slot) return null;
  const document = await getSignedPdf("grid", slot.id);
  if (document) return { organisationId: session.organisationId, document, failure: null };
  // Not rendered (yet, or given up on: said as such, never « en préparation » forever).
  const failure = await renderFailureOf("grid", slot.id);
  return failure ? { organisationId: session.organisationId, document: null, failure } : null;
}
