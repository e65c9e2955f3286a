/**
 * The archive's list: every signed or issued document the viewer may see — any `SignedDocument` kind (grids, decision
 * sheets, minutes, parchemins, attestations, …) with, for a delivery record, its digital credential — searched by
 * candidate (accent- and case-insensitive, birth, usage or given names), certification, session, period, the
 * candidate's decision and the kind; newest first, paginated.
 */
import { createHash } from "node:crypto";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { searchTerms } from "~/domain/search";
import { candidateName } from "~/domain/identity";
import { listDecisions } from "~/archive/list-decisions.server";
import { ARCHIVE_DECISIONS, archiveKindLabel, retentionUntil, type ArchiveDecision } from "./archive-kinds";
import { visibleDocuments, type ArchiveViewer } from "./archive-access.server";

export const ARCHIVE_PAGE_SIZE = 20;

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

/** The serialised credential as downloaded, and its SHA-256 (shown on the entry). */
export function credentialBytes(credential: unknown): Buffer {
  return Buffer.from(JSON.stringify(credential, null, 2) + "\n", "utf8");
}
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Candidates of the organisation with a final jury decision `decision` (`listDecisions`). */
async function candidatesDecided(organisationId: string, decision: ArchiveDecision): Promise<string[]> {
  return [...new Set((await listDecisions(organisationId)).filter((d) => d.outcome === decision).map((d) => d.candidateId))];
}

export async function searchArchive(viewer: ArchiveViewer, filter: ArchiveFilter) {
  const terms = searchTerms(filter.query);
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const organisationId = viewer.organisationId;
  const visible = await visibleDocuments(viewer);
  const decision = (ARCHIVE_DECISIONS as readonly string[]).includes(filter.decision ?? "") ? (filter.decision as ArchiveDecision) : null;

  const matchingCandidates = terms.length
    ? (
        await prisma.candidate.findMany({
          where: { organisationId, AND: terms.map((t) => ({ searchKey: { contains: t } })) },
          select: { id: true },
        })
      ).map((c) => c.id)
    : null;
  const decidedCandidates = decision ? await candidatesDecided(organisationId, decision) : null;
  const credentialRecords =
    filter.kind === "credential"
      ? (await prisma.deliveryRecord.findMany({ where: { organisationId, credentialId: { not: null } }, select: { id: true } })).map((r) => r.id)
      : null;

  const where: Prisma.SignedDocumentWhereInput = {
    AND: [
      visible,
      ...(matchingCandidates ? [{ candidateId: { in: matchingCandidates } }] : []),
      ...(decidedCandidates ? [{ candidateId: { in: decidedCandidates } }] : []),
      ...(filter.certificationId ? [{ certificationId: filter.certificationId }] : []),
      ...(filter.sessionId ? [{ sessionId: filter.sessionId }] : []),
      ...(filter.candidateId ? [{ candidateId: filter.candidateId }] : []),
      ...(credentialRecords ? [{ deliveryRecordId: { in: credentialRecords } }] : filter.kind ? [{ kind: filter.kind }] : []),
      ...(filter.from || filter.to
        ? [{ createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }]
        : []),
    ],
  };
  const [rows, total, organisation, sessionIds, kinds, certifications] = await Promise.all([
    prisma.signedDocument.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * ARCHIVE_PAGE_SIZE,
      take: ARCHIVE_PAGE_SIZE,
      select: {
        id: true,
        kind: true,
        fileName: true,
        sha256: true,
        createdAt: true,
        sessionId: true,
        candidateId: true,
        certificationId: true,
        deliveryRecordId: true,
      },
    }),
    prisma.signedDocument.count({ where }),
    prisma.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { retentionYears: true } }),
    prisma.signedDocument.findMany({ where: visible, distinct: ["sessionId"], select: { sessionId: true } }),
    prisma.signedDocument.findMany({ where: visible, distinct: ["kind"], select: { kind: true } }),
    prisma.certification.findMany({ where: { organisationId }, orderBy: { title: "asc" }, select: { id: true, code: true, title: true } }),
  ]);
  const ids = (key: "sessionId" | "candidateId" | "deliveryRecordId") => [...new Set(rows.flatMap((r) => (r[key] ? [r[key]] : [])))];
  const [sessions, candidates, records] = await Promise.all([
    prisma.session.findMany({
      where: { id: { in: [...new Set([...ids("sessionId"), ...sessionIds.flatMap((s) => (s.sessionId ? [s.sessionId] : []))])] }, organisationId },
      orderBy: { startsAt: "desc" },
      select: { id: true, title: true, startsAt: true },
    }),
    prisma.candidate.findMany({
      where: { id: { in: ids("candidateId") }, organisationId },
      select: { id: true, birthName: true, usageName: true, givenNames: true, sex: true },
    }),
    prisma.deliveryRecord.findMany({
      where: { id: { in: ids("deliveryRecordId") }, organisationId },
      select: { id: true, number: true, credential: true, revokedAt: true },
    }),
  ]);
  const certificationById = new Map(certifications.map((c) => [c.id, c]));
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const candidateById = new Map(candidates.map((c) => [c.id, c]));
  const recordById = new Map(records.map((r) => [r.id, r]));

  const entries = rows.map((row) => {
    const candidate = row.candidateId ? candidateById.get(row.candidateId) : undefined;
    const record = row.deliveryRecordId ? recordById.get(row.deliveryRecordId) : undefined;
    return {
      id: row.id,
      kind: row.kind,
      kindLabel: archiveKindLabel(row.kind),
      fileName: row.fileName,
      sha256: row.sha256,
      createdAt: row.createdAt,
      candidate: candidate ? candidateName(candidate) : null,
      session: row.sessionId ? (sessionById.get(row.sessionId) ?? null) : null,
      certification: row.certificationId ? (certificationById.get(row.certificationId) ?? null) : null,
      record: record
        ? {
            number: record.number,
            revoked: record.revokedAt !== null,
            credentialSha256: record.credential ? sha256(credentialBytes(record.credential)) : null,
          }
        : null,
      retentionYears: organisation.retentionYears,
      retentionUntil: retentionUntil(row.createdAt, organisation.retentionYears),
    };
  });
  return {
    entries,
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / ARCHIVE_PAGE_SIZE)),
    sessions: sessions.filter((s) => sessionIds.some((x) => x.sessionId === s.id)),
    certifications,
    kinds: kinds.map((k) => k.kind),
    retentionYears: organisation.retentionYears,
  };
}
