/** Removes a person's seat from a planned session. */
import { recordAudit } from "~/audit/record-audit.server";
import { prisma } from "~/db/db.server";
import {
  isRefusal,
  loadEditableSession,
  refuse,
  type Actor,
  type PlanningResult,
} from "./planning-context.server";

export async function unseatMember(sessionId: string, memberId: string, actor: Actor): Promise<PlanningResult> {
  return prisma.$transaction(async (tx) => {
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
    return { ok: true as const };
  });
}
