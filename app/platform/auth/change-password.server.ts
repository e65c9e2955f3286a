/**
 * Use case: a signed-in user changes their password. The current password is required (same throttle as the
 * login); every other session of the account is closed; the current one stays; a reset link still unused is
 * withdrawn (it would have replaced the password just chosen). One transaction with its audit.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { reauthenticate, WRONG_PASSWORD } from "./login.server";
import { hashPassword } from "./password.server";

export async function changePassword(input: {
  userId: string;
  currentSessionId: string;
  currentPassword: string;
  newPassword: string;
  ip: string | null;
  userAgent: string | null;
}): Promise<{ sessionsClosed: number }> {
  const refusal = await reauthenticate(input.userId, input.currentPassword, input.ip);
  if (refusal) {
    const message = refusal === WRONG_PASSWORD ? "Mot de passe actuel incorrect." : refusal;
    throw new AppError("INVALID", message, { fieldErrors: { currentPassword: [message] } });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: input.userId }, data: { passwordHash } });
    await tx.passwordResetToken.updateMany({ where: { userId: input.userId, usedAt: null }, data: { usedAt: new Date() } });
    const { count } = await tx.authSession.deleteMany({
      where: { userId: input.userId, id: { not: input.currentSessionId } },
    });
    await recordAudit(tx, {
      actorId: input.userId,
      action: "auth.password.changed",
      subjectType: "User",
      subjectId: input.userId,
      data: { otherSessionsClosed: count },
      ip: input.ip,
      userAgent: input.userAgent,
    });
    return { sessionsClosed: count };
  });
}
