/**
 * Use case: the president closes a vote: totals, outcome by the scheme's majority rule; a tie awaits the casting vote.
 * Refused without quorum: the vote stays open until quorum comes back. Closed by whoever conducts the deliberation on
 * its candidate (the vice-president when the president is recused for it).
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { pollOutcome } from "~/domain/jury-vote";
import { agendaItemOf, broadcast, loadJury, lockJury, recusedFor, requireCandidateQuorum, requirePresiding, requireSeat, type JuryCommand } from "./jury-context.server";
import { sealSecretTallies, talliesOf } from "./poll-rows.server";

export async function closePoll(input: JuryCommand & { pollId: string }) {
  const result = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requireSeat(ctx, input.actorId);
    const poll = ctx.session.polls.find((p) => p.id === input.pollId);
    if (!poll) throw new AppError("NOT_FOUND", "Vote introuvable.");
    // Who closes it is who conducts the deliberation on its candidate (a recused president does not).
    const recused = await recusedFor(tx, ctx, agendaItemOf(ctx, poll.agendaItemId));
    requirePresiding(ctx, input.actorId, recused);
    if (poll.state === "FINISHED") return { poll, changed: false };
    if (poll.state !== "STARTED") throw new AppError("CONFLICT", "Ce vote n'est pas ouvert.");
    // Without quorum the vote stays open (no ballot is accepted meanwhile): its result would bind the decision.
    requireCandidateQuorum(ctx, recused, "clore le vote");
    const counts = await talliesOf(tx, poll);
    if (poll.mode === "SECRET") await sealSecretTallies(tx, poll.id);
    const outcome = pollOutcome(counts, poll.baseCount ?? 0);
    const updated = await tx.juryPoll.update({
      where: { id: poll.id },
      data: {
        state: "FINISHED",
        finishedAt: new Date(),
        tallies: counts as Prisma.InputJsonValue,
        result: outcome.kind === "decided" ? outcome.choice : null,
        tie: outcome.kind === "tie",
      },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.poll_finished",
      subjectType: "JuryPoll",
      subjectId: poll.id,
      data: { sessionId: ctx.session.id, tallies: counts, base: poll.baseCount, outcome },
      ...input.meta,
    });
    return { poll: updated, changed: true };
  });
  const { poll } = result;
  if (result.changed) {
    await broadcast(prisma, input, { type: "poll", agendaItemId: poll.agendaItemId, pollId: poll.id, state: "FINISHED", result: poll.result, tie: poll.tie });
  }
  return { tallies: poll.tallies as Record<string, number>, result: poll.result, tie: poll.tie };
}
