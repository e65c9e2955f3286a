/**
 * Use case: the president reopens the grid before the last signature. The signatures already given are voided
 * (kept, marked), a new signing round starts, and the document becomes writable again.
 */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import type { RealtimePort } from "../realtime-port";
import { CommissionError, loadSlotContext, lockSlot, requirePresident, slotState } from "./slot-context.server";

export async function reopenGrid(input: {
  sessionId: string;
  slotId: string;
  actorId: string;
  reason: string;
  meta: { ip: string | null; userAgent: string | null };
  realtime: RealtimePort;
}) {
  const ctx0 = await loadSlotContext(prisma, input.sessionId, input.slotId);
  await prisma.$transaction(async (tx) => {
    await lockSlot(tx, input.slotId);
    const ctx = await loadSlotContext(tx, input.sessionId, input.slotId);
    requirePresident(ctx, input.actorId);
    if (ctx.slot.gridStatus === "SIGNED") throw new CommissionError("La grille est signée par tous : elle ne peut plus être rouverte.");
    if (ctx.slot.gridStatus === "OPEN") throw new CommissionError("La grille n'est pas en signature.");
    const voided = await tx.gridSignature.updateMany({
      where: { slotId: ctx.slot.id, round: ctx.slot.signingRound, voidedAt: null },
      data: { voidedAt: new Date() },
    });
    const { count } = await tx.sessionSlot.updateMany({
      where: { id: ctx.slot.id, gridStatus: "SIGNING", signingRound: ctx.slot.signingRound },
      data: {
        gridStatus: "OPEN",
        phase: "EVALUATION",
        phaseStartedAt: new Date(),
        signingRound: { increment: 1 },
        sealedHash: null,
        sealedContent: undefined,
        sealedAt: null,
      },
    });
    if (count === 0) throw new CommissionError("La grille vient de changer d'état : réessayez.");
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "grid.reopened",
      subjectType: "SessionSlot",
      subjectId: ctx.slot.id,
      data: { round: ctx.slot.signingRound, voidedSignatures: voided.count, reason: input.reason },
      ...input.meta,
    });
  });
  await input.realtime.unseal(ctx0.documentName);
  const state = slotState(await loadSlotContext(prisma, input.sessionId, input.slotId));
  input.realtime.notifySession(input.sessionId, "slot:state", state);
  return state;
}
