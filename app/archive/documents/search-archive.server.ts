/**
 * The archive's list: every signed or issued document the viewer may see — any `SignedDocument` kind (grids, decision
 * sheets, minutes, parchemins, attestations, …) with, for a delivery record, its digital credential — searched by
 * candidate (accent- and case-insensitive, birth, usage or given names), certification, session, period, the
 * candidate's decision and the kind; newest first, paginated. One SQL statement reads the page with its candidates,
 * sessions and records, the count, the filter's options and the retention period (besides the archive's index check,
 * and `listDecisions` when filtering by decision).
 */
import { prisma, Prisma } from "~/platform/db/db.server";
import { searchTerms } from "~/domain/search";
import { candidateName } from "~/domain/identity";
import { listDecisions } from "~/archive/list-decisions.server";
import { ARCHIVE_DECISIONS, archiveKindLabel, retentionUntil, type ArchiveDecision } from "./archive-kinds";
import { visibleDocumentsSql, type ArchiveViewer } from "./archive-access.server";

export const ARCHIVE_PAGE_SIZE = 20;
const MAX_PAGE = 1_000_000;

export type ArchiveFilter = {
  query?: string;
  certificationId?: string | null;
  sessionId?: string | null;
  candidateId?: string | null;
  kind?: string | null;
  decision?: string | null;
  /** Inclusive start, exclusive end. */
  from?: Date | null;
  to?: Date | null;
  page?: number;
};

/**
 * The credential as downloaded (PostgreSQL's own indented form of the stored JSON, then a line feed), in SQL over a `DeliveryRecord` aliased `r`: the
 * archive's list shows its SHA-256 computed by the database from the same bytes, so a page never reads the
 * credentials themselves (several kilobytes each) to hash them.
 */
export const CREDENTIAL_FILE_SQL = Prisma.sql`(jsonb_pretty(r.credential) || chr(10))`;

/** Candidates of the organisation with a final jury decision `decision` (`listDecisions`). */
async function candidatesDecided(organisationId: string, decision: ArchiveDecision): Promise<string[]> {
  return [...new Set((await listDecisions(organisationId)).filter((d) => d.outcome === decision).map((d) => d.candidateId))];
}

type Json<T> = T | string;
const parsed = <T>(value: Json<T>): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);
/** A timestamp(3) column serialised by PostgreSQL's JSON functions: UTC without a zone. */
const utc = (value: string) => new Date(/(Z|[+-]\d\d(:?\d\d)?)$/.test(value) ? value : `${value}Z`);
/** `contains` as Prisma writes it: LIKE with its wildcards escaped. */
const likeContains = (term: string) => `%${term.replace(/[\\%_]/g, "\\$&")}%`;

type PageRow = {
  id: string;
  kind: string;
  fileName: string;
  sha256: string;
  createdAt: string;
  sessionId: string | null;
  certificationId: string | null;
  candidate: { birthName: string; usageName: string | null; givenNames: string; sex: string | null } | null;
  record: { number: string; credentialSha256: string | null; revokedAt: string | null } | null;
};
type Listing = {
  total: number;
  retentionYears: number;
  entries: Json<PageRow[]>;
  sessions: Json<{ id: string; title: string; startsAt: string }[]>;
  kinds: Json<string[]>;
  certifications: Json<{ id: string; code: string; title: string }[]>;
};

