/** The organisation's certifications with their latest published référentiel version (the one a new dossier or session pins). */
import { prisma } from "~/platform/db/db.server";

export async function listCertificationOptions(organisationId: string) {
  const certifications = await prisma.certification.findMany({
    where: { organisationId },
    orderBy: { title: "asc" },
    select: {
      id: true,
      code: true,
      title: true,
      kind: true,
      versions: {
        where: { publishedAt: { not: null, lte: new Date() } },
        orderBy: { version: "desc" },
        take: 1,
        select: { version: true },
      },
    },
  });
  return certifications.map(({ versions, ...c }) => ({ ...c, publishedVersion: versions[0]?.version ?? null }));
}
