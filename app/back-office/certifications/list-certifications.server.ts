/** The organisation's certifications, with their référentiel versions at a glance. */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { searchTerms } from "~/domain/search";
import { requestMemo } from "~/platform/http/request-scope.server";

const CERTIFICATION_LIST_SELECT = {
  id: true,
  kind: true,
  code: true,
  title: true,
  nationalLevel: true,
  // Read with the list so that one page's acquisitions (app/delivery/acquired-for.server.ts) need no read of their own.
  scheme: true,
  versions: { orderBy: { version: "desc" }, select: { id: true, version: true, publishedAt: true } },
} satisfies Prisma.CertificationSelect;

type CertificationRow = Prisma.CertificationGetPayload<{ select: typeof CERTIFICATION_LIST_SELECT }>;

/** Every certification of the organisation by title, with its scheme and its versions (newest first): once per page. */
export function organisationCertifications(organisationId: string): Promise<CertificationRow[]> {
  return requestMemo(`certifications:${organisationId}`, () =>
    prisma.certification.findMany({ where: { organisationId }, orderBy: [{ title: "asc" }], select: CERTIFICATION_LIST_SELECT }),
  );
}

export async function listCertifications(organisationId: string, query = "") {
  const terms = searchTerms(query);
  const certifications = terms.length
    ? await prisma.certification.findMany({
        where: { organisationId, AND: terms.map((term) => ({ searchKey: { contains: term } })) },
        orderBy: [{ title: "asc" }],
        select: CERTIFICATION_LIST_SELECT,
      })
    : await organisationCertifications(organisationId);
  return certifications.map(({ versions, scheme: _scheme, ...c }) => ({
    ...c,
    latestPublished: versions.find((v) => v.publishedAt !== null) ?? null,
    draft: versions.find((v) => v.publishedAt === null) ?? null,
    versionCount: versions.length,
  }));
}

/**
 * These certifications by id (code, title, kind, scheme, versions): from the organisation's shared read, so that rows
 * of a page carry a certification's id rather than a copy of its scheme each; one not the organisation's (never
 * expected: a dossier's certification is its organisation's) is read apart rather than left out.
 */
export async function certificationsById(organisationId: string, ids: Iterable<string>): Promise<Map<string, CertificationRow>> {
  const byId = new Map((await organisationCertifications(organisationId)).map((c) => [c.id, c]));
  const others = [...new Set(ids)].filter((id) => !byId.has(id));
  if (others.length) {
    for (const c of await prisma.certification.findMany({ where: { id: { in: others } }, select: CERTIFICATION_LIST_SELECT })) byId.set(c.id, c);
  }
  return byId;
}