export async function searchArchive(viewer: ArchiveViewer, filter: ArchiveFilter) {
  const terms = searchTerms(filter.query);
  // A page number beyond any archive (an edited URL) reads an empty page, never an OFFSET past PostgreSQL's integer.
  const asked = Math.min(MAX_PAGE, Math.max(1, Math.floor(filter.page ?? 1)));
  const org = viewer.organisationId;
  const visible = await visibleDocumentsSql(viewer);
  const decision = (ARCHIVE_DECISIONS as readonly string[]).includes(filter.decision ?? "") ? (filter.decision as ArchiveDecision) : null;
  const decidedCandidates = decision ? await candidatesDecided(org, decision) : null;

  const conditions: Prisma.Sql[] = [
    ...(terms.length
      ? [
          Prisma.sql`d."candidateId" IN (SELECT c.id FROM "Candidate" c WHERE c."organisationId" = ${org}::text AND ${Prisma.join(
            terms.map((t) => Prisma.sql`c."searchKey" LIKE ${likeContains(t)}::text`),
            " AND ",
          )})`,
        ]
      : []),
    ...(decidedCandidates
      ? [decidedCandidates.length ? Prisma.sql`d."candidateId" IN (${Prisma.join(decidedCandidates.map((id) => Prisma.sql`${id}::text`))})` : Prisma.sql`FALSE`]
      : []),
    ...(filter.certificationId ? [Prisma.sql`d."certificationId" = ${filter.certificationId}::text`] : []),
    ...(filter.sessionId ? [Prisma.sql`d."sessionId" = ${filter.sessionId}::text`] : []),
    ...(filter.candidateId ? [Prisma.sql`d."candidateId" = ${filter.candidateId}::text`] : []),
    ...(filter.kind === "credential"
      ? [Prisma.sql`d."deliveryRecordId" IN (SELECT r.id FROM "DeliveryRecord" r WHERE r."organisationId" = ${org}::text AND r."credentialId" IS NOT NULL)`]
      : filter.kind
        ? [Prisma.sql`d.kind = ${filter.kind}::text`]
        : []),
    ...(filter.from ? [Prisma.sql`d."createdAt" >= ${filter.from.toISOString()}::timestamp`] : []),
    ...(filter.to ? [Prisma.sql`d."createdAt" < ${filter.to.toISOString()}::timestamp`] : []),
  ];
  const matching = Prisma.join([visible, ...conditions], " AND ");
  const read = (page: number) => prisma.$queryRaw<Listing[]>`
    WITH visible AS (SELECT d.* FROM "SignedDocument" d WHERE ${visible}),
    matching AS (SELECT d.* FROM "SignedDocument" d WHERE ${matching}),
    page AS (SELECT * FROM matching ORDER BY "createdAt" DESC, id ASC LIMIT ${ARCHIVE_PAGE_SIZE}::int OFFSET ${(page - 1) * ARCHIVE_PAGE_SIZE}::int)
    SELECT
      (SELECT count(*)::int FROM matching) AS total,
      (SELECT o."retentionYears" FROM "Organisation" o WHERE o.id = ${org}::text) AS "retentionYears",
      (SELECT coalesce(json_agg(json_build_object(
          'id', p.id, 'kind', p.kind, 'fileName', p."fileName", 'sha256', p.sha256, 'createdAt', p."createdAt",
          'sessionId', p."sessionId", 'certificationId', p."certificationId",
          'candidate', CASE WHEN c.id IS NULL THEN NULL
            ELSE json_build_object('birthName', c."birthName", 'usageName', c."usageName", 'givenNames', c."givenNames", 'sex', c.sex) END,
          'record', CASE WHEN r.id IS NULL THEN NULL
            ELSE json_build_object('number', r.number, 'revokedAt', r."revokedAt", 'credentialSha256',
              CASE WHEN r.credential IS NULL THEN NULL ELSE encode(sha256(convert_to(${CREDENTIAL_FILE_SQL}, 'UTF8')), 'hex') END) END
        ) ORDER BY p."createdAt" DESC, p.id ASC), '[]'::json)
        FROM page p
        LEFT JOIN "Candidate" c ON c.id = p."candidateId" AND c."organisationId" = ${org}::text
        LEFT JOIN "DeliveryRecord" r ON r.id = p."deliveryRecordId" AND r."organisationId" = ${org}::text) AS entries,
      (SELECT coalesce(json_agg(json_build_object('id', s.id, 'title', s.title, 'startsAt', s."startsAt") ORDER BY s."startsAt" DESC), '[]'::json)
        FROM "Session" s WHERE s."organisationId" = ${org}::text AND s.id IN (SELECT "sessionId" FROM visible)) AS sessions,
      (SELECT coalesce(json_agg(DISTINCT kind), '[]'::json) FROM visible) AS kinds,
      (SELECT coalesce(json_agg(json_build_object('id', t.id, 'code', t.code, 'title', t.title) ORDER BY t.title ASC), '[]'::json)
        FROM "Certification" t WHERE t."organisationId" = ${org}::text AND t.id IN (SELECT "certificationId" FROM visible)) AS certifications`;
  let [listing] = await read(asked);
  const pageCount = Math.max(1, Math.ceil(listing.total / ARCHIVE_PAGE_SIZE));
  // A page past the end (a link kept after a filter changed, a typed number) shows the last one, as the candidates do.
  const page = Math.min(asked, pageCount);
  if (page !== asked) [listing] = await read(page);
  const retentionYears = listing.retentionYears;
  const sessions = parsed(listing.sessions).map((s) => ({ ...s, startsAt: utc(s.startsAt) }));
  const certifications = parsed(listing.certifications);
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const certificationById = new Map(certifications.map((c) => [c.id, c]));
  const entries = parsed(listing.entries).map((row) => {
    const createdAt = utc(row.createdAt);
    return {
      id: row.id,
      kind: row.kind,
      kindLabel: archiveKindLabel(row.kind),
      fileName: row.fileName,
      sha256: row.sha256,
      createdAt,
      candidate: row.candidate ? candidateName(row.candidate) : null,
      session: row.sessionId ? (sessionById.get(row.sessionId) ?? null) : null,
      certification: row.certificationId ? (certificationById.get(row.certificationId) ?? null) : null,
      record: row.record
        ? {
            number: row.record.number,
            revoked: row.record.revokedAt !== null,
            credentialSha256: row.record.credentialSha256,
          }
        : null,
      retentionYears,
      retentionUntil: retentionUntil(createdAt, retentionYears),
    };
  });
  return {
    entries,
    total: listing.total,
    page,
    pageCount,
    sessions,
    certifications,
    kinds: parsed(listing.kinds),
    retentionYears,
  };
}
