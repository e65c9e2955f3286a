/**
 * Use case: « Mot de passe oublié ». Whether or not the address is known, the caller shows the same message (no
 * account enumeration). For a known account: a random token whose SHA-256 only is stored, valid 30 minutes and
 * once, earlier unused links revoked, an e-mail written to the outbox (marked confidential: the secretariat does
 * not see the link) and an audit event — one transaction; the e-mail is handed to SMTP (when configured) without
 * the answer waiting for it.
 */
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { BURST_TRANSACTION, refusingWhenBusy } from "~/platform/db/busy.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { deliverEmails, queuedForRelay } from "~/platform/mail/deliver-emails.server";
import { sessionIdFromToken } from "./session.server";

export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;
/** At most this many links per account per hour (silently: the answer is the same). */
export const MAX_RESETS_PER_HOUR = 3;

/** The advisory lock's key of one account's reset requests. */
export const passwordResetLockKey = (userId: string) => `password-reset|${userId}`;

export function resetTokenHash(token: string): string {
  return sessionIdFromToken(token); // SHA-256, hex
}

export async function requestPasswordReset(input: {
  email: string;
  ip: string | null;
  userAgent: string | null;
  now?: Date;
}): Promise<void> {
  const now = input.now ?? new Date();
  const email = input.email.trim().toLowerCase();
  // A queue too long for the transaction: a RATE_LIMITED refusal, nothing written.
  const emailId = await refusingWhenBusy(() => prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { email },
      select: { id: true, displayName: true, memberships: { select: { organisationId: true }, take: 1 } },
    });
    const organisationId = user?.memberships[0]?.organisationId;
    if (!user || !organisationId) return null;
    // Serialises one account's requests before the hourly count (transaction-level advisory lock, no row lock: the
    // link's use updates the user and its tokens): requests sent at once each counted the others' links as absent.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${passwordResetLockKey(user.id)}, 0))`;
    const recent = await tx.passwordResetToken.count({
      where: { userId: user.id, createdAt: { gt: new Date(now.getTime() - 60 * 60 * 1000) } },
    });
    if (recent >= MAX_RESETS_PER_HOUR) return null;

    const bytes = new Uint8Array(20);
    crypto.getRandomValues(bytes);
    const token = encodeBase32LowerCaseNoPadding(bytes);
    await tx.passwordResetToken.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    // Their e-mails not handed to the relay yet are not sent any more: their links no longer open anything.
    await tx.outboxEmail.updateMany({ where: { to: email, confidential: true, sentAt: null }, data: { nextAttemptAt: null } });
    const row = await tx.passwordResetToken.create({
      data: { userId: user.id, tokenHash: resetTokenHash(token), expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS) },
    });
    const link = `${publicUrl()}/mot-de-passe-oublie/${token}`;
    const mail = await tx.outboxEmail.create({
      data: {
        organisationId,
        to: email,
        subject: "Quorum : réinitialisation de votre mot de passe",
        confidential: true,
        ...queuedForRelay(now),
        text: [
          `Bonjour ${user.displayName},`,
          "",
          "Une réinitialisation du mot de passe de votre compte Quorum a été demandée.",
          `Pour choisir un nouveau mot de passe, ouvrez ce lien dans les 30 minutes (il ne sert qu'une fois) :`,
          link,
          "",
          "Si vous n'êtes pas à l'origine de cette demande, ignorez ce courriel : votre mot de passe reste inchangé.",
        ].join("\n"),
      },
    });
    await recordAudit(tx, {
      organisationId,
      actorId: null,
      action: "auth.password-reset.requested",
      subjectType: "User",
      subjectId: user.id,
      data: { tokenId: row.id, emailId: mail.id },
      ip: input.ip,
      userAgent: input.userAgent,
    });
    return mail.id;
  }, BURST_TRANSACTION));
  // Handed to the relay after the answer: waiting for it only when the address is known would tell, by the time the
  // page takes, which addresses have an account. An e-mail the relay refuses stays in the outbox, marked failed.
  if (emailId) {
    void deliverEmails([emailId]).catch((error: unknown) => console.error(`[mail] password reset ${emailId}: ${String(error)}`));
  }
}
