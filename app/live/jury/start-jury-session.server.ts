/** Use case: the president (or the secretary) opens the jury's sitting: planned → in progress, actual start time. */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { presidingRefusal } from "~/domain/jury-vote";
import { broadcast, loadJury, lockJury, requireSeat, type JuryCommand } from "./jury-context.server";

export async function startJurySession(input: JuryCommand) {
  const changed = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    const seat = requireSeat(ctx, input.actorId);
    if (seat.role !== "SECRETARY") {
      const refusal = presidingRefusal(ctx.members, ctx.present, input.actorId);
      if (refusal) throw new AppError("FORBIDDEN", refusal);
    }
    if (ctx.session.status === "OPEN") return false;
    if (ctx.session.status === "CLOSED") throw new AppError("CONFLICT", "La séance du jury est close : elle ne peut être rouverte.");
    if (ctx.session.agenda.length === 0 && (await tx.appeal.count({ where: { sessionId: ctx.session.id } })) === 0) {
      throw new AppError("CONFLICT", "Aucun candidat ni recours n'est inscrit à l'ordre du jour.");
    }
    const now = new Date();
    await tx.session.update({ where: { id: ctx.session.id }, data: { status: "OPEN", actualStartAt: now, quorumMet: ctx.quorum.met } });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.session_started",
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: { at: now.toISOString(), quorum: { met: ctx.quorum.met, reasons: ctx.quorum.reasons } },
      ...input.meta,
    });
    return true;
  });
  if (changed) await broadcast(prisma, input, { type: "session", status: "OPEN" });
  return { changed };
}
