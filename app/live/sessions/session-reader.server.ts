/**
 * The one place every seat check goes through (`sessionReader` in app/domain/access.ts): a seat opens a session only
 * while its holder is a member of the session's organisation. A person who belongs to two organisations and is
 * removed from one keeps their sign-in through the other, and their seats in the first one's closed sessions stay on
 * record: without this condition those seats went on opening the session's pages, files, events and live documents.
 *
 * Two forms, so that no check costs a statement more:
 * - in a request, `readerOf` takes the seats the caller already read and the memberships that came with the sign-in
 *   (no statement; outside a request, one read of the memberships);
 * - in a query (the realtime side, which has no request), `seatOfMember` and `organisationRoleOf` fold the
 *   membership into the statement that reads the seat.
 */
import { sessionReader } from "~/domain/access";
import type { OrgRole } from "~/domain/permissions";
import { membershipsOf } from "~/platform/auth/memberships.server";

/**
 * The viewer's reading of a session from the seats read with it (all of them, or only the viewer's): their seat if they
 * are still a member of `organisationId`, whether they manage it; null when they may not read it.
 */
export async function readerOf<S extends { userId: string }>(seats: readonly S[], userId: string, organisationId: string) {
  const memberships = await membershipsOf(userId);
  const role = memberships.find((m) => m.organisation.id === organisationId)?.role ?? null;
  return sessionReader(seats.find((s) => s.userId === userId) ?? null, role);
}

/** A `SessionMember` filter: the user's seat, only while they are a member of the session's organisation. */
export function seatOfMember(userId: string) {
  return { userId, session: { organisation: { memberships: { some: { userId } } } } } as const;
}

/** Selected on a session's `organisation`: the user's role there (an empty list when not, or no longer, a member). */
export function organisationRoleOf(userId: string) {
  return { select: { memberships: { where: { userId }, select: { role: true } } } } as const;
}

/** The role `organisationRoleOf` read, or null. */
export function roleRead(organisation: { memberships: Array<{ role: OrgRole }> }): OrgRole | null {
  return organisation.memberships[0]?.role ?? null;
}
