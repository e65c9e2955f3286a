/** Use case: a seated member declares, for one candidate, a conflict of interest (recused) or none. */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { agendaItemOf, broadcast, loadJury, lockJury, requireSeat, type JuryCommand } from "./jury-context.server";

export async function declareConflict(input: JuryCommand & { agendaItemId: string; conflict: boolean; note?: string | null }) {
  const note = input.note?.trim().slice(0, 1000) || null;
  const changed = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requireSeat(ctx, input.actorId);
    const item = agendaItemOf(ctx, input.agendaItemId);
    if (item.decision) throw new AppError("CONFLICT", "La décision est rendue pour ce candidat.");
    if (ctx.session.polls.some((p) => p.agendaItemId === item.id && p.state === "STARTED")) {
      throw new AppError("CONFLICT", "Un vote est en cours sur ce candidat : déclarez-vous avant le vote suivant.");
    }
    const previous = item.conflicts.find((c) => c.userId === input.actorId);
    if (previous && previous.conflict === input.conflict && previous.note === note) return false;
    await tx.juryConflictDeclaration.upsert({
      where: { agendaItemId_userId: { agendaItemId: item.id, userId: input.actorId } },
      create: { agendaItemId: item.id, userId: input.actorId, conflict: input.conflict, note },
      update: { conflict: input.conflict, note, declaredAt: new Date() },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: input.conflict ? "jury.conflict_declared" : "jury.no_conflict_declared",
      subjectType: "JuryAgendaItem",
      subjectId: item.id,
      data: { sessionId: ctx.session.id, conflict: input.conflict, note },
      ...input.meta,
    });
    return true;
  });
  if (changed) {
    await broadcast(prisma, input, { type: "conflict", agendaItemId: input.agendaItemId, userId: input.actorId, conflict: input.conflict });
  }
  return { changed };
}
