/**
 * Use case: a voting member (president, vice-president, member) declares, for one candidate, a conflict of interest
 * (recused) or none, with an optional note of at most 1,000 characters. A conflict declared after the member took part
 * in a finished vote or consensus on the candidate withdraws it (`withdrawnAt`, with the reason): it no longer binds
 * the decision, which waits for the jury to vote or agree again without him. The declaration comes before the member's
 * ballot and any consensus on the candidate (cast-vote, record-consensus); « no link » may be declared during a vote.
 * A member recused for a link Quorum knows (the candidate's trainer or evaluator) has nothing to declare: refused.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { knownLinkDeclarationRefusal, lateConflictReason, tookPartIn } from "~/domain/jury-vote";
import { presentFromAttendance } from "~/domain/quorum";
import {
  agendaItemOf,
  broadcast,
  declarationNote,
  evaluatorIdsOf,
  loadJury,
  lockJury,
  recusalsOf,
  requireDeclaringMember,
  requireNotPostponed,
  type JuryCommand,
} from "./jury-context.server";
import { rightsOf } from "./poll-rows.server";

export async function declareConflict(input: JuryCommand & { agendaItemId: string; conflict: boolean; note?: string | null }) {
  const note = declarationNote(input.note);
  const changed = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requireDeclaringMember(ctx, input.actorId);
    const item = agendaItemOf(ctx, input.agendaItemId);
    if (item.decision) throw new AppError("CONFLICT", "La décision est rendue pour ce candidat.");
    requireNotPostponed(item);
    // Recused for a link Quorum knows (his trainer, his evaluator): nothing to declare, « aucun lien » would be false.
    const knownLink = recusalsOf(ctx, { ...item, conflicts: [] }, await evaluatorIdsOf(tx, ctx, item)).get(input.actorId);
    const knownLinkRefusal = knownLinkDeclarationRefusal(knownLink);
    if (knownLinkRefusal) throw new AppError("CONFLICT", knownLinkRefusal);
    const previous = item.conflicts.find((c) => c.userId === input.actorId);
    // During a vote, a member may still declare he has no link (then cast his ballot): that changes nobody's right. A
    // conflict (or going back on one) would change who votes on a vote already under way: it waits for its close.
    const running = ctx.session.polls.some((p) => p.agendaItemId === item.id && p.state === "STARTED");
    if (running && (input.conflict || previous?.conflict)) {
      throw new AppError("CONFLICT", "Un vote est en cours sur ce candidat : déclarez-vous avant le vote suivant.");
    }
    if (previous && previous.conflict === input.conflict && previous.note === note) return false;
    await tx.juryConflictDeclaration.upsert({
      where: { agendaItemId_userId: { agendaItemId: item.id, userId: input.actorId } },
      create: { agendaItemId: item.id, userId: input.actorId, conflict: input.conflict, note },
      update: { conflict: input.conflict, note, declaredAt: new Date() },
    });
    // A conflict declared after taking part in a vote or a consensus on this candidate: that vote or consensus no
    // longer counts (withdrawn, with the reason), so the decision waits for the jury to pronounce again without him.
    const voided: string[] = [];
    if (input.conflict) {
      const name = ctx.session.members.find((m) => m.userId === input.actorId)?.user.displayName ?? "Un membre";
      const now = new Date();
      for (const poll of ctx.session.polls) {
        if (poll.agendaItemId !== item.id || poll.state !== "FINISHED" || poll.withdrawnAt) continue;
        const presentThen = presentFromAttendance(ctx.session.attendance.filter((a) => a.at <= (poll.finishedAt ?? now))).has(input.actorId);
        if (!tookPartIn({ mode: poll.mode, rights: rightsOf(poll) }, input.actorId, presentThen)) continue;
        await tx.juryPoll.update({
          where: { id: poll.id },
          data: { withdrawnAt: now, withdrawnById: input.actorId, withdrawnReason: lateConflictReason(name, poll.mode) },
        });
        voided.push(poll.id);
      }
    }
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: input.conflict ? "jury.conflict_declared" : "jury.no_conflict_declared",
      subjectType: "JuryAgendaItem",
      subjectId: item.id,
      data: { sessionId: ctx.session.id, conflict: input.conflict, note, ...(voided.length > 0 ? { voidedPollIds: voided } : {}) },
      ...input.meta,
    });
    return true;
  });
  if (changed) {
    // A conflict declared (or withdrawn) bars (or frees) the member from evaluating the candidate in a commission too
    // (`evaluationBar`): his open grid connections re-check their access now, a writable one becoming read-only.
    await input.realtime
      .refreshUserAccess(input.actorId)
      .catch((error: unknown) => console.error(`[quorum] jury ${input.sessionId} : droits de ${input.actorId} sur les grilles non réévalués`, error));
    await broadcast(prisma, input, { type: "conflict", agendaItemId: input.agendaItemId, userId: input.actorId, conflict: input.conflict });
  }
  return { changed };
}
