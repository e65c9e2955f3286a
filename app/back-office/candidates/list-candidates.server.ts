/**
 * The organisation's candidates, searched by name, with their dossiers, and the count of dossiers per status.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { DOSSIER_STATUSES, type DossierStatus } from "~/domain/completeness";
import { searchTerms } from "~/domain/search";

export const CANDIDATE_LIST_LIMIT = 200;

export async function listCandidates(
  organisationId: string,
  filter: { query?: string; status?: DossierStatus | null; candidateIds?: string[] | null },
) {
  // Accent- and case-insensitive: every folded word of the query is in the stored search key (app/domain/search.ts).
  const terms = searchTerms(filter.query);
  const where: Prisma.CandidateWhereInput = {
    organisationId,
    AND: terms.map((term) => ({ searchKey: { contains: term } })),
    ...(filter.candidateIds ? { id: { in: filter.candidateIds } } : {}),
    ...(filter.status ? { dossiers: { some: { status: filter.status } } } : {}),
  };
  const unfiltered = terms.length === 0 && !filter.candidateIds && !filter.status;
  const [candidates, matching, organisationTotal, byStatus] = await Promise.all([
    prisma.candidate.findMany({
      where,
      orderBy: [{ birthName: "asc" }, { givenNames: "asc" }],
      take: CANDIDATE_LIST_LIMIT,
      select: {
        id: true,
        birthName: true,
        usageName: true,
        givenNames: true,
        sex: true,
        birthDate: true,
        employer: true,
        dossiers: {
          orderBy: { createdAt: "asc" },
          select: { id: true, status: true, route: true, certification: { select: { code: true, title: true } } },
        },
      },
    }),
    prisma.candidate.count({ where }),
    // Unfiltered, the organisation's total is the count just asked for.
    unfiltered ? null : prisma.candidate.count({ where: { organisationId } }),
    prisma.dossier.groupBy({ by: ["status"], where: { organisationId }, _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(DOSSIER_STATUSES.map((s) => [s, 0])) as Record<DossierStatus, number>;
  for (const row of byStatus) counts[row.status as DossierStatus] = row._count._all;
  return { candidates, matching, total: organisationTotal ?? matching, counts };
}
