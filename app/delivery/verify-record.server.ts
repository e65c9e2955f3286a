/**
 * Public verification of a delivery record by its random code: only what a recruiter needs (holder's name,
 * certification, blocs, date, status, document hash). A replaced record names the record that replaces it — an upheld
 * appeal's revised decision's, or the record rectified after its revocation —, its kind, number, issue day and
 * verification code (its page is linked): a replaced record is never shown as simply valid, even between the
 * replacement's issue and its own revocation (two steps after an appeal: reissue-after-appeal.server.ts). The
 * replacing record names the one it replaces, with its code too. The free-text revocation reason stays with the
 * secretariat: it may quote the jury's deliberation or the holder's situation. An unknown code and a malformed one get
 * the same answer (null) after the same single indexed lookup, so the page never tells them apart nor enumerates
 * records.
 */
import { prisma } from "~/platform/db/db.server";
import { holderName, recordStatus, verificationKey, type DeliveryKindName, type ReplacementCause } from "~/domain/delivery-record";
import { originalOf } from "./record-chain.server";
import type { RecordSnapshot } from "./record-store.server";

/** The record that replaces another one: what its verification page needs to name and link it. */
export type RecordReplacement = { kind: DeliveryKindName; number: string; verificationCode: string; issuedAt: Date; cause: ReplacementCause };
/** The record another one replaces, as the replacing record's page names it. */
export type ReplacedRecord = { kind: DeliveryKindName; number: string; verificationCode: string; revokedAt: Date | null; cause: ReplacementCause };

const REPLACEMENT_SELECT = { kind: true, number: true, verificationCode: true, issuedAt: true } as const;
const REPLACED_SELECT = { kind: true, number: true, verificationCode: true, revokedAt: true } as const;

export async function findRecordForVerification(code: string, on: Date = new Date()) {
  // Same query whatever the shape: a malformed code is looked up as an impossible one.
  const record = await prisma.deliveryRecord.findUnique({ where: { verificationCode: verificationKey(code) } });
  if (!record) return null;
  const certification = record.certification as RecordSnapshot["certification"];
  // A duplicate is replaced with its original.
  const root = record.duplicateOfId ? await chainRoot(record) : record;
  return {
    kind: record.kind,
    number: record.number,
    duplicate: record.duplicateOfId !== null,
    /** The original a duplicate replaces: its kind, number and issue date. */
    duplicateOf: await originalOf(prisma, record),
    holder: holderName(record.holder as RecordSnapshot["holder"]),
    certification: { code: certification.code, title: certification.title, certifier: certification.certifierName },
    blocs: record.blocs as RecordSnapshot["blocs"],
    issuedAt: record.issuedAt,
    validUntil: record.validUntil,
    status: recordStatus(record, on),
    revokedAt: record.revokedAt,
    /** The record that replaces this one (or its original, for a duplicate), if any. */
    replacedBy: root ? await replacementOf(root) : null,
    /** The record this one replaces (rectified, or issued for a decision revised on appeal), if any. */
    replaces: await replacedBy(record),
    pdfSha256: record.pdfSha256,
    hasCredential: record.credential !== null,
  };
}

/**
 * What replaces an original record: first the record rectified from it (`replacesId`, its direct replacement), else
 * the latest original record of the decision an upheld appeal put in place of its own.
 */
async function replacementOf(root: { id: string; decisionId: string | null }): Promise<RecordReplacement | null> {
  const rectified = await prisma.deliveryRecord.findUnique({ where: { replacesId: root.id }, select: REPLACEMENT_SELECT });
  if (rectified) return { ...rectified, cause: "rectification" };
  if (!root.decisionId) return null;
  const appeal = await prisma.appeal.findFirst({
    where: { decisionId: root.decisionId, status: "UPHELD", newDecisionId: { not: null } },
    select: { newDecisionId: true },
  });
  if (!appeal?.newDecisionId) return null;
  const replacing = await prisma.deliveryRecord.findFirst({
    where: { decisionId: appeal.newDecisionId, duplicateOfId: null },
    orderBy: { issuedAt: "asc" },
    select: REPLACEMENT_SELECT,
  });
  return replacing ? { ...replacing, cause: "appeal" } : null;
}

/**
 * What an original record replaces: the revoked record it rectifies (`replacesId`), else — the first record issued for
 * a decision revised on appeal — the latest original record of the contested decision.
 */
async function replacedBy(record: { id: string; replacesId: string | null; decisionId: string | null }): Promise<ReplacedRecord | null> {
  if (record.replacesId) {
    const rectified = await prisma.deliveryRecord.findUnique({ where: { id: record.replacesId }, select: REPLACED_SELECT });
    return rectified ? { ...rectified, cause: "rectification" } : null;
  }
  if (!record.decisionId) return null;
  const appeal = await prisma.appeal.findFirst({ where: { newDecisionId: record.decisionId, status: "UPHELD" }, select: { decisionId: true } });
  if (!appeal) return null;
  const first = await prisma.deliveryRecord.findFirst({
    where: { decisionId: record.decisionId, duplicateOfId: null },
    orderBy: { issuedAt: "asc" },
    select: { id: true },
  });
  if (first?.id !== record.id) return null; // a later record of the revised decision rectifies the first one
  const contested = await prisma.deliveryRecord.findFirst({
    where: { decisionId: appeal.decisionId, duplicateOfId: null },
    orderBy: { issuedAt: "desc" },
    select: REPLACED_SELECT,
  });
  return contested ? { ...contested, cause: "appeal" } : null;
}

/** A duplicate's original (`duplicateOfId` followed up), with what replacing it depends on. */
async function chainRoot(record: { id: string; duplicateOfId: string | null }): Promise<{ id: string; decisionId: string | null } | null> {
  let current: { id: string; duplicateOfId: string | null; decisionId: string | null } | null = { ...record, decisionId: null };
  const seen = new Set<string>();
  while (current?.duplicateOfId && !seen.has(current.id)) {
    seen.add(current.id);
    current = await prisma.deliveryRecord.findUnique({ where: { id: current.duplicateOfId }, select: { id: true, duplicateOfId: true, decisionId: true } });
  }
  return current;
}

export async function credentialForVerification(code: string) {
  const record = await prisma.deliveryRecord.findUnique({ where: { verificationCode: verificationKey(code) }, select: { credential: true, number: true } });
  return record?.credential ? { number: record.number, credential: record.credential } : null;
}
