/**
 * Use case: the jury (its president, or the vice-president when the president is absent) records the outcome of an
 * appeal on its agenda — rejected, or upheld, with its reason; with quorum, while the sitting is open. An upheld
 * appeal that changes the contested decision gives a revised decision of this jury (an agenda item of its own, at the
 * « Décision » step) that replaces the contested one; then the records of the contested decision are revoked with the
 * reason and the revised decision's record issued (app/delivery/reissue-after-appeal.server.ts). Idempotent.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { APPEAL_OUTCOMES, REASON_MIN, reviseDecision, type AppealOutcome } from "~/domain/appeal";
import { dossierStatusAfterDecision, preconisationsDocumentName, type OverallDecision } from "~/domain/jury-decision";
import { textRefusal } from "~/domain/safe-text";
import { reissueAfterAppeal } from "~/delivery/reissue-after-appeal.server";
import { broadcast, loadJury, lockJury, requireInProgress, requirePresiding, requireQuorum, type JuryCommand } from "./jury-context.server";

export async function decideAppeal(
  /** acquiredTargetIds: what is acquired after the appeal — blocs, or competences (a bloc acquires its competences). */
  input: JuryCommand & { appealId: string; outcome: string; reason: string; acquiredTargetIds?: string[] },
) {
  const outcome = input.outcome as AppealOutcome;
  if (!APPEAL_OUTCOMES.includes(outcome)) throw AppError.field("outcome", "Choisissez : recours accueilli ou rejeté.");
  const reason = input.reason.trim();
  if (reason.length < REASON_MIN) throw AppError.field("reason", "Indiquez le motif de la décision du jury sur ce recours.");
  if (reason.length > 5000) throw AppError.field("reason", "Le motif tient en 5 000 caractères au plus.");
  const reasonRefusal = textRefusal(reason, { multiline: true });
  if (reasonRefusal) throw AppError.field("reason", reasonRefusal);
  const acquired = new Set(input.acquiredTargetIds ?? []);
  const result = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requirePresiding(ctx, input.actorId);
    requireInProgress(ctx);
    const appeal = await tx.appeal.findFirst({ where: { id: input.appealId, sessionId: ctx.session.id } });
    if (!appeal) throw new AppError("NOT_FOUND", "Ce recours n'est pas à l'ordre du jour de ce jury.");
    if (appeal.status === "UPHELD" || appeal.status === "REJECTED") {
      if (appeal.status === outcome) return { changed: false, appeal }; // double click
      throw new AppError("CONFLICT", "Le jury a déjà statué sur ce recours.");
    }
    requireQuorum(ctx, "statuer sur un recours");
    const contested = await tx.juryDecision.findUniqueOrThrow({
      where: { id: appeal.decisionId },
      include: { items: true, dossier: { select: { route: true } } },
    });
    const now = new Date();
    let newDecisionId: string | null = null;
    let revised: { overall: OverallDecision; items: Array<{ targetId: string; code: string; acquired: boolean }> } | null = null;
    if (outcome === "UPHELD") {
      const competences = await tx.competence.findMany({
        where: { id: { in: contested.items.filter((i) => i.target === "COMPETENCE").map((i) => i.targetId) } },
        select: { id: true, blocId: true },
      });
      const blocOf = new Map(competences.map((c) => [c.id, c.blocId]));
      const { overall, items, changes } = reviseDecision(
        {
          overall: contested.overall as OverallDecision,
          items: contested.items.map((i) => ({ ...i, blocKey: i.target === "BLOC" ? i.targetId : (blocOf.get(i.targetId) ?? i.targetId) })),
        },
        acquired,
        ctx.scheme.aggregation.partialAllowed,
      );
      if (changes) {
        revised = { overall, items };
        if (ctx.session.agenda.some((a) => a.dossierId === contested.dossierId)) {
          throw new AppError("CONFLICT", "Ce candidat est aussi à l'ordre du jour de ce jury : sa décision ne peut être remplacée par celle du recours.");
        }
        const position = ctx.session.agenda.reduce((max, a) => Math.max(max, a.position), 0) + 1;
        const item = await tx.juryAgendaItem.create({
          data: { sessionId: ctx.session.id, dossierId: contested.dossierId, position, phase: "DECISION", phaseStartedAt: now },
        });
        const created = await tx.juryDecision.create({
          data: {
            sessionId: ctx.session.id,
            agendaItemId: item.id,
            dossierId: contested.dossierId,
            overall,
            granularity: contested.granularity,
            method: "CONSENSUS",
            preconisationsDoc: preconisationsDocumentName(ctx.session.id, item.id),
            decidedById: input.actorId,
            decidedAt: now,
            items: {
              create: items.map((i) => ({
                target: i.target,
                targetId: i.targetId,
                code: i.code,
                commissionOutcome: i.commissionOutcome,
                acquired: i.acquired,
                followed: i.acquired === (i.commissionOutcome === "acquired"),
                reason: i.changed ? `Recours accueilli : ${reason}` : i.reason,
              })),
            },
          },
        });
        newDecisionId = created.id;
        await tx.dossier.update({ where: { id: contested.dossierId }, data: { status: dossierStatusAfterDecision(overall, contested.dossier.route) } });
      }
    }
    const updated = await tx.appeal.update({
      where: { id: appeal.id },
      data: { status: outcome, outcomeReason: reason, outcomeAt: now, outcomeById: input.actorId, newDecisionId },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "appeal.decided",
      subjectType: "Appeal",
      subjectId: appeal.id,
      data: {
        sessionId: ctx.session.id,
        dossierId: contested.dossierId,
        contestedDecisionId: contested.id,
        outcome,
        reason,
        newDecisionId,
        revised: revised ? { overall: revised.overall, acquired: revised.items.filter((i) => i.acquired).map((i) => i.code) } : null,
      },
      ...input.meta,
    });
    return { changed: true, appeal: updated };
  });
  if (!result.changed) return { changed: false, status: result.appeal.status, newDecisionId: result.appeal.newDecisionId };
  await broadcast(prisma, input, { type: "appeal", appealId: input.appealId, status: outcome });
  const reissued = result.appeal.newDecisionId
    ? await reissueAfterAppeal({ appealId: result.appeal.id, actorId: input.actorId, meta: input.meta })
    : null;
  return { changed: true, status: outcome, newDecisionId: result.appeal.newDecisionId, reissued };
}
