/**
 * Use case: an administrator changes a member's role in the organisation (it applies from the member's next
 * request). The organisation always keeps an administrator. Refused while the member still has to sign a document
 * that the new role could not sign (the CPNE's validation, signed by the administration or the secretariat: decision
 * 0023); a seat's signatures do not depend on the role. Audited with the role before and after.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { LAST_ADMIN_MESSAGE, leavesNoAdmin } from "~/domain/members";
import type { OrgRole } from "~/domain/permissions";
import { blockedBy, pendingSignaturesRefusal } from "~/domain/pending-signatures";
import { listPendingSignatures } from "~/signing/pending-signatures.server";
import { adminIds, findMembership, lockMembers, lockMembership } from "./member-lock.server";

export async function changeMemberRole(
  input: { userId: string; role: OrgRole },
  actor: Actor,
): Promise<{ displayName: string; changed: boolean }> {
  return prisma.$transaction(async (tx) => {
    await lockMembers(tx, actor.organisationId);
    await lockMembership(tx, actor.organisationId, input.userId, "update");
    const member = await findMembership(tx, actor.organisationId, input.userId);
    if (!member) throw new AppError("NOT_FOUND", "Cette personne n'est pas membre de votre organisation.");
    if (member.role === input.role) return { displayName: member.user.displayName, changed: false }; // sent twice
    if (leavesNoAdmin(await adminIds(tx, actor.organisationId), input.userId, input.role)) {
      throw new AppError("CONFLICT", LAST_ADMIN_MESSAGE);
    }
    const unsigned = blockedBy(await listPendingSignatures(tx, actor.organisationId, input.userId), input.role);
    if (unsigned.length > 0) throw new AppError("CONFLICT", pendingSignaturesRefusal(member.user.displayName, unsigned, "role"));
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
