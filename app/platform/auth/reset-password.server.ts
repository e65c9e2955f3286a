/**
 * Use case: set a new password from a reset link (or a new member's first one, from an invitation). The token is
 * looked up by its SHA-256, must be unused and unexpired (30 minutes for a reset, 7 days for an invitation); it is consumed (a second use, or a double click, changes nothing), the password
 * replaced and every session of the account closed — one transaction with its audit event.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { INVALID_RESET_LINK } from "./password-policy";
import { hashPassword } from "./password.server";
import { resetTokenHash } from "./request-password-reset.server";


/** Whether a reset link may still be used (to show the form or the « lien expiré » message). */
export async function isResetTokenUsable(token: string, now = new Date()): Promise<boolean> {
  return (await passwordLinkState(token, now))?.usable === true;
}

/**
 * What a link is for — a reset, or a new member's invitation (its page welcomes them) — and whether it may still be
 * used (unused, unexpired); null for a link that never existed.
 */
export async function passwordLinkState(token: string, now = new Date()): Promise<{ purpose: "RESET" | "INVITATION"; usable: boolean } | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const row = await prisma.passwordResetToken.findUnique({
    where: { tokenHash: resetTokenHash(token) },
    select: { usedAt: true, expiresAt: true, purpose: true },
  });
  if (!row) return null;
  return { purpose: row.purpose === "INVITATION" ? "INVITATION" : "RESET", usable: row.usedAt === null && row.expiresAt > now };
}

export async function resetPassword(input: {
  token: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  now?: Date;
}): Promise<void> {
  const now = input.now ?? new Date();
  if (!/^[a-z2-7]{32}$/.test(input.token)) throw new AppError("INVALID", INVALID_RESET_LINK);
  const passwordHash = await hashPassword(input.password);
  await prisma.$transaction(async (tx) => {
    const row = await tx.passwordResetToken.findUnique({ where: { tokenHash: resetTokenHash(input.token) } });
    if (!row) throw new AppError("INVALID", INVALID_RESET_LINK);
    // Consumed only if still unused and unexpired: the one winner of two concurrent uses.
    const { count } = await tx.passwordResetToken.updateMany({
      where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw new AppError("INVALID", INVALID_RESET_LINK);
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
    const { count: closed } = await tx.authSession.deleteMany({ where: { userId: row.userId } });
    await recordAudit(tx, {
      actorId: row.userId,
      action: "auth.password-reset.completed",
      subjectType: "User",
      subjectId: row.userId,
      data: { tokenId: row.id, sessionsClosed: closed, purpose: row.purpose },
      ip: input.ip,
      userAgent: input.userAgent,
    });
  });
}
