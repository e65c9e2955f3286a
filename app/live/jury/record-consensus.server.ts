/**
 * Use case: the president records that the jury reached a consensus on a question (a finished poll without ballots).
 * A retried identical consensus is the same one; a different one on a question the jury already pronounced on (a
 * consensus, or a vote that decided) is refused, and so is a consensus while a member present (not recused) has not
 * declared, for this candidate, that he has no link with him.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { consensusDeclarationRefusal, consensusRefusal, undeclaredMembers, voteModeRefusal } from "~/domain/jury-vote";
import { candidateFacts } from "./candidate-facts.server";
import { broadcast, presideOnCandidate, requireCandidateQuorum, requireDeliberating, type JuryCommand } from "./jury-context.server";
import { pollQuestion, pollRowBase, type PollSubjectInput } from "./poll-subject.server";
import { optionsOf } from "./poll-rows.server";

export async function recordConsensus(input: JuryCommand & PollSubjectInput & { agendaItemId: string; choice: string }) {
  const result = await prisma.$transaction(async (tx) => {
    const { ctx, item, recused } = await presideOnCandidate(tx, input);
    requireDeliberating(item);
    const modeRefusal = voteModeRefusal(ctx.scheme.jury, "consensus");
    if (modeRefusal) throw new AppError("CONFLICT", modeRefusal);
    const question = pollQuestion(await candidateFacts(tx, ctx, item), input, ctx.scheme.aggregation.partialAllowed);
    if (!question.options.some((o) => o.value === input.choice)) throw AppError.field("choice", "Choix inconnu.");
    const same = ctx.session.polls.find(
      (p) => p.agendaItemId === item.id && p.mode === "CONSENSUS" && !p.withdrawnAt && p.subject === question.subject && p.subjectId === question.subjectId && p.consensusChoice === input.choice,
    );
    if (same) return { pollId: same.id, changed: false };
    if (ctx.session.polls.some((p) => p.state === "STARTED")) throw new AppError("CONFLICT", "Un vote est en cours : clôturez-le d'abord.");
    // One consensus per question: once the jury pronounced on it (consensus, or a vote that decided), no second one.
    const polls = ctx.session.polls.filter((p) => p.agendaItemId === item.id).map((p) => ({ ...p, options: optionsOf(p) }));
    const already = consensusRefusal(polls, question);
    if (already) throw new AppError("CONFLICT", already);
    requireCandidateQuorum(ctx, recused, "constater un consensus");
    // A consensus is reached among the members present: each (not recused) declared first he has no link with the
    // candidate, as before a ballot.
    const undeclared = undeclaredMembers(ctx.members, ctx.present, new Set(item.conflicts.map((c) => c.userId)), recused);
    const names = undeclared.map((id) => ctx.session.members.find((m) => m.userId === id)?.user.displayName ?? "Membre");
    const notDeclared = consensusDeclarationRefusal(names);
    if (notDeclared) throw new AppError("CONFLICT", notDeclared);
    const now = new Date();
    const poll = await tx.juryPoll.create({
      data: {
        ...pollRowBase(ctx, item, question, input, now),
        mode: "CONSENSUS",
        state: "FINISHED",
        consensusChoice: input.choice,
        result: input.choice,
        finishedAt: now,
      },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.consensus_recorded",
      subjectType: "JuryPoll",
      subjectId: poll.id,
      data: { sessionId: ctx.session.id, agendaItemId: item.id, subject: question.subject, subjectId: question.subjectId, choice: input.choice },
      ...input.meta,
    });
    return { pollId: poll.id, changed: true };
  });
  if (result.changed) {
    await broadcast(prisma, input, { type: "poll", agendaItemId: input.agendaItemId, pollId: result.pollId, state: "FINISHED", result: input.choice, tie: false });
  }
  return result;
}
