/**
 * The organisation's members for the administration's page: name, e-mail, role, whether they chose a password yet
 * (an invitation pending), their last sign-in, and the sessions not yet closed where they hold a seat (what keeps
 * them from being removed).
 */
import { prisma } from "~/platform/db/db.server";
import type { MemberState } from "~/domain/members";
import type { OrgRole } from "~/domain/permissions";
import { searchTerms } from "~/domain/search";

export type MemberRow = {
  userId: string;
  displayName: string;
  email: string;
  role: OrgRole;
  state: MemberState;
  memberSince: string;
  lastSeenAt: string | null;
  openSeats: { sessionId: string; title: string }[];
};

export async function listMembers(organisationId: string, filter: { query?: string } = {}): Promise<MemberRow[]> {
  const terms = searchTerms(filter.query);
  const rows = await prisma.membership.findMany({
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
  return rows.map(({ role, createdAt, user }) => ({
    userId: user.id,
    displayName: user.displayName,
    email: user.email,
    role,
    state: user.passwordHash === "" ? "invited" : "active",
    memberSince: createdAt.toISOString(),
    lastSeenAt: user.authSessions[0]?.lastSeenAt.toISOString() ?? null,
    openSeats: user.seats.map((s) => ({ sessionId: s.session.id, title: s.session.title })),
  }));
}
