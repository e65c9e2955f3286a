/**
 * Use case: the jury records the outcome of an appeal on its agenda — rejected, or upheld, with its reason — as it
 * records any decision on a candidate (record-decision): conducted by the president, or the vice-president when the
 * president is absent or recused for the appellant (a chair who evaluated or trained him, or declared a conflict,
 * does not; with no chair left, nobody may); with the candidate's quorum (members recused for him not counted), while
 * the sitting is open; taken without a vote, so only once every voting member present, not recused, has declared
 * that he has no link with the appellant (declare-appeal-conflict, as for a consensus: decision 0020). An upheld
 * appeal gives a revised decision of this jury (an agenda item of its own, at the « Décision » step, with the
 * declarations made on the appeal, its method APPEAL) that replaces the contested one; it can only add to what the
 * contested decision acquired, must change it (else the jury rejects the appeal), and names only its blocs or
 * competences (upheldRevision). Then the records of the contested decision are revoked with the reason and the
 * revised decision's record issued (app/delivery/reissue-after-appeal.server.ts). Idempotent.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { APPEAL_OUTCOMES, REASON_MAX, upheldRevision, type AppealOutcome } from "~/domain/appeal";
import { dossierStatusAfterDecision, preconisationsDocumentName, visibleReason, type OverallDecision } from "~/domain/jury-decision";
import { consensusDeclarationRefusal, undeclaredMembers } from "~/domain/jury-vote";
import { motiveProblem, MOTIVE_TOO_SHORT } from "~/domain/motive";
import { textRefusal } from "~/domain/safe-text";
import { reissueAfterAppeal } from "~/delivery/reissue-after-appeal.server";
import {
  appealOnAgenda,
  broadcast,
  loadJury,
  lockJury,
  recusedForAppeal,
  requireCandidateQuorum,
  requireInProgress,
  requirePresiding,
  requireSeat,
  type JuryCommand,
} from "./jury-context.server";

export async function decideAppeal(
  /** acquiredTargetIds: what is acquired after the appeal — blocs, or competences (a bloc acquires its competences). */
  input: JuryCommand & { appealId: string; outcome: string; reason: string; acquiredTargetIds?: string[] },
) {
  const outcome = input.outcome as AppealOutcome;
  if (!APPEAL_OUTCOMES.includes(outcome)) throw AppError.field("outcome", "Choisissez : recours accueilli ou rejeté.");
  const reason = visibleReason(input.reason) ?? "";
  if (!reason) throw AppError.field("reason", "Indiquez le motif de la décision du jury sur ce recours.");
  if (motiveProblem(reason)) throw AppError.field("reason", `Indiquez le motif de la décision du jury sur ce recours : ${MOTIVE_TOO_SHORT}.`);
  if (reason.length > REASON_MAX) throw AppError.field("reason", "Le motif tient en 5 000 caractères au plus.");
  const reasonRefusal = textRefusal(reason, { multiline: true });
  if (reasonRefusal) throw AppError.field("reason", reasonRefusal);
  const acquired = new Set(input.acquiredTargetIds ?? []);
  const result = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requireSeat(ctx, input.actorId);
    const appeal = await appealOnAgenda(tx, ctx, input.appealId);
    // On this candidate, a recused president (or vice-president) does not preside: so no appeal is decided without a
    // chair who may sign the revised decision's sheet.
    const recused = await recusedForAppeal(tx, ctx, appeal);
    requirePresiding(ctx, input.actorId, recused);
    requireInProgress(ctx);
    if (appeal.status === "UPHELD" || appeal.status === "REJECTED") {
      if (appeal.status === outcome) return { changed: false, appeal }; // double click
      throw new AppError("CONFLICT", "Le jury a déjà statué sur ce recours.");
    }
    requireCandidateQuorum(ctx, recused, "statuer sur un recours");
    // Ruled without a vote: as for a consensus, every member present (not recused) declared first that he has no link
    // with the candidate.
    const undeclared = undeclaredMembers(ctx.members, ctx.present, new Set(appeal.declarations.map((d) => d.userId)), recused);
    const notDeclared = consensusDeclarationRefusal(undeclared.map((id) => ctx.session.members.find((m) => m.userId === id)?.user.displayName ?? "Membre"));
    if (notDeclared) throw new AppError("CONFLICT", notDeclared);
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
      const revision = upheldRevision(
        {
          overall: contested.overall as OverallDecision,
          items: contested.items.map((i) => ({ ...i, blocKey: i.target === "BLOC" ? i.targetId : (blocOf.get(i.targetId) ?? i.targetId) })),
        },
        acquired,
        { partialAllowed: ctx.scheme.aggregation.partialAllowed, blocRule: ctx.scheme.aggregation.bloc },
      );
      if (!revision.ok) throw AppError.field(revision.field, revision.message);
      const { overall, items } = revision;
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
          // Taken on the appeal: neither a vote nor a consensus on a deliberation (the room, the sheet and the
          // minutes say « sur recours »).
          method: "APPEAL",
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
      // The declarations made on the appeal are the revised decision's: its sheet's signers leave out whoever
      // declared a conflict, as the jury did.
      if (appeal.declarations.length > 0) {
        await tx.juryConflictDeclaration.createMany({
          data: appeal.declarations.map((d) => ({ agendaItemId: item.id, userId: d.userId, conflict: d.conflict, note: d.note, declaredAt: d.declaredAt })),
        });
      }
      await tx.dossier.update({ where: { id: contested.dossierId }, data: { status: dossierStatusAfterDecision(overall, contested.dossier.route) } });
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
