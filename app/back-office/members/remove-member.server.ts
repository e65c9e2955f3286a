/**
 * Use case: an administrator removes a person from the organisation (they left the branch, a mandate ended). Refused
 * while they hold a seat in a session not yet closed (take them off its planning first: the planning tells the
 * session's other members), while they still have to sign a document submitted for signature (a grid, a
 * procès-verbal, a fiche de décision, the CPNE's validation: out of the organisation they could never sign it, and no
 * signer can be replaced — decision 0023), for the last administrator, and for oneself. What they signed, and the
 * audit trail, keep their name. Without any other organisation, their sign-in sessions are closed and their unused links revoked.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { LAST_ADMIN_MESSAGE, leavesNoAdmin } from "~/domain/members";
import { blockedBy, pendingSignaturesRefusal } from "~/domain/pending-signatures";
import { listPendingSignatures } from "~/signing/pending-signatures.server";
import { adminIds, findMembership, lockMembers, lockMembership } from "./member-lock.server";

export async function removeMember(userId: string, actor: Actor, now = new Date()): Promise<{ displayName: string; removed: boolean; signInsEnded: boolean }> {
  if (userId === actor.userId) {
    throw new AppError("CONFLICT", "Vous ne pouvez pas vous retirer vous-même : demandez-le à une autre personne en administration.");
  }
  return prisma.$transaction(async (tx) => {
    await lockMembers(tx, actor.organisationId);
    await lockMembership(tx, actor.organisationId, userId, "remove");
    const member = await findMembership(tx, actor.organisationId, userId);
    // Already removed (the form sent twice): nothing to do, and nothing to say about who it was.
    if (!member) return { displayName: "", removed: false, signInsEnded: false };
    if (leavesNoAdmin(await adminIds(tx, actor.organisationId), userId, null)) throw new AppError("CONFLICT", LAST_ADMIN_MESSAGE);
    // Read under the membership's lock: a submission for signature naming them committed before, or waits for this.
    const unsigned = blockedBy(await listPendingSignatures(tx, actor.organisationId, userId), null);
    if (unsigned.length > 0) throw new AppError("CONFLICT", pendingSignaturesRefusal(member.user.displayName, unsigned, "remove"));
    const seats = await tx.sessionMember.findMany({
      where: { userId, session: { organisationId: actor.organisationId, status: { not: "CLOSED" } } },
      orderBy: { session: { startsAt: "asc" } },
      select: { session: { select: { title: true } } },
    });
    if (seats.length > 0) {
      throw new AppError(
        "CONFLICT",
        `${member.user.displayName} siège encore dans ${seats.length === 1 ? "une session qui n'est pas close" : `${seats.length} sessions qui ne sont pas closes`} : retirez-le ou retirez-la d'abord de leur planification.`,
        { details: seats.map((s) => `« ${s.session.title} »`) },
      );
    }
    await tx.membership.delete({ where: { id: member.id } });
    const others = await tx.membership.count({ where: { userId } });
    let sessionsClosed = 0;
    if (others === 0) {
      sessionsClosed = (await tx.authSession.deleteMany({ where: { userId } })).count;
      await tx.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
    }
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "member.removed",
      subjectType: "User",
      subjectId: userId,
      data: { role: member.role, sessionsClosed },
    });
    return { displayName: member.user.displayName, removed: true, signInsEnded: sessionsClosed > 0 };
  });
}
