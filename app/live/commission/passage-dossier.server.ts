/**
 * The candidate's dossier as the commission sees it beside the grid: route, positioning, company opinion and
 * evidence (names, types, sizes, SHA-256). Read-only; members reach it through their seat, not the back office.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { CANDIDATE_RECUSAL_SELECT } from "./passage-recusal.server";

/** What the caller may already have read about the passage (its slot context): spares reading it again. */
export type PassageFacts = { dossierId: string | null; candidateId: string; certificationId: string | null };

async function passageFacts(sessionId: string, slotId: string, known?: PassageFacts): Promise<PassageFacts | null> {
  if (known) return known;
  const row = await prisma.sessionSlot.findFirst({
    where: { id: slotId, sessionId },
    select: {
      dossierId: true,
      candidateId: true,
      session: { select: { referentialVersion: { select: { certificationId: true } } } },
    },
  });
  return row ? { dossierId: row.dossierId, candidateId: row.candidateId, certificationId: row.session.referentialVersion?.certificationId ?? null } : null;
}

/**
 * Which dossier a passage is about: the one it names, else the candidate's latest dossier (not withdrawn) for the
 * session's certification. Null when there is none.
 */
function passageDossierWhere(slot: PassageFacts): Prisma.DossierWhereInput | null {
  if (slot.dossierId) return { id: slot.dossierId };
  if (!slot.certificationId) return null;
  return { candidateId: slot.candidateId, certificationId: slot.certificationId, status: { not: "WITHDRAWN" } };
}

async function findPassageDossierId(sessionId: string, slotId: string, known?: PassageFacts): Promise<string | null> {
  const slot = await passageFacts(sessionId, slotId, known);
  if (slot?.dossierId) return slot.dossierId;
  const where = slot && passageDossierWhere(slot);
  if (!where) return null;
  const dossier = await prisma.dossier.findFirst({ where, orderBy: { createdAt: "desc" }, select: { id: true } });
  return dossier?.id ?? null;
}

/** The passage's dossier in one read (the lookup by candidate and certification is part of it). */
export async function getPassageDossier(sessionId: string, slotId: string, known?: PassageFacts) {
  const slot = await passageFacts(sessionId, slotId, known);
  const where = slot && passageDossierWhere(slot);
  if (!where) return null;
  const dossier = await prisma.dossier.findFirst({
    where,
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      route: true,
      status: true,
      positioning: true,
      positionedAt: true,
      companyOpinion: true,
      companyOpinionFavourable: true,
      companyOpinionAt: true,
      // The candidate's recusal facts: the room withholds his files from a recused member (passage-recusal.server.ts).
      candidate: { select: { employer: true, ...CANDIDATE_RECUSAL_SELECT } },
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
