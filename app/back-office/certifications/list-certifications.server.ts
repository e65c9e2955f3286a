/** The organisation's certifications, with their référentiel versions at a glance. */
import { prisma } from "~/platform/db/db.server";
import { searchTerms } from "~/domain/search";

export async function listCertifications(organisationId: string, query = "") {
  const certifications = await prisma.certification.findMany({
    where: { organisationId, AND: searchTerms(query).map((term) => ({ searchKey: { contains: term } })) },
    orderBy: [{ title: "asc" }],
    select: {
      id: true,
      kind: true,
      code: true,
      title: true,
      nationalLevel: true,
      versions: { orderBy: { version: "desc" }, select: { id: true, version: true, publishedAt: true } },
    },
  });
  return certifications.map(({ versions, ...c }) => ({
    ...c,
    latestPublished: versions.find((v) => v.publishedAt !== null) ?? null,
    draft: versions.find((v) => v.publishedAt === null) ?? null,
    versionCount: versions.length,
  }));
}
