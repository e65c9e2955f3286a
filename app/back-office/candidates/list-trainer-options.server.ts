/** The organisation's Quorum users a candidate's trainer may be chosen from. */
import { prisma } from "~/platform/db/db.server";

export async function listTrainerOptions(organisationId: string) {
  const memberships = await prisma.membership.findMany({
    where: { organisationId },
    orderBy: { user: { displayName: "asc" } },
    select: { user: { select: { id: true, displayName: true } } },
  });
  return memberships.map((m) => m.user);
}
