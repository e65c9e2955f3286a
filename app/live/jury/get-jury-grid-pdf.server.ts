/**
 * Query: the signed PDF of a commission grid of a candidate on the jury's agenda, for a seated member or the
 * organisation's secretariat (the jury reads the grids it decides on; it does not sit in the commission).
 */
import { prisma } from "~/platform/db/db.server";
import { getSignedPdf } from "~/signing/get-signed-pdf.server";
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
  return document ? { organisationId: session.organisationId, document } : null;
}
