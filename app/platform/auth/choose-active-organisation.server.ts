/**
 * Use case: « Organisation active ». A person who belongs to several organisations chooses, in the header, the one
 * their lists and creation forms act for; the choice is kept on their login session (server-side, never a cookie
 * value), only when it is one of their memberships — re-read in the statement that writes it. Every later request
 * re-checks it against the memberships read with the sign-in (app/domain/active-organisation.ts). Idempotent. A
 * forged choice (an organisation they do not belong to) changes nothing, is recorded as a refused access, and is a 403.
 */
import { AppError } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";

export const NOT_YOUR_ORGANISATION = "Vous n'appartenez pas à cette organisation : l'organisation active n'a pas changé.";

export async function chooseActiveOrganisation(input: {
  sessionId: string;
  userId: string;
  organisationId: string;
  ip: string | null;
  userAgent: string | null;
}): Promise<void> {
  const { count } = await prisma.authSession.updateMany({
    where: { id: input.sessionId, userId: input.userId, user: { memberships: { some: { organisationId: input.organisationId } } } },
    data: { activeOrganisationId: input.organisationId },
  });
  if (count > 0) return;
  await recordAccess({
    action: ACCESS_ACTIONS.accessRefused,
    actorId: input.userId,
    organisationId: null,
    subjectType: "Route",
    subjectId: "/organisation-active",
    data: { organisationId: input.organisationId.slice(0, 100), method: "POST" },
    ip: input.ip,
    userAgent: input.userAgent,
  });
  throw new AppError("FORBIDDEN", NOT_YOUR_ORGANISATION);
}
