/** Takes a dossier off a planned jury's agenda; the dossier goes back to COMPLETE in the same transaction. */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import {
  dossierBackToComplete,
  dossierBackToCompleteAudit,
  isRefusal,
  loadEditableSession,
  refuse,
  toCandidateRef,
} from "./planning-context.server";

export async function removeAgendaItem(sessionId: string, itemId: string, actor: Actor): Promise<Result> {
  return prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId);
    if (isRefusal(ctx)) return ctx;
    const item = ctx.session.agenda.find((a) => a.id === itemId);
    if (!item) return refuse(["Ce dossier n'est plus à l'ordre du jour."]);
    await tx.juryAgendaItem.delete({ where: { id: item.id } });
    const remaining = ctx.session.agenda.filter((a) => a.id !== item.id);
    for (const [i, a] of remaining.entries()) {
      if (a.position !== i + 1) await tx.juryAgendaItem.update({ where: { id: a.id }, data: { position: i + 1 } });
    }
    const reverted = await dossierBackToComplete(tx, { dossierId: item.dossierId, organisationId: ctx.session.organisationId });
    const audit = { organisationId: actor.organisationId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent };
    await recordAudit(tx, {
      ...audit,
      action: "session.agenda.remove",
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: { itemId: item.id, dossierId: item.dossierId, candidate: toCandidateRef(item.dossier.candidate).name },
    });
    if (reverted) await recordAudit(tx, dossierBackToCompleteAudit({ ...audit, dossierId: item.dossierId, sessionId: ctx.session.id }));
    return { ok: true as const };
  });
}
