/**
 * Why a member seated in a commission may not read the files of a passage's candidate — the jury's recusal rule
 * (app/domain/jury-vote.ts, `recusals`), applied to the commission: a conflict of interest they declared for this
 * candidate before one of the organisation's juries (for him on its agenda, or on one of his appeals it examined), or
 * being the candidate's trainer. Evaluating the candidate, which
 * recuses from his jury, is what a commission is for: it bars nothing here.
 */
import { prisma } from "~/platform/db/db.server";
import type { SeatRole } from "~/domain/access";
import { recusals } from "~/domain/jury-vote";

/**
 * What the rule reads of the candidate (a `select` of Candidate): his trainer, the conflicts declared for him before a
 * jury — on its agenda (JuryConflictDeclaration) or on one of his appeals (JuryAppealDeclaration, decision 0021).
 */
export const CANDIDATE_RECUSAL_SELECT = {
  trainerId: true,
  dossiers: {
    select: {
      agendaItems: { select: { conflicts: { where: { conflict: true }, select: { userId: true } } } },
      appeals: { select: { declarations: { where: { conflict: true }, select: { userId: true } } } },
    },
  },
} as const;

type CandidateRecusalFacts = {
  trainerId: string | null;
  dossiers: Array<{ agendaItems: Array<{ conflicts: Array<{ userId: string }> }>; appeals: Array<{ declarations: Array<{ userId: string }> }> }>;
};

/** Who declared, before one of the organisation's juries (the candidate on its agenda, or his appeal), a conflict of interest with him. */
export function declaredConflictIdsOf(candidate: CandidateRecusalFacts): string[] {
  return candidate.dossiers.flatMap((d) => [
    ...d.agendaItems.flatMap((i) => i.conflicts.map((c) => c.userId)),
    ...d.appeals.flatMap((a) => a.declarations.map((c) => c.userId)),
  ]);
}

/** The viewer's recusal for the candidate (its reason, French), or null. */
export function passageRecusalOf(candidate: CandidateRecusalFacts, viewer: { userId: string; role: SeatRole }): string | null {
  const declaredConflictIds = declaredConflictIdsOf(candidate);
  const recused = recusals([{ userId: viewer.userId, role: viewer.role, college: null }], { declaredConflictIds, trainerId: candidate.trainerId });
  return recused.get(viewer.userId) ?? null;
}

/** Query: the viewer's recusal for a passage's candidate; null when none or the passage does not exist (its 404). */
export async function passageRecusal(sessionId: string, slotId: string, viewer: { userId: string; role: SeatRole }): Promise<string | null> {
  const slot = await prisma.sessionSlot.findFirst({
    where: { id: slotId, sessionId },
    select: { candidate: { select: CANDIDATE_RECUSAL_SELECT } },
  });
  return slot ? passageRecusalOf(slot.candidate, viewer) : null;
}
