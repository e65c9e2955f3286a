/**
 * Use case: an administrator changes a member's role in the organisation (it applies from the member's next
 * request). The organisation always keeps an administrator. Audited with the role before and after.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { LAST_ADMIN_MESSAGE, leavesNoAdmin } from "~/domain/members";
import type { OrgRole } from "~/domain/permissions";
import { adminIds, findMembership, lockMembers } from "./member-lock.server";

export async function changeMemberRole(
  input: { userId: string; role: OrgRole },
  actor: Actor,
): Promise<{ displayName: string; changed: boolean }> {
  return prisma.$transaction(async (tx) => {
    await lockMembers(tx, actor.organisationId);
    const member = await findMembership(tx, actor.organisationId, input.userId);
    if (!member) throw new AppError("NOT_FOUND", "Cette personne n'est pas membre de votre organisation.");
    if (member.role === input.role) return { displayName: member.user.displayName, changed: false }; // sent twice
    if (leavesNoAdmin(await adminIds(tx, actor.organisationId), input.userId, input.role)) {
      throw new AppError("CONFLICT", LAST_ADMIN_MESSAGE);
    }
    await tx.membership.update({ where: { id: member.id }, data: { role: input.role } });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "member.role-changed",
      subjectType: "User",
      subjectId: input.userId,
      data: { from: member.role, to: input.role },
    });
    return { displayName: member.user.displayName, changed: true };
  });
}
