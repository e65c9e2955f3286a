/**
 * What the demo's secretariat and administration have already sent, so the outbox (`/outbox`) and the members'
 * page (`/membres`) show something right after `npm start`: the demo jury (in three weeks) convened two days ago by
 * Samia Secrétariat, and a person Alice Administratrice invited yesterday who has not chosen her password yet
 * (« Invitation en attente »). Written by the use cases themselves (app/back-office/planning/send-convocations,
 * app/back-office/members/invitation-link), inside the seed's transaction; with no SMTP relay the e-mails wait in the
 * outbox like every other.
 */
import type { Prisma } from "~/platform/db/db.server";
import { writeConvocations } from "~/back-office/planning/send-convocations.server";
import { writeInvitation } from "~/back-office/members/invitation-link.server";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { searchKeyOf } from "~/domain/search";

const DAY = 86_400_000;

/** The invited person: a future member of the employees' college, no password yet. */
export const DEMO_INVITEE = { email: "nouveau.jure@quorum.test", displayName: "Noé Nouveau" } as const;

export async function seedOutbox(
  tx: Prisma.TransactionClient,
  input: { organisationId: string; juryId: string; users: Record<string, string>; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const actor = (email: string) => ({ userId: input.users[email]!, organisationId: input.organisationId, ip: null, userAgent: null });

  const convened = await writeConvocations(
    tx,
    input.juryId,
    { scope: "pending", baseUrl: publicUrl() },
    actor("secretariat@quorum.test"),
    new Date(now.getTime() - 2 * DAY),
  );
  if (!convened.ok) throw new Error(`Démo : convocations du jury impossibles (${convened.formErrors.join(" ")})`);

  const admin = actor("admin@quorum.test");
  const invitedAt = new Date(now.getTime() - DAY);
  const user = await tx.user.create({
    data: { email: DEMO_INVITEE.email, displayName: DEMO_INVITEE.displayName, passwordHash: "", searchKey: searchKeyOf(DEMO_INVITEE.displayName, DEMO_INVITEE.email), createdAt: invitedAt },
    select: { id: true },
  });
  await tx.membership.create({ data: { userId: user.id, organisationId: input.organisationId, role: "MEMBER", createdAt: invitedAt } });
  const { tokenId, emailId } = await writeInvitation(tx, admin, { userId: user.id, email: DEMO_INVITEE.email, displayName: DEMO_INVITEE.displayName, role: "MEMBER" }, invitedAt);
  await tx.outboxEmail.update({ where: { id: emailId }, data: { createdAt: invitedAt } });
  await recordAudit(tx, { ...auditActor(admin), action: "member.invited", subjectType: "User", subjectId: user.id, data: { role: "MEMBER", tokenId, emailId } });
}
