/**
 * The candidate's dossier as the commission sees it beside the grid: route, positioning, company opinion and
 * evidence (names, types, sizes, SHA-256). Read-only; members reach it through their seat, not the back office.
 */
import { prisma } from "~/platform/db/db.server";

/** What the caller may already have read about the passage (its slot context): spares reading it again. */
export type PassageFacts = { dossierId: string | null; candidateId: string; certificationId: string | null };

async function findPassageDossierId(sessionId: string, slotId: string, known?: PassageFacts): Promise<string | null> {
  const slot: PassageFacts | null =
    known ??
    (await prisma.sessionSlot
      .findFirst({
        where: { id: slotId, sessionId },
        select: {
          dossierId: true,
          candidateId: true,
          session: { select: { referentialVersion: { select: { certificationId: true } } } },
        },
      })
      .then((row) =>
        row
          ? { dossierId: row.dossierId, candidateId: row.candidateId, certificationId: row.session.referentialVersion?.certificationId ?? null }
          : null,
      ));
  if (!slot) return null;
  if (slot.dossierId) return slot.dossierId;
  const certificationId = slot.certificationId;
  if (!certificationId) return null;
  const dossier = await prisma.dossier.findFirst({
    where: { candidateId: slot.candidateId, certificationId, status: { not: "WITHDRAWN" } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  return dossier?.id ?? null;
}

export async function getPassageDossier(sessionId: string, slotId: string, known?: PassageFacts) {
  const dossierId = await findPassageDossierId(sessionId, slotId, known);
  if (!dossierId) return null;
  const dossier = await prisma.dossier.findUnique({
    where: { id: dossierId },
    select: {
      id: true,
      route: true,
      status: true,
      positioning: true,
      positionedAt: true,
      companyOpinion: true,
      companyOpinionFavourable: true,
      companyOpinionAt: true,
      candidate: { select: { employer: true } },
      evidence: {
        orderBy: { createdAt: "asc" },
        select: { id: true, kind: true, fileName: true, mimeType: true, size: true, sha256: true },
      },
    },
  });
  if (!dossier) return null;
  const positioning = (dossier.positioning ?? {}) as Record<string, string>;
  return {
    ...dossier,
    positioning: {
      acquired: Object.values(positioning).filter((v) => v === "ACQUIRED").length,
      toAcquire: Object.values(positioning).filter((v) => v === "TO_ACQUIRE").length,
    },
  };
}

/** An evidence file of the passage's dossier, for a member of the session (the route checks the seat). */
export async function getPassageEvidence(sessionId: string, slotId: string, evidenceId: string) {
  const dossierId = await findPassageDossierId(sessionId, slotId);
  if (!dossierId) return null;
  return prisma.evidence.findFirst({ where: { id: evidenceId, dossierId } });
}
