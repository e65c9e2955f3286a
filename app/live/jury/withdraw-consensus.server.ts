/**
 * Use case: the presiding member goes back on a consensus (« Revenir sur le consensus »), with a reason: the consensus
 * stays, marked withdrawn (who, when, why), and no longer settles its question, which a vote or a new consensus may
 * then settle. Refused on a decided candidate, outside its deliberation, with a vote running, and without quorum.
 * Retried, it is the same withdrawal. Audited (`jury.consensus_withdrawn`) and broadcast.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { visibleReason } from "~/domain/jury-decision";
import { withdrawConsensusRefusal } from "~/domain/jury-vote";
import { motiveProblem, MOTIVE_TOO_SHORT } from "~/domain/motive";
import { broadcast, presideOnCandidate, requireCandidateQuorum, requireDeliberating, type JuryCommand } from "./jury-context.server";

const MAX_REASON = 2000;

export async function withdrawConsensus(input: JuryCommand & { pollId: string; reason: string }) {
  const result = await prisma.$transaction(async (tx) => {
    const found = await tx.juryPoll.findFirst({ where: { id: input.pollId, sessionId: input.sessionId }, select: { agendaItemId: true } });
    if (!found) throw new AppError("NOT_FOUND", "Consensus introuvable.");
    const { ctx, item, recused } = await presideOnCandidate(tx, { ...input, agendaItemId: found.agendaItemId });
    const poll = ctx.session.polls.find((p) => p.id === input.pollId);
    if (!poll) throw new AppError("NOT_FOUND", "Consensus introuvable.");
    const refusal = withdrawConsensusRefusal(poll);
    if (refusal) throw new AppError("CONFLICT", refusal);
    if (poll.withdrawnAt) return { agendaItemId: item.id, changed: false }; // a double click withdraws it once
    requireDeliberating(item);
    if (ctx.session.polls.some((p) => p.state === "STARTED")) throw new AppError("CONFLICT", "Un vote est en cours : clôturez-le d'abord.");
    const reason = visibleReason(input.reason);
    if (!reason) throw AppError.field("reason", "Motivez le retour sur le consensus.");
    if (motiveProblem(reason)) throw AppError.field("reason", `Motivez le retour sur le consensus : ${MOTIVE_TOO_SHORT}.`);
    if (reason.length > MAX_REASON) throw AppError.field("reason", `Le motif ne peut dépasser ${MAX_REASON} caractères.`);
    requireCandidateQuorum(ctx, recused, "revenir sur le consensus");
    const now = new Date();
    await tx.juryPoll.update({ where: { id: poll.id }, data: { withdrawnAt: now, withdrawnById: input.actorId, withdrawnReason: reason } });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.consensus_withdrawn",
      subjectType: "JuryPoll",
      subjectId: poll.id,
      data: { sessionId: ctx.session.id, agendaItemId: item.id, subject: poll.subject, subjectId: poll.subjectId, choice: poll.consensusChoice, reason },
      ...input.meta,
    });
    return { agendaItemId: item.id, changed: true };
  });
  if (result.changed) {
    await broadcast(prisma, input, { type: "poll", agendaItemId: result.agendaItemId, pollId: input.pollId, state: "WITHDRAWN", result: null, tie: false });
  }
  return { changed: result.changed };
}
