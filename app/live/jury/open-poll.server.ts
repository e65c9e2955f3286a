/**
 * Use case: the president opens a vote (open or secret, within the modes the scheme allows) on a candidate: refused
 * without quorum; the entitled voters (present, or present and represented, minus the recused) are frozen now.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { electorate, openPollRefusal, runningModeRefusal, voteModeRefusal, POLL_MODE_OF } from "~/domain/jury-vote";
import type { VoteMode } from "~/domain/scheme";
import { candidateFacts } from "./candidate-facts.server";
import { broadcast, presideOnCandidate, requireCandidateQuorum, requireDeliberating, type JuryCommand } from "./jury-context.server";
import { pollQuestion, pollRowBase, type PollSubjectInput } from "./poll-subject.server";
import { optionsOf } from "./poll-rows.server";

export async function openPoll(input: JuryCommand & PollSubjectInput & { agendaItemId: string; mode?: string | null }) {
  const result = await prisma.$transaction(async (tx) => {
    const { ctx, item, recused } = await presideOnCandidate(tx, input);
    requireDeliberating(item);
    const mode = (input.mode || ctx.scheme.jury.defaultVoteMode) as VoteMode;
    if (mode !== "open" && mode !== "secret") {
      throw AppError.field("mode", mode === "consensus" ? "Le consensus s'enregistre sans vote." : "Mode de vote inconnu.");
    }
    const modeRefusal = voteModeRefusal(ctx.scheme.jury, mode);
    if (modeRefusal) throw AppError.field("mode", modeRefusal, "CONFLICT");
    const facts = await candidateFacts(tx, ctx, item);
    const question = pollQuestion(facts, input, ctx.scheme.aggregation.partialAllowed);
    const running = ctx.session.polls.find((p) => p.state === "STARTED");
    if (running) {
      if (running.agendaItemId === item.id && running.subject === question.subject && running.subjectId === question.subjectId) {
        const otherMode = runningModeRefusal(running.mode, POLL_MODE_OF[mode]);
        if (otherMode) throw new AppError("CONFLICT", otherMode);
        return { pollId: running.id, changed: false }; // a double click opens one vote
      }
      throw new AppError("CONFLICT", "Un autre vote est en cours : clôturez-le d'abord.");
    }
    // A consensus settles its question: the jury goes back on it explicitly (withdraw-consensus), never by a vote.
    const settled = openPollRefusal(ctx.session.polls.filter((p) => p.agendaItemId === item.id).map((p) => ({ ...p, options: optionsOf(p) })), question);
    if (settled) throw new AppError("CONFLICT", settled);
    requireCandidateQuorum(ctx, recused, "ouvrir un vote");
    const voters = electorate(ctx.scheme.jury, ctx.members, ctx.present, ctx.session.proxies, recused);
    if (voters.base === 0) throw new AppError("CONFLICT", "Aucun membre présent ne peut prendre part à ce vote.");
    const now = new Date();
    const poll = await tx.juryPoll.create({
      data: {
        ...pollRowBase(ctx, item, question, input, now),
        mode: POLL_MODE_OF[mode],
        state: "STARTED",
        entitledVoterIds: voters.rights as Prisma.InputJsonValue,
        recusedUserIds: [...recused.entries()].map(([userId, reason]) => ({ userId, reason })) as Prisma.InputJsonValue,
        baseCount: voters.base,
      },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.poll_started",
      subjectType: "JuryPoll",
      subjectId: poll.id,
      data: { sessionId: ctx.session.id, agendaItemId: item.id, subject: question.subject, subjectId: question.subjectId, mode, voters: voters.rights, recused: [...recused.keys()] },
      ...input.meta,
    });
    return { pollId: poll.id, changed: true };
  });
  if (result.changed) {
    await broadcast(prisma, input, { type: "poll", agendaItemId: input.agendaItemId, pollId: result.pollId, state: "STARTED", result: null, tie: false });
  }
  return result;
}
