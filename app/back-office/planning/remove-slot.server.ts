/**
 * Takes a candidate's slot off a planned commission's timetable: only while its grid was never opened. A connection
 * opening the grid at that very moment is closed once the removal is committed (its access is re-checked).
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import type { RealtimePort } from "~/live/realtime-port";
import { prisma } from "~/platform/db/db.server";
import { gridDocumentName } from "~/domain/access";
import {
  isRefusal,
  loadEditableSession,
  refreshSessionAccess,
  refuse,
  toCandidateRef,
} from "./planning-context.server";

export async function removeSlot(
  sessionId: string,
  slotId: string,
  actor: Actor,
  realtime: RealtimePort,
): Promise<Result> {
  const result = await prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId);
    if (isRefusal(ctx)) return ctx;
    const slot = ctx.session.slots.find((s) => s.id === slotId);
    if (!slot) return refuse(["Ce créneau n'existe plus."]);
    const grid = await tx.collabDocument.findUnique({
      where: { name: gridDocumentName(ctx.session.id, slot.id) },
      select: { name: true },
    });
    if (grid) return refuse(["La grille de ce candidat a déjà été commencée : son créneau ne peut plus être retiré."]);
    await tx.sessionSlot.delete({ where: { id: slot.id } });
    const remaining = ctx.session.slots.filter((s) => s.id !== slot.id);
    for (const [i, s] of remaining.entries()) {
      if (s.position !== i + 1) await tx.sessionSlot.update({ where: { id: s.id }, data: { position: i + 1 } });
    }
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      action: "session.slot.remove",
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: {
        slotId: slot.id,
        candidateId: slot.candidateId,
        candidate: toCandidateRef(slot.candidate).name,
        startsAt: slot.startsAt.toISOString(),
        endsAt: slot.endsAt.toISOString(),
      },
    });
    return { ok: true as const, sessionId: ctx.session.id };
  });
  if (!result.ok) return result;
  await refreshSessionAccess(realtime, result.sessionId, [slotId]);
  return { ok: true };
}
