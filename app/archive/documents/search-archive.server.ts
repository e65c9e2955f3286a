/**
 * The archive's list: every signed or issued document the viewer may see, searched by candidate (accent- and
 * case-insensitive, birth, usage or given names), certification, session, period and kind; newest first, paginated.
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { searchTerms } from "~/domain/search";
import { candidateName } from "~/domain/identity";
import { archiveKindLabel, retentionUntil } from "./archive-kinds";
import { visibleDocuments, type ArchiveViewer } from "./archive-access.server";

export const ARCHIVE_PAGE_SIZE = 20;

export type ArchiveFilter = {
  query?: string;
  certificationId?: string | null;
  sessionId?: string | null;
  kind?: string | null;
  /** Inclusive start, exclusive end. */
  from?: Date | null;
  to?: Date | null;
  page?: number;
};

export async function searchArchive(viewer: ArchiveViewer, filter: ArchiveFilter) {
  const terms = searchTerms(filter.query);
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const where: Prisma.SignedDocumentWhereInput = {
    AND: [
      visibleDocuments(viewer),
      ...(terms.length ? [{ slot: { candidate: { AND: terms.map((t) => ({ searchKey: { contains: t } })) } } }] : []),
      ...(filter.certificationId ? [{ slot: { session: { referentialVersion: { certificationId: filter.certificationId } } } }] : []),
      ...(filter.sessionId ? [{ slot: { sessionId: filter.sessionId } }] : []),
      ...(filter.kind ? [{ kind: filter.kind }] : []),
      ...(filter.from || filter.to
        ? [{ createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }]
        : []),
    ],
  };
  const [rows, total, organisation, sessions, certifications] = await Promise.all([
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
        slot: {
          select: {
            candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true } },
            session: {
              select: {
                id: true,
                title: true,
                startsAt: true,
                referentialVersion: { select: { certification: { select: { code: true, title: true } } } },
              },
            },
          },
        },
      },
    }),
    prisma.signedDocument.count({ where }),
    prisma.organisation.findUniqueOrThrow({ where: { id: viewer.organisationId }, select: { retentionYears: true } }),
    prisma.session.findMany({
      where: { organisationId: viewer.organisationId, slots: { some: { documents: { some: visibleDocuments(viewer) } } } },
      orderBy: { startsAt: "desc" },
      select: { id: true, title: true, startsAt: true },
    }),
    prisma.certification.findMany({
      where: { organisationId: viewer.organisationId },
      orderBy: { title: "asc" },
      select: { id: true, code: true, title: true },
    }),
  ]);
  const entries = rows.flatMap((row) => (row.slot ? [{ ...row, slot: row.slot }] : [])).map((row) => ({
    id: row.id,
    kind: row.kind,
    kindLabel: archiveKindLabel(row.kind),
    fileName: row.fileName,
    sha256: row.sha256,
    createdAt: row.createdAt,
    candidate: candidateName(row.slot.candidate),
    session: { id: row.slot.session.id, title: row.slot.session.title, startsAt: row.slot.session.startsAt },
    certification: row.slot.session.referentialVersion?.certification ?? null,
    retentionYears: organisation.retentionYears,
    retentionUntil: retentionUntil(row.createdAt, organisation.retentionYears),
  }));
  return {
    entries,
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / ARCHIVE_PAGE_SIZE)),
    sessions,
    certifications,
    retentionYears: organisation.retentionYears,
  };
}
