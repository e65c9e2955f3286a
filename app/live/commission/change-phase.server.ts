/** Use case: the president moves a candidate's passage to another phase (the timer restarts). */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { gridDocumentName } from "~/domain/access";
import { PHASES, phaseChangeRefusal, type Phase } from "~/domain/commission";
import type { RealtimePort } from "../realtime-port";
import { AppError } from "~/platform/app-error";
import { loadSlotContext, lockSlot, requirePresident, slotState } from "./slot-context.server";

export async function changePhase(input: {
  sessionId: string;
  slotId: string;
  actorId: string;
  to: string;
  meta: { ip: string | null; userAgent: string | null };
  realtime: RealtimePort;
}) {
  const to = input.to as Phase;
  if (!PHASES.includes(to)) throw new AppError("INVALID", "Phase inconnue.");
  await prisma.$transaction(async (tx) => {
    await lockSlot(tx, input.slotId);
    const ctx = await loadSlotContext(tx, input.sessionId, input.slotId);
    requirePresident(ctx, input.actorId);
    const refusal = phaseChangeRefusal(ctx.slot.phase, to);
    if (refusal) throw new AppError("CONFLICT", refusal);
    // Guarded update: a concurrent change by another tab of the president loses cleanly.
    const { count } = await tx.sessionSlot.updateMany({
      where: { id: ctx.slot.id, phase: ctx.slot.phase },
      data: { phase: to, phaseStartedAt: new Date() },
    });
    if (count === 0) throw new AppError("CONFLICT", "La phase vient d'être changée par ailleurs : réessayez.");
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "slot.phase_changed",
      subjectType: "SessionSlot",
      subjectId: ctx.slot.id,
      data: { sessionId: ctx.session.id, from: ctx.slot.phase, to },
      ...input.meta,
    });
  });
  // Scoring opens and closes with the phase (no scoring during « Accueil »): the grid's open connections re-resolve
  // their rights now. The change is committed: a failure here is logged, and rights are re-read at reconnection.
  await input.realtime
    .refreshSessionAccess(input.sessionId, [gridDocumentName(input.sessionId, input.slotId)])
    .catch((error: unknown) => console.error(`[quorum] passage ${input.slotId} : droits de la grille non réévalués`, error));
  const state = slotState(await loadSlotContext(prisma, input.sessionId, input.slotId));
  input.realtime.notifySession(input.sessionId, "slot:state", state);
  return state;
}
