/**
 * Puts a pending appeal on a later jury's agenda (the jury examines it and records its outcome). The jury must be
 * of the contested decision's certification, still planned, later than the decision and not the jury that took it. Idempotent; one transaction with its audit event.
 * Its members declare for the appellant on this jury: no declaration made on a jury it was on before is kept.
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit, auditActor } from "~/platform/audit/record-audit.server";
import type { Prisma } from "~/platform/db/db.server";
import { prisma } from "~/platform/db/db.server";
import { isRefusal, loadEditableSession, refuse, refuseField } from "./planning-context.server";

export const NOT_A_JURY = "Une commission d'évaluation n'examine pas les recours : choisissez un jury.";

export async function appealOf(tx: Prisma.TransactionClient, appealId: string, organisationId: string) {
  const appeal = await tx.appeal.findFirst({ where: { id: appealId, organisationId } });
  if (!appeal) return null;
  const decision = await tx.juryDecision.findUniqueOrThrow({
    where: { id: appeal.decisionId },
    select: { sessionId: true, decidedAt: true, dossier: { select: { certificationId: true } } },
  });
  return { appeal, decision };
}

/**
 * Deletes an appeal's declarations (made by the members of the jury it was on), returning what they said for the
 * audit event. Declarations belong to the sitting that examines the appeal, never carried to another jury.
 */
export async function clearAppealDeclarations(tx: Prisma.TransactionClient, appealId: string) {
  const declarations = await tx.juryAppealDeclaration.findMany({
    where: { appealId },
    orderBy: { declaredAt: "asc" },
    select: { userId: true, conflict: true, declaredAt: true },
  });
  if (declarations.length > 0) await tx.juryAppealDeclaration.deleteMany({ where: { appealId } });
  return declarations.map((d) => ({ userId: d.userId, conflict: d.conflict, declaredAt: d.declaredAt.toISOString() }));
}

export async function scheduleAppeal(sessionId: string, appealId: string, actor: Actor): Promise<Result> {
  return prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId, { required: "JURY", otherwise: NOT_A_JURY });
    if (isRefusal(ctx)) return ctx;
    const found = await appealOf(tx, appealId, actor.organisationId);
    if (!found) return refuseField("appealId", "Ce recours n'existe pas.");
    const { appeal, decision } = found;
    if (appeal.status === "SCHEDULED" && appeal.sessionId === sessionId) return { ok: true as const };
    if (appeal.status !== "RECEIVED") {
      return refuseField("appealId", appeal.status === "SCHEDULED" ? "Ce recours est déjà inscrit à l'ordre du jour d'un autre jury." : "Ce recours a déjà été examiné.");
    }
    if (ctx.certification?.id !== decision.dossier.certificationId) {
      return refuseField("appealId", "Ce recours porte sur une autre certification que celle de ce jury.");
    }
    if (decision.sessionId === sessionId) return refuseField("appealId", "Un recours est examiné par un jury ultérieur, pas par celui qui a décidé.");
    if (ctx.session.startsAt.getTime() <= decision.decidedAt.getTime()) {
      return refuseField("appealId", "Ce jury se tient avant la décision contestée : choisissez un jury ultérieur.");
    }
    const moved = await tx.appeal.updateMany({ where: { id: appeal.id, status: "RECEIVED" }, data: { status: "SCHEDULED", sessionId } });
    if (moved.count !== 1) return refuse(["Le recours a changé entre-temps : rechargez la page."]);
    // Its new jury's members declare afresh: none left from a jury it was on before (taken off before this rule).
    const cleared = await clearAppealDeclarations(tx, appeal.id);
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "appeal.scheduled",
      subjectType: "Appeal",
      subjectId: appeal.id,
      data: { sessionId, dossierId: appeal.dossierId, ...(cleared.length > 0 ? { declarationsCleared: cleared } : {}) },
    });
    return { ok: true as const };
  });
}
