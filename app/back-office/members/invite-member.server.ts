/**
 * Use case: an administrator adds a person to the organisation with a role. A new address gets an account without a
 * password and an invitation (./invitation-link.server.ts: a link to choose one, 7 days, once); an address that
 * already has an account (a member of another organisation) is added as it is — its name and password are its own —
 * and told by e-mail. One transaction with its audit event and its e-mail; the same form sent twice adds one member
 * (submission key). The e-mail is handed to SMTP after the commit.
 */
import type { Actor, Refusal } from "~/platform/app-error";
import { fieldRefusal } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { deliverEmails, queuedForRelay } from "~/platform/mail/deliver-emails.server";
import type { InviteMemberInput } from "~/domain/members";
import { ORG_ROLE_LABELS } from "~/domain/permissions";
import { searchKeyOf } from "~/domain/search";
import { writeInvitation } from "./invitation-link.server";
import { lockMembers } from "./member-lock.server";

export type InviteOutcome = { ok: true; userId: string; invited: boolean };

export async function inviteMember(
  input: InviteMemberInput,
  actor: Actor,
  submissionKey: string | null = null,
  now = new Date(),
): Promise<InviteOutcome | Refusal> {
  const submission = { userId: actor.userId, key: submissionKey, action: "member.invite" };
  const outcome = await prisma.$transaction((tx) =>
    oncePerSubmission(
      tx,
      submission,
      async () => {
        const value = await add(tx);
        return { value, resultId: value.ok ? value.userId : null };
      },
      async (userId) => {
        // The same form sent again: what the first one did (an invitation when the account has no password yet).
        const user = await tx.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
        return { ok: true as const, userId, invited: user?.passwordHash === "", emailId: null };
      },
    ),
  );
  if (!outcome.ok) return outcome;
  if (outcome.emailId) await deliverEmails([outcome.emailId]);
  return { ok: true, userId: outcome.userId, invited: outcome.invited };

  async function add(tx: Prisma.TransactionClient): Promise<(InviteOutcome & { emailId: string | null }) | Refusal> {
    await lockMembers(tx, actor.organisationId);
    // Another organisation may invite the same new address at the same moment: one account is created.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`user-email|${input.email}`}, 0))`;
    const [organisation, inviter, existing] = await Promise.all([
      tx.organisation.findUniqueOrThrow({ where: { id: actor.organisationId }, select: { name: true } }),
      tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { displayName: true } }),
      tx.user.findUnique({
        where: { email: input.email },
        select: { id: true, displayName: true, memberships: { where: { organisationId: actor.organisationId }, select: { role: true } } },
      }),
    ]);
    if (existing && existing.memberships.length > 0) {
      const role = ORG_ROLE_LABELS[existing.memberships[0].role];
      return fieldRefusal("email", `${existing.displayName} (${input.email}) est déjà membre de votre organisation, avec le rôle « ${role} ».`);
    }
    if (existing) {
      await tx.membership.create({ data: { userId: existing.id, organisationId: actor.organisationId, role: input.role } });
      const mail = await tx.outboxEmail.create({
        data: {
          organisationId: actor.organisationId,
          to: input.email,
          subject: `Quorum : vous avez rejoint ${organisation.name}`,
          ...queuedForRelay(),
          text: [
            `Bonjour ${existing.displayName},`,
            "",
            `${inviter.displayName} vous a ajouté(e) à ${organisation.name} sur Quorum, avec le rôle « ${ORG_ROLE_LABELS[input.role]} ».`,
            `Connectez-vous avec votre compte habituel : ${publicUrl()}/login`,
          ].join("\n"),
        },
        select: { id: true },
      });
      await recordAudit(tx, {
        ...auditActor(actor),
        action: "member.added",
        subjectType: "User",
        subjectId: existing.id,
        data: { role: input.role, emailId: mail.id },
      });
      return { ok: true, userId: existing.id, invited: false, emailId: mail.id };
    }
    const user = await tx.user.create({
      // No password yet (an empty hash never verifies): the invitation's link sets the first one.
      data: { email: input.email, displayName: input.displayName, passwordHash: "", searchKey: searchKeyOf(input.displayName, input.email) },
      select: { id: true },
    });
    await tx.membership.create({ data: { userId: user.id, organisationId: actor.organisationId, role: input.role } });
    const invitee = { userId: user.id, email: input.email, displayName: input.displayName, role: input.role };
    const { tokenId, emailId } = await writeInvitation(tx, actor, invitee, now);
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "member.invited",
      subjectType: "User",
      subjectId: user.id,
      data: { role: input.role, tokenId, emailId },
    });
    return { ok: true, userId: user.id, invited: true, emailId };
  }
}
