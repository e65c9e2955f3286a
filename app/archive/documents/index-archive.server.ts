/**
 * The archive's index: what each stored document belongs to (organisation, session, candidate, certification,
 * delivery record), whatever its kind. `resolveArchiveLinks` resolves a document's `documentId` against the entities a
 * document can be about — a passage, a session, a session's minutes, a jury agenda item or decision, a re-issued
 * notice letter, a dossier, a delivery record. So a new kind (the decision sheet, …) appears in `/archives` without any change here, as long as
 * its document id is one of those entities. Writers (the render job of every kind, the in-process delivery records,
 * the seeds) index a `SignedDocument` in the transaction that stores it; `indexArchive`, before every archive read,
 * indexes what was stored otherwise (by an earlier version), so a list read while PDFs render stays one query.
 *
 * A row that resolves to nothing keeps `organisationId` null: it is visible to no one (never « leaked »).
 */
import { prisma, type Prisma } from "~/platform/db/db.server";

type Db = typeof prisma | Prisma.TransactionClient;

export type ArchiveLinks = {
  organisationId: string;
  sessionId: string | null;
  candidateId: string | null;
  certificationId: string | null;
  deliveryRecordId: string | null;
};

const sessionSelect = {
  id: true,
  organisationId: true,
  referentialVersion: { select: { certificationId: true } },
} as const;

type SessionRow = { id: string; organisationId: string; referentialVersion: { certificationId: string } | null };
type DossierRow = { id?: string; organisationId: string; candidateId: string; certificationId: string };

const fromSession = (s: SessionRow, dossier?: DossierRow | null, candidateId?: string | null): ArchiveLinks => ({
  organisationId: s.organisationId,
  sessionId: s.id,
  candidateId: dossier?.candidateId ?? candidateId ?? null,
  certificationId: dossier?.certificationId ?? s.referentialVersion?.certificationId ?? null,
  deliveryRecordId: null,
});

const dossierSelect = { organisationId: true, candidateId: true, certificationId: true } as const;

/** What the entity `id` (a document's `documentId`, or its passage) is; null when it is none of them. */
export async function resolveArchiveLinks(db: Db, id: string, slotId?: string | null): Promise<ArchiveLinks | null> {
  const slot = await db.sessionSlot.findFirst({
    where: { id: { in: [id, ...(slotId ? [slotId] : [])] } },
    select: { candidateId: true, dossierId: true, session: { select: sessionSelect } },
  });
  if (slot) {
    const dossier = slot.dossierId ? await db.dossier.findUnique({ where: { id: slot.dossierId }, select: dossierSelect }) : null;
    return fromSession(slot.session, dossier, slot.candidateId);
  }

  const session =
    (await db.session.findUnique({ where: { id }, select: sessionSelect })) ??
    (await db.sessionMinutes.findUnique({ where: { id }, select: { session: { select: sessionSelect } } }))?.session;
  if (session) return fromSession(session);

  const item =
    (await db.juryAgendaItem.findUnique({ where: { id }, select: { session: { select: sessionSelect }, dossier: { select: dossierSelect } } })) ??
    (await db.juryDecision.findUnique({ where: { id }, select: { session: { select: sessionSelect }, dossier: { select: dossierSelect } } })) ??
    // A re-issued notice letter (its own id): its decision's.
    (await db.noticeLetter.findUnique({ where: { id }, select: { decision: { select: { session: { select: sessionSelect }, dossier: { select: dossierSelect } } } } }))
      ?.decision;
  if (item) return fromSession(item.session, item.dossier);

  const record = await db.deliveryRecord.findUnique({
    where: { id },
    select: { id: true, organisationId: true, candidateId: true, certificationId: true, decisionId: true, duplicateOf: { select: { decisionId: true } } },
  });
  if (record) {
    const decisionId = record.decisionId ?? record.duplicateOf?.decisionId ?? null;
    const decision = decisionId ? await db.juryDecision.findUnique({ where: { id: decisionId }, select: { sessionId: true } }) : null;
    return {
      organisationId: record.organisationId,
      sessionId: decision?.sessionId ?? null,
      candidateId: record.candidateId,
      certificationId: record.certificationId,
      deliveryRecordId: record.id,
    };
  }

  const dossier = await db.dossier.findUnique({ where: { id }, select: dossierSelect });
  if (dossier) return { ...dossier, sessionId: null, deliveryRecordId: null };
  return null;
}

/** Indexes the documents not indexed yet (usually none: one indexed query). Idempotent; safe to run concurrently. */
export async function indexArchive(db: Db = prisma): Promise<number> {
  const pending = await db.signedDocument.findMany({
    where: { organisationId: null },
    select: { id: true, documentId: true, slotId: true },
    take: 500,
  });
  let indexed = 0;
  for (const row of pending) {
    const links = await resolveArchiveLinks(db, row.documentId, row.slotId);
    if (!links) continue;
    await db.signedDocument.updateMany({ where: { id: row.id, organisationId: null }, data: links });
    indexed++;
  }
  return indexed;
}
