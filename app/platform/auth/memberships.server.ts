/**
 * A user's organisation memberships, oldest first. Within a request of the signed-in user they come with the login
 * session (read once by server.ts, app/platform/http/request-scope.server.ts); otherwise from the database.
 */
import { prisma } from "~/platform/db/db.server";
import { currentRequestScope } from "~/platform/http/request-scope.server";
import { activeMembership } from "~/domain/active-organisation";
import { MEMBERSHIP_SELECT, type SessionMembership } from "./session.server";

export async function membershipsOf(userId: string): Promise<SessionMembership[]> {
  return (await signedInMemberships(userId)).memberships;
}

/**
 * The user's memberships and their « organisation active » (app/domain/active-organisation.ts): within the signed-in
 * user's request, the choice kept on the login session (read with it, no statement), re-checked against the
 * memberships; otherwise (jobs, websocket handlers) the default one.
 */
export async function signedInMemberships(userId: string): Promise<{ memberships: SessionMembership[]; active: SessionMembership | null }> {
  const auth = await currentRequestScope()?.auth.catch(() => null);
  if (auth && auth.user.id === userId) return { memberships: auth.memberships, active: activeMembership(auth.memberships, auth.activeOrganisationId) };
  const memberships = await prisma.membership.findMany({ where: { userId }, ...MEMBERSHIP_SELECT });
  return { memberships, active: activeMembership(memberships, null) };
}
