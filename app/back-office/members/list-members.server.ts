/**
 * The organisation's members for the administration's page: name, e-mail, role, whether they chose a password yet
 * (an invitation pending), their last sign-in, the sessions not yet closed where they hold a seat, and the documents
 * submitted for signature they still have to sign (both keep them from being removed).
 */
import { prisma } from "~/platform/db/db.server";
import type { MemberState } from "~/domain/members";
import type { OrgRole } from "~/domain/permissions";
import type { PendingSignature } from "~/domain/pending-signatures";
import { searchTerms } from "~/domain/search";
import { listPendingSignatures } from "~/signing/pending-signatures.server";

export type MemberRow = {
  userId: string;
  displayName: string;
  email: string;
  role: OrgRole;
  state: MemberState;
  memberSince: string;
  lastSeenAt: string | null;
  openSeats: { sessionId: string; title: string }[];
  pendingSignatures: PendingSignature[];
};

export async function listMembers(organisationId: string, filter: { query?: string } = {}): Promise<MemberRow[]> {
  const terms = searchTerms(filter.query);
  const [rows, pending] = await Promise.all([members(organisationId, terms), listPendingSignatures(prisma, organisationId)]);
  return rows.map(({ role, createdAt, user }) => ({
    userId: user.id,
    displayName: user.displayName,
    email: user.email,
    role,
    state: user.passwordHash === "" ? "invited" : "active",
    memberSince: createdAt.toISOString(),
    lastSeenAt: user.authSessions[0]?.lastSeenAt.toISOString() ?? null,
    openSeats: user.seats.map((s) => ({ sessionId: s.session.id, title: s.session.title })),
    pendingSignatures: pending.filter((p) => p.userId === user.id),
  }));
}

function members(organisationId: string, terms: string[]) {
  return prisma.membership.findMany({
    where: {
      organisationId,
      AND: terms.map((term) => ({ OR: [{ user: { searchKey: { contains: term } } }, { user: { email: { contains: term } } }] })),
    },
    orderBy: [{ user: { displayName: "asc" } }, { user: { email: "asc" } }],
    select: {
      role: true,
      createdAt: true,
      user: {
        select: {
          id: true,
          displayName: true,
          email: true,
          passwordHash: true,
          authSessions: { orderBy: { lastSeenAt: "desc" }, take: 1, select: { lastSeenAt: true } },
          seats: {
            where: { session: { organisationId, status: { not: "CLOSED" } } },
            orderBy: { session: { startsAt: "asc" } },
            select: { session: { select: { id: true, title: true } } },
          },
        },
      },
    },
  });
}
