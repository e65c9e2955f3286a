/** Use case: a member declares, once per candidate, that they have no conflict of interest with them. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import type { RealtimePort } from "../realtime-port";
import { AppError } from "~/platform/app-error";
import { noConflictDeclarationRefusal } from "~/domain/access";
import { loadSlotContext, lockSlot, requireSigner, slotState } from "./slot-context.server";
import { CANDIDATE_RECUSAL_SELECT, declaredConflictIdsOf } from "./passage-recusal.server";

export async function declareNoConflict(input: {
  sessionId: string;
  slotId: string;
  actorId: string;
  meta: { ip: string | null; userAgent: string | null };
  realtime: RealtimePort;
}) {
  await prisma.$transaction(async (tx) => {
    await lockSlot(tx, input.slotId);
    const ctx = await loadSlotContext(tx, input.sessionId, input.slotId);
    requireSigner(ctx, input.actorId);
    // The trainer, or a member who declared before one of the organisation's juries a conflict of interest with this
    // candidate (his files are refused to them: ./passage-recusal.server.ts): « no conflict » would contradict it.
    const candidate = await tx.candidate.findUniqueOrThrow({ where: { id: ctx.slot.candidate.id }, select: CANDIDATE_RECUSAL_SELECT });
    const refusal = noConflictDeclarationRefusal({
      trainsCandidate: candidate.trainerId === input.actorId,
      declaredConflict: declaredConflictIdsOf(candidate).includes(input.actorId),
    });
    if (refusal) throw new AppError("FORBIDDEN", refusal);
    const existing = await tx.conflictDeclaration.findUnique({
      where: { slotId_userId: { slotId: ctx.slot.id, userId: input.actorId } },
    });
    if (existing) return; // once per candidate: a second click changes nothing
    await tx.conflictDeclaration.create({
      data: { slotId: ctx.slot.id, userId: input.actorId, noConflict: true, ...input.meta },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "slot.no_conflict_declared",
      subjectType: "SessionSlot",
      subjectId: ctx.slot.id,
      data: { sessionId: ctx.session.id, candidateId: ctx.slot.candidate.id },
      ...input.meta,
    });
  });
  const state = slotState(await loadSlotContext(prisma, input.sessionId, input.slotId));
  input.realtime.notifySession(input.sessionId, "slot:state", state);
  return state;
}
