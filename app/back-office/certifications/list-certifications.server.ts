/** The organisation's certifications, with their référentiel versions at a glance. */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { searchTerms } from "~/domain/search";
import { currentRequestScope, requestMemo, requestMemoIfAny } from "~/platform/http/request-scope.server";

const CERTIFICATION_LIST_SELECT = {
  id: true,
  kind: true,
  code: true,
  registrationCode: true,
  title: true,
  nationalLevel: true,
  // Read with the list so that one page's acquisitions (app/delivery/acquired-for.server.ts) need no read of their own.
  scheme: true,
  versions: { orderBy: { version: "desc" }, select: { id: true, version: true, publishedAt: true } },
} satisfies Prisma.CertificationSelect;

type CertificationRow = Prisma.CertificationGetPayload<{ select: typeof CERTIFICATION_LIST_SELECT }>;

/**
 * What a page may read with the organisation's certifications, in the same statement, when it says so before anything
 * reads them (`readWithCertifications`; the secretariat's desk): the habilitations still valid at a minute, and the
 * dossiers registered in a period (their registration dates). Each SQL statement a page sends costs it ~0.7 ms of CPU.
 */
export type CertificationsWith = { habilitationsValidFrom?: Date; dossiersCreated?: { from: Date; to: Date } };

const HABILITATION_SELECT = { id: true, userId: true, certificationId: true, validUntil: true } satisfies Prisma.HabilitationSelect;
type WithRow = CertificationRow & {
  habilitations?: Array<Prisma.HabilitationGetPayload<{ select: typeof HABILITATION_SELECT }>>;
  dossiers?: Array<{ createdAt: Date }>;
};
const wantedKey = (organisationId: string) => `certifications-with:${organisationId}`;
const readKey = (organisationId: string) => `certifications-read-with:${organisationId}`;

/** Asks the request's read of the organisation's certifications to bring `extras` too (a GET request's loaders only). */
export function readWithCertifications(organisationId: string, extras: CertificationsWith): void {
  if (!currentRequestScope()?.reads) return;
  void requestMemo(wantedKey(organisationId), () => Promise.resolve(extras));
}

function certificationRows(organisationId: string): Promise<WithRow[]> {
  return requestMemo(`certifications:${organisationId}`, async () => {
    const wanted = await requestMemoIfAny<CertificationsWith>(wantedKey(organisationId));
    // What this read brought, for the parts that would otherwise read it apart (`readWithCertificationsOr`).
    void requestMemo(readKey(organisationId), () => Promise.resolve(wanted ?? {}));
    return prisma.certification.findMany({
      where: { organisationId },
      orderBy: [{ title: "asc" }],
      select: {
        ...CERTIFICATION_LIST_SELECT,
        ...(wanted?.habilitationsValidFrom
          ? { habilitations: { where: { validUntil: { gte: wanted.habilitationsValidFrom } }, select: HABILITATION_SELECT } }
          : {}),
        ...(wanted?.dossiersCreated
          ? { dossiers: { where: { organisationId, createdAt: { gte: wanted.dossiersCreated.from, lt: wanted.dossiersCreated.to } }, select: { createdAt: true } } }
          : {}),
      },
    }) as Promise<WithRow[]>;
  });
}

/** Every certification of the organisation by title, with its scheme and its versions (newest first): once per page. */
export function organisationCertifications(organisationId: string): Promise<CertificationRow[]> {
  return certificationRows(organisationId);
}

/** The request's read of the certifications and what it brought, when the page asked for more (else null: no read). */
async function certificationsReadWith(organisationId: string): Promise<{ rows: WithRow[]; read: CertificationsWith } | null> {
  if (!requestMemoIfAny(wantedKey(organisationId))) return null;
  const rows = await certificationRows(organisationId);
  const read = await requestMemoIfAny<CertificationsWith>(readKey(organisationId));
  return read ? { rows, read } : null;
}

/**
 * The organisation's habilitations valid from `from` (a minute) on, by end of validity then id: from the request's read
 * of its certifications when the page asked for them (`readWithCertifications`), else in a query of their own.
 */
export async function habilitationsValidFrom(organisationId: string, from: Date) {
  const { rows = [], read = null } = (await certificationsReadWith(organisationId)) ?? {};
  if (read?.habilitationsValidFrom?.getTime() === from.getTime()) {
    const byEnd = (a: { validUntil: Date; id: string }, b: { validUntil: Date; id: string }) =>
      a.validUntil.getTime() - b.validUntil.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return rows.flatMap((c) => c.habilitations ?? []).sort(byEnd);
  }
  return prisma.habilitation.findMany({
    where: { certification: { organisationId }, validUntil: { gte: from } },
    orderBy: [{ validUntil: "asc" }, { id: "asc" }],
    select: HABILITATION_SELECT,
  });
}

/**
 * The registration dates of the organisation's dossiers registered in [from, to), of one certification or all: from the
 * request's read of its certifications when the page asked for that period, else in a query of their own.
 */
export async function dossiersCreatedIn(organisationId: string, period: { from: Date; to: Date }, certificationId: string | null) {
  const { rows = [], read = null } = (await certificationsReadWith(organisationId)) ?? {};
  const same = read?.dossiersCreated;
  if (same && same.from.getTime() === period.from.getTime() && same.to.getTime() === period.to.getTime()) {
    return rows.filter((c) => certificationId === null || c.id === certificationId).flatMap((c) => c.dossiers ?? []);
  }
  return prisma.dossier.findMany({
    where: { organisationId, createdAt: { gte: period.from, lt: period.to }, ...(certificationId ? { certificationId } : {}) },
    select: { createdAt: true },
  });
}

export async function listCertifications(organisationId: string, query = "") {
  const terms = searchTerms(query);
  const certifications = terms.length
    ? await prisma.certification.findMany({
        where: { organisationId, AND: terms.map((term) => ({ searchKey: { contains: term } })) },
        orderBy: [{ title: "asc" }],
        select: CERTIFICATION_LIST_SELECT,
      })
    : await certificationRows(organisationId);
  return certifications.map(({ versions, scheme: _scheme, habilitations: _habilitations, dossiers: _dossiers, ...c }: WithRow) => ({
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
