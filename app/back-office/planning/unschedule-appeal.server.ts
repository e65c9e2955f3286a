/**
 * Takes a pending appeal off a jury's agenda while that jury is still planned (back to « en attente d'un jury »). The
 * members' declarations for the appellant made on that jury go with it (decisions 0020, 0021: each member of the
 * sitting that examines the appeal declares there): a jury it is later put on asks its own members afresh, and a
 * conflict declared for the first jury recuses nobody on the next. The audit event keeps what was cleared.
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit, auditActor } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { isRefusal, loadEditableSession, refuseField } from "./planning-context.server";
import { appealOf, clearAppealDeclarations, NOT_A_JURY } from "./schedule-appeal.server";

export async function unscheduleAppeal(sessionId: string, appealId: string, actor: Actor): Promise<Result> {
  return prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId, { required: "JURY", otherwise: NOT_A_JURY });
    if (isRefusal(ctx)) return ctx;
    const found = await appealOf(tx, appealId, actor.organisationId);
    if (!found || found.appeal.sessionId !== sessionId) return { ok: true as const }; // already off this agenda
    if (found.appeal.status !== "SCHEDULED") return refuseField("appealId", "Ce recours a déjà été examiné.");
    await tx.appeal.update({ where: { id: found.appeal.id }, data: { status: "RECEIVED", sessionId: null } });
    const cleared = await clearAppealDeclarations(tx, found.appeal.id);
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "appeal.unscheduled",
      subjectType: "Appeal",
      subjectId: found.appeal.id,
      data: { sessionId, dossierId: found.appeal.dossierId, ...(cleared.length > 0 ? { declarationsCleared: cleared } : {}) },
    });
    return { ok: true as const };
  });
}
