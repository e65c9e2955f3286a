/**
 * Removes a person's seat from a planned session. A session is live while planned: once the removal is committed,
 * their open connections (session page, grids) are closed through the realtime port, in every server process.
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import type { RealtimePort } from "~/live/realtime-port";
import { prisma } from "~/platform/db/db.server";
import {
  isRefusal,
  loadEditableSession,
  refuse,
  refreshSessionAccess,
} from "./planning-context.server";

export async function unseatMember(
  sessionId: string,
  memberId: string,
  actor: Actor,
  realtime: RealtimePort,
): Promise<Result> {
  const result = await prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId);
    if (isRefusal(ctx)) return ctx;
    const member = ctx.session.members.find((m) => m.id === memberId);
    if (!member) return refuse(["Ce membre ne siège plus dans la session."]);
    await tx.sessionMember.delete({ where: { id: member.id } });
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      action: "session.member.unseat",
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: {
        memberId: member.id,
        userId: member.userId,
        displayName: member.user.displayName,
        role: member.role,
        college: member.college,
        convokedAt: member.convokedAt?.toISOString() ?? null,
      },
    });
    return { ok: true as const, sessionId: ctx.session.id, slotIds: ctx.session.slots.map((slot) => slot.id) };
  });
  if (!result.ok) return result;
  await refreshSessionAccess(realtime, result.sessionId, result.slotIds);
  return { ok: true };
}
