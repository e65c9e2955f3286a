/**
 * A user's organisation memberships, oldest first. Within a request of the signed-in user they come with the login
 * session (read once by server.ts, app/platform/http/request-scope.server.ts); otherwise from the database.
 */
import { prisma } from "~/platform/db/db.server";
import { currentRequestScope } from "~/platform/http/request-scope.server";
import { MEMBERSHIP_SELECT, type SessionMembership } from "./session.server";

export async function membershipsOf(userId: string): Promise<SessionMembership[]> {
  const auth = await currentRequestScope()?.auth.catch(() => null);
  if (auth && auth.user.id === userId) return auth.memberships;
  return prisma.membership.findMany({ where: { userId }, ...MEMBERSHIP_SELECT });
}
