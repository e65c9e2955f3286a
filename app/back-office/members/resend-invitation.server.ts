/**
 * Use case: an administrator sends a new invitation to a member who has not chosen a password yet (the first link
 * expired, or the e-mail was lost). The earlier link stops working. At most three a member per hour.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { deliverEmails } from "~/platform/mail/deliver-emails.server";
import { writeInvitation } from "./invitation-link.server";
import { findMembership, lockMembers } from "./member-lock.server";

export const MAX_INVITATIONS_PER_HOUR = 3;

export async function resendInvitation(userId: string, actor: Actor, now = new Date()): Promise<{ email: string }> {
  const { emailId, email } = await prisma.$transaction(async (tx) => {
    await lockMembers(tx, actor.organisationId);
    const member = await findMembership(tx, actor.organisationId, userId);
    if (!member) throw new AppError("NOT_FOUND", "Cette personne n'est pas membre de votre organisation.");
    if (member.user.passwordHash !== "") {
      throw new AppError("CONFLICT", `${member.user.displayName} a déjà choisi son mot de passe : son compte est actif.`);
    }
    const recent = await tx.passwordResetToken.count({
      where: { userId, createdAt: { gt: new Date(now.getTime() - 3_600_000) } },
    });
    if (recent >= MAX_INVITATIONS_PER_HOUR) {
      throw new AppError("RATE_LIMITED", `Déjà ${recent} invitations envoyées à ${member.user.displayName} dans l'heure : réessayez plus tard.`);
    }
    const invitee = { userId, email: member.user.email, displayName: member.user.displayName, role: member.role };
    const sent = await writeInvitation(tx, actor, invitee, now);
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "member.invitation-resent",
      subjectType: "User",
      subjectId: userId,
      data: { tokenId: sent.tokenId, emailId: sent.emailId },
    });
    return { emailId: sent.emailId, email: member.user.email };
  });
  await deliverEmails([emailId]);
  return { email };
}
