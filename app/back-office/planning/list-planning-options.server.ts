/** The certifications a new session may be planned for: the organisation's, with their latest published version. */
import { prisma } from "~/platform/db/db.server";

export async function listPlanningOptions(organisationId: string) {
  const certifications = await prisma.certification.findMany({
    where: { organisationId },
    orderBy: { title: "asc" },
    select: {
      id: true,
      code: true,
      title: true,
      versions: {
        where: { publishedAt: { not: null } },
        orderBy: { version: "desc" },
        take: 1,
        select: { version: true },
      },
    },
  });
  return {
    certifications: certifications.map((c) => ({
      id: c.id,
      label: c.versions[0]
        ? `${c.title} (${c.code}) — référentiel version ${c.versions[0].version}`
        : `${c.title} (${c.code}) — aucune version publiée`,
      published: c.versions.length > 0,
    })),
  };
}
