/**
 * A new member's invitation: a single-use link (only its SHA-256 stored) with which they choose their first
 * password, valid INVITATION_TTL_DAYS, written to the outbox as a confidential e-mail (the outbox shows that it was
 * sent, never the link). Earlier unused links of the account are revoked. Inside the caller's transaction.
 */
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { INVITATION_TTL_DAYS } from "~/domain/members";
import { ORG_ROLE_LABELS, type OrgRole } from "~/domain/permissions";
import type { Actor } from "~/platform/app-error";
import type { Prisma } from "~/platform/db/db.server";
import { queuedForRelay } from "~/platform/mail/deliver-emails.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { resetTokenHash } from "~/platform/auth/request-password-reset.server";

export async function writeInvitation(
  tx: Prisma.TransactionClient,
  actor: Pick<Actor, "userId" | "organisationId">,
  invitee: { userId: string; email: string; displayName: string; role: OrgRole },
  now: Date,
): Promise<{ tokenId: string; emailId: string }> {
  const [organisation, inviter] = await Promise.all([
    tx.organisation.findUniqueOrThrow({ where: { id: actor.organisationId }, select: { name: true } }),
    tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { displayName: true } }),
  ]);
  const input = { ...invitee, organisationId: actor.organisationId, organisationName: organisation.name, invitedBy: inviter.displayName, now };
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  const token = encodeBase32LowerCaseNoPadding(bytes);
  await tx.passwordResetToken.updateMany({ where: { userId: input.userId, usedAt: null }, data: { usedAt: input.now } });
  // Earlier invitations not handed to the relay yet are not sent any more: their links no longer open anything.
  await tx.outboxEmail.updateMany({ where: { to: input.email, confidential: true, sentAt: null }, data: { nextAttemptAt: null } });
  const row = await tx.passwordResetToken.create({
    data: {
      userId: input.userId,
      tokenHash: resetTokenHash(token),
      purpose: "INVITATION",
      expiresAt: new Date(input.now.getTime() + INVITATION_TTL_DAYS * 86_400_000),
    },
    select: { id: true },
  });
  const mail = await tx.outboxEmail.create({
    data: {
      organisationId: input.organisationId,
      to: input.email,
      subject: `Quorum : invitation de ${input.organisationName}`,
      confidential: true,
      ...queuedForRelay(input.now),
      text: [
        `Bonjour ${input.displayName},`,
        "",
        `${input.invitedBy} vous invite à rejoindre ${input.organisationName} sur Quorum, le portail de ses sessions de`,
        `certification, avec le rôle « ${ORG_ROLE_LABELS[input.role]} ».`,
        "",
        `Pour choisir votre mot de passe, ouvrez ce lien dans les ${INVITATION_TTL_DAYS} jours (il ne sert qu'une fois) :`,
        `${publicUrl()}/mot-de-passe-oublie/${token}`,
        "",
        `Votre identifiant est votre adresse e-mail : ${input.email}.`,
        "Si vous ne vous attendiez pas à cette invitation, ignorez ce courriel : aucun compte ne sera utilisable sans ce lien.",
      ].join("\n"),
    },
    select: { id: true },
  });
  return { tokenId: row.id, emailId: mail.id };
}
