/**
 * Use case: a voting member (president, vice-president, member) declares, for one candidate, a conflict of interest
 * (recused) or none, with an optional note of at most 1,000 characters.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { isVotingMember } from "~/domain/quorum";
import { agendaItemOf, broadcast, loadJury, lockJury, requireSeat, type JuryCommand } from "./jury-context.server";

const MAX_NOTE = 1000;

export async function declareConflict(input: JuryCommand & { agendaItemId: string; conflict: boolean; note?: string | null }) {
  const note = input.note?.trim() || null;
  // Kept whole or refused: a note cut short would say something else than what the member wrote.
  if (note && note.length > MAX_NOTE) throw AppError.field("note", "La précision tient en 1 000 caractères au plus.");
  const changed = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    // A declared conflict recuses its author for the candidate: only a voting member has a vote to withdraw from.
    if (!isVotingMember(requireSeat(ctx, input.actorId))) {
      throw new AppError("FORBIDDEN", "Seuls les membres votants du jury déclarent un conflit d'intérêts : un observateur ou le secrétaire de séance ne vote pas.");
    }
    const item = agendaItemOf(ctx, input.agendaItemId);
    if (item.decision) throw new AppError("CONFLICT", "La décision est rendue pour ce candidat.");
    if (ctx.session.polls.some((p) => p.agendaItemId === item.id && p.state === "STARTED")) {
      throw new AppError("CONFLICT", "Un vote est en cours sur ce candidat : déclarez-vous avant le vote suivant.");
    }
    const previous = item.conflicts.find((c) => c.userId === input.actorId);
    if (previous && previous.conflict === input.conflict && previous.note === note) return false;
    await tx.juryConflictDeclaration.upsert({
      where: { agendaItemId_userId: { agendaItemId: item.id, userId: input.actorId } },
      create: { agendaItemId: item.id, userId: input.actorId, conflict: input.conflict, note },
      update: { conflict: input.conflict, note, declaredAt: new Date() },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: input.conflict ? "jury.conflict_declared" : "jury.no_conflict_declared",
      subjectType: "JuryAgendaItem",
      subjectId: item.id,
      data: { sessionId: ctx.session.id, conflict: input.conflict, note },
      ...input.meta,
    });
    return true;
  });
  if (changed) {
    await broadcast(prisma, input, { type: "conflict", agendaItemId: input.agendaItemId, userId: input.actorId, conflict: input.conflict });
  }
  return { changed };
}
