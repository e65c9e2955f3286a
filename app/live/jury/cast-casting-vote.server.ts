/**
 * Use case: after a tie, the holder of the casting vote (scheme: president by default) decides between the tied
 * choices of the latest poll on that question; refused on a tie a later vote or consensus left behind, once the
 * candidate is decided, outside a sitting in progress, and without quorum.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { castingVoteHolder, castingVoteRefusal, castingVoteSupersededRefusal, pollOutcome, type Tally } from "~/domain/jury-vote";
import {
  agendaItemOf,
  broadcast,
  loadJury,
  lockJury,
  recusedFor,
  requireInProgress,
  requireCandidateQuorum,
  requireSeat,
  requireUndecided,
  type JuryCommand,
} from "./jury-context.server";

export async function castCastingVote(input: JuryCommand & { pollId: string; choice: string }) {
  const poll = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requireSeat(ctx, input.actorId);
    const poll = ctx.session.polls.find((p) => p.id === input.pollId);
    if (!poll) throw new AppError("NOT_FOUND", "Vote introuvable.");
    if (poll.state !== "FINISHED") throw new AppError("CONFLICT", "Le vote n'est pas clos.");
    if (poll.castingVoteById === input.actorId && poll.castingVoteChoice === input.choice) return poll; // double click
    const item = agendaItemOf(ctx, poll.agendaItemId);
    // Like every command of the deliberation: a sitting in progress, a candidate not decided yet, and quorum (the
    // result binds the decision). Who may use it is castingVoteHolder's (present, not recused; it may not be the one
    // presiding, e.g. the employers' chair).
    requireInProgress(ctx);
    requireUndecided(item);
    // Only the latest poll on its question: a later vote or consensus on it leaves this tie behind.
    const superseded = castingVoteSupersededRefusal(ctx.session.polls.filter((p) => p.agendaItemId === item.id), poll.id);
    if (superseded) throw new AppError("CONFLICT", superseded);
    const recused = await recusedFor(tx, ctx, item);
    requireCandidateQuorum(ctx, recused, "départager le vote");
    const holder = castingVoteHolder(ctx.scheme.jury, ctx.members, ctx.present, recused);
    const outcome = pollOutcome((poll.tallies ?? {}) as Tally, poll.baseCount ?? 0);
    const refusal = castingVoteRefusal(outcome, holder, input.actorId, input.choice, poll.castingVoteChoice !== null);
    if (refusal) throw new AppError(holder.userId !== null && holder.userId !== input.actorId ? "FORBIDDEN" : "CONFLICT", refusal);
    const updated = await tx.juryPoll.update({
      where: { id: poll.id },
      data: { castingVoteChoice: input.choice, castingVoteById: input.actorId, result: input.choice },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.casting_vote",
      subjectType: "JuryPoll",
      subjectId: poll.id,
      data: { sessionId: ctx.session.id, choice: input.choice },
      ...input.meta,
    });
    return updated;
  });
  await broadcast(prisma, input, { type: "poll", agendaItemId: poll.agendaItemId, pollId: poll.id, state: "FINISHED", result: poll.result, tie: poll.tie });
  return { result: poll.result };
}
