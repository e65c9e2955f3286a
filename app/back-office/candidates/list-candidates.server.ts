/**
 * The organisation's candidates, searched by name, a page at a time with their dossiers, and the count of dossiers per
 * status.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { DOSSIER_STATUSES, type DossierStatus } from "~/domain/completeness";
import { searchTerms } from "~/domain/search";
import { askedPage } from "~/domain/pagination";
import { coalescedRead } from "~/platform/http/coalesced-read.server";

/** Candidates per page: an organisation's years of candidates are thousands (every one reachable, page after page). */
export const CANDIDATE_PAGE_SIZE = 50;

export async function listCandidates(
  organisationId: string,
  filter: { query?: string; status?: DossierStatus | null; candidateIds?: string[] | null },
  requestedPage = 1,
) {
  // One read for the secretariat's pages asking the same list at the same time (never one started before the request).
  const key = `candidates:${organisationId}:${JSON.stringify([filter.query ?? "", filter.status ?? null, filter.candidateIds ?? null, requestedPage])}`;
  return coalescedRead(key, () => readCandidates(organisationId, filter, requestedPage));
}

async function readCandidates(
  organisationId: string,
  filter: { query?: string; status?: DossierStatus | null; candidateIds?: string[] | null },
  requestedPage: number,
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
  const order = [{ birthName: "asc" as const }, { givenNames: "asc" as const }, { id: "asc" as const }];
  const idsOf = (page: number) =>
    prisma.candidate.findMany({ where, orderBy: order, skip: (page - 1) * CANDIDATE_PAGE_SIZE, take: CANDIDATE_PAGE_SIZE, select: { id: true } });
  const asked = askedPage(requestedPage);
  // The page's ids with the counts, then their rows with their dossiers: in one statement PostgreSQL built every
  // earlier candidate's dossiers before skipping them.
  const [matching, organisationTotal, byStatus, askedIds] = await Promise.all([
    prisma.candidate.count({ where }),
    // Unfiltered, the organisation's total is the count just asked for.
    unfiltered ? null : prisma.candidate.count({ where: { organisationId } }),
    prisma.dossier.groupBy({ by: ["status"], where: { organisationId }, _count: { _all: true } }),
    idsOf(asked),
  ]);
  const pageCount = Math.max(1, Math.ceil(matching / CANDIDATE_PAGE_SIZE));
  // A page past the end (a link kept after candidates were removed, a typed number) shows the last one.
  const page = Math.min(asked, pageCount);
  const ids = page === asked ? askedIds : await idsOf(page);
  const candidates = await prisma.candidate.findMany({
    where: { id: { in: ids.map((c) => c.id) } },
    orderBy: order,
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
  });
  const counts = Object.fromEntries(DOSSIER_STATUSES.map((s) => [s, 0])) as Record<DossierStatus, number>;
  for (const row of byStatus) counts[row.status as DossierStatus] = row._count._all;
  return { candidates, matching, total: organisationTotal ?? matching, counts, page, pageCount };
}
