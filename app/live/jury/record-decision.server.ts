/**
 * Use case: the president records the jury's decision on a candidate: refused without quorum, with a vote open on
 * the candidate, or while a non-conformity is unacknowledged; per bloc or competence (scheme) followed or overturned
 * with a reason; the overall decision must agree with the blocs acquired and with the latest finished vote on it, and
 * waits while that vote, or the latest on a bloc or competence, has no result (a tie not broken, no majority). Its method is that vote's mode, or consensus
 * when no vote was taken (then every member present, not recused, must have declared no link with the candidate, as
 * for a consensus). The dossier moves to « Décision rendue », or back to its route for an ajournement.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import {
  checkDecision,
  dossierStatusAfterDecision,
  OVERALL_DECISION_LABELS,
  OVERALL_DECISIONS,
  preconisationsDocumentName,
  type OverallDecision,
  type TargetChoice,
} from "~/domain/jury-decision";
import { consensusDeclarationRefusal, overallPollOf, standingPolls, targetPollsRefusal, undeclaredMembers } from "~/domain/jury-vote";
import { candidateFacts } from "./candidate-facts.server";
import { broadcast, presideOnCandidate, requireCandidateQuorum, type JuryCommand } from "./jury-context.server";

export async function recordDecision(
  input: JuryCommand & {
    agendaItemId: string;
    overall: string;
    adjournmentReason?: string | null;
    choices: TargetChoice[];
  },
) {
  const overall = input.overall as OverallDecision;
  if (!OVERALL_DECISIONS.includes(overall)) throw AppError.field("overall", "Choisissez la décision d'ensemble.");
  const decision = await prisma.$transaction(async (tx) => {
    const { ctx, item, recused } = await presideOnCandidate(tx, input);
    if (item.decision) {
      if (item.decision.overall === overall) return { decision: item.decision, changed: false }; // double click
      throw new AppError("CONFLICT", "La décision est déjà rendue pour ce candidat.");
    }
    requireCandidateQuorum(ctx, recused, "rendre une décision");
    if (item.phase !== "DECISION") throw new AppError("CONFLICT", "Passez d'abord ce candidat à l'étape « Décision ».");
    const polls = ctx.session.polls.filter((p) => p.agendaItemId === item.id);
    if (polls.some((p) => p.state === "STARTED")) throw new AppError("CONFLICT", "Un vote est en cours sur ce candidat.");
    const { poll: overallPoll, refusal: pollRefusal } = overallPollOf(polls);
    if (pollRefusal) throw new AppError("CONFLICT", pollRefusal);
    // Without a vote on it, the overall decision is filed as the consensus of the members present: each of them (not
    // recused) declared first that he has no link with the candidate, as for a consensus recorded (decision 0020).
    if (!overallPoll) {
      const undeclared = undeclaredMembers(ctx.members, ctx.present, new Set(item.conflicts.map((c) => c.userId)), recused);
      const notDeclared = consensusDeclarationRefusal(undeclared.map((id) => ctx.session.members.find((m) => m.userId === id)?.user.displayName ?? "Membre"));
      if (notDeclared) throw new AppError("CONFLICT", notDeclared);
    }
    // A bloc's or competence's vote without a result holds the decision as well.
    const targetRefusal = targetPollsRefusal(polls);
    if (targetRefusal) throw new AppError("CONFLICT", targetRefusal);
    const facts = await candidateFacts(tx, ctx, item);
    if (!facts.conformity.conform && !item.conformityAckAt) {
      throw new AppError("CONFLICT", "Des non-conformités n'ont pas été examinées : confirmez la conformité avec vos remarques.", {
        details: facts.conformity.nonConformities.map((n) => `${n.label} : ${n.reason ?? ""}`),
      });
    }
    const check = checkDecision({
      granularity: ctx.scheme.jury.decisionGranularity,
      blocRule: ctx.scheme.aggregation.bloc,
      partialAllowed: ctx.scheme.aggregation.partialAllowed,
      blocs: facts.targets,
      overall,
      adjournmentReason: input.adjournmentReason,
      choices: input.choices,
    });
    if (!check.ok) {
      throw new AppError("INVALID", "La décision est incomplète ou incohérente.", {
        fieldErrors: Object.fromEntries(Object.entries(check.errors).map(([k, v]) => [k, [v]])),
      });
    }
    // The decision follows the votes taken: the latest finished vote (or consensus) on the overall decision binds it.
    if (overallPoll && overallPoll.result !== overall) {
      throw AppError.field(
        "overall",
        `Le jury a décidé « ${OVERALL_DECISION_LABELS[overallPoll.result as OverallDecision] ?? overallPoll.result} » : la décision d'ensemble doit le reprendre.`,
        "CONFLICT",
      );
    }
    for (const decided of check.items) {
      const poll = [...standingPolls(polls)].reverse().find((p) => p.subjectId === decided.targetId && p.state === "FINISHED" && p.result);
      if (poll && (poll.result === "ACQUIRED") !== decided.acquired) {
        throw AppError.field(`choices.${decided.targetId}`, `${decided.code} : la décision doit reprendre le résultat du vote.`, "CONFLICT");
      }
    }
    const created = await tx.juryDecision.create({
      data: {
        sessionId: ctx.session.id,
        agendaItemId: item.id,
        dossierId: item.dossierId,
        overall,
        granularity: ctx.scheme.jury.decisionGranularity,
        adjournmentReason: overall === "ADJOURNED" ? input.adjournmentReason?.trim() : null,
        method: overallPoll?.mode ?? "CONSENSUS",
        pollId: overallPoll?.id ?? null,
        tallies: (overallPoll?.tallies ?? undefined) as Prisma.InputJsonValue | undefined,
        castingVoteUsed: overallPoll?.castingVoteChoice != null,
        preconisationsDoc: preconisationsDocumentName(ctx.session.id, item.id),
        decidedById: input.actorId,
        items: { create: check.items.map(({ target, targetId, code, commissionOutcome, acquired, followed, reason }) => ({ target, targetId, code, commissionOutcome, acquired, followed, reason })) },
      },
      include: { items: true },
    });
    const status = dossierStatusAfterDecision(overall, item.dossier.route);
    await tx.dossier.update({ where: { id: item.dossierId }, data: { status } });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.decision_recorded",
      subjectType: "JuryDecision",
      subjectId: created.id,
      data: {
        sessionId: ctx.session.id,
        agendaItemId: item.id,
        dossierId: item.dossierId,
        overall,
        adjournmentReason: created.adjournmentReason,
        items: check.items,
        pollId: created.pollId,
        dossierStatus: status,
      },
      ...input.meta,
    });
    return { decision: created, changed: true };
  });
  if (decision.changed) await broadcast(prisma, input, { type: "decision", agendaItemId: input.agendaItemId, overall });
  return { decisionId: decision.decision.id, changed: decision.changed };
}
