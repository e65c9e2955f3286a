/**
 * Removes a person's seat from a planned session. A session is live while planned: once the removal is committed,
 * their open connections (session page, grids, minutes' remarks, préconisations) are closed through the realtime port,
 * in every server process.
 */
import type { Actor, Result } from "~/platform/app-error";
import type { RealtimePort } from "~/live/realtime-port";
import { refuse, removeSessionAccess } from "./planning-context.server";

export async function unseatMember(
  sessionId: string,
  memberId: string,
  actor: Actor,
  realtime: RealtimePort,
): Promise<Result> {
  return removeSessionAccess(sessionId, actor, realtime, async (tx, ctx) => {
    const member = ctx.session.members.find((m) => m.id === memberId);
    if (!member) return refuse(["Ce membre ne siège plus dans la session."]);
    await tx.sessionMember.delete({ where: { id: member.id } });
    return {
      action: "session.member.unseat",
      data: {
        memberId: member.id,
        userId: member.userId,
        displayName: member.user.displayName,
        role: member.role,
        college: member.college,
        convokedAt: member.convokedAt?.toISOString() ?? null,
      },
      slotIds: ctx.session.slots.map((slot) => slot.id),
      seat: true,
    };
  });
}
