/**
 * Serialises the changes of one organisation's members (transaction-level advisory lock) before the checks that read
 * them all: two administrators demoting each other at once both saw the other still in administration.
 */
import type { Prisma } from "~/platform/db/db.server";

export async function lockMembers(tx: Prisma.TransactionClient, organisationId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`members|${organisationId}`}, 0))`;
}

/**
 * Holds a member's row until the commit, before the checks of a removal or a role change: a submission for signature
 * naming them (which takes the row FOR SHARE, app/signing/signer-memberships.server.ts) either committed before and is
 * seen, or waits for this change (decision 0023). FOR UPDATE for a removal (the row is deleted), FOR NO KEY UPDATE for
 * a role change.
 */
export async function lockMembership(
  tx: Prisma.TransactionClient,
  organisationId: string,
  userId: string,
  mode: "remove" | "update",
): Promise<void> {
  if (mode === "remove") {
    await tx.$executeRaw`SELECT 1 FROM "Membership" WHERE "organisationId" = ${organisationId} AND "userId" = ${userId} FOR UPDATE`;
  } else {
    await tx.$executeRaw`SELECT 1 FROM "Membership" WHERE "organisationId" = ${organisationId} AND "userId" = ${userId} FOR NO KEY UPDATE`;
  }
}

/** The member of the organisation, or null (unknown, or of another organisation: the caller never says which). */
export function findMembership(tx: Prisma.TransactionClient, organisationId: string, userId: string) {
  return tx.membership.findUnique({
    where: { userId_organisationId: { userId, organisationId } },
    select: { id: true, role: true, user: { select: { id: true, displayName: true, email: true, passwordHash: true } } },
  });
}

/**
 * The ids of the organisation's administrators who can sign in: an invited one (no password chosen yet, `passwordHash`
 * empty) may never come, and an organisation left with only such an invitation had nobody to manage its members.
 */
export async function adminIds(tx: Prisma.TransactionClient, organisationId: string): Promise<string[]> {
  const rows = await tx.membership.findMany({
    where: { organisationId, role: "ADMIN", user: { passwordHash: { not: "" } } },
    select: { userId: true },
  });
  return rows.map((r) => r.userId);
}
