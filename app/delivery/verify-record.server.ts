/**
 * Public verification of a delivery record by its random code: only what a recruiter needs (holder's name,
 * certification, blocs, date, status, document hash; for a record revoked because an upheld appeal replaced its
 * decision, the number of the document that replaces it; for a record rectified after its revocation, the rectified
 * record's number, and on the rectified record the one it replaces). The free-text revocation reason stays with the secretariat:
 * it may quote the jury's deliberation or the holder's situation. An unknown code and a malformed one get the same answer
 * (null) after the same single indexed lookup, so the page never tells them apart nor enumerates records.
 */
import { prisma } from "~/platform/db/db.server";
import { holderName, isVerificationCodeShape, recordStatus } from "~/domain/delivery-record";
import { originalOf } from "./record-chain.server";
import type { RecordSnapshot } from "./record-store.server";

export async function findRecordForVerification(code: string, on: Date = new Date()) {
  const normalised = code.trim().toLowerCase();
  // Same query whatever the shape: a malformed code is looked up as an impossible one.
  const record = await prisma.deliveryRecord.findUnique({
    where: { verificationCode: isVerificationCodeShape(normalised) ? normalised : "-" },
  });
  if (!record) return null;
  const certification = record.certification as RecordSnapshot["certification"];
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
    replacedBy: record.revokedAt ? await replacingNumber(record.duplicateOfId ?? record.id, record.decisionId) : null,
    /** A revoked record rectified (the same decision, issued again): the rectified record's number. */
    rectifiedBy: record.revokedAt ? await rectifyingNumber(record) : null,
    /** A rectified record: the revoked one it replaces, its kind, number and revocation day. */
    replaces: record.replacesId
      ? await prisma.deliveryRecord.findUnique({ where: { id: record.replacesId }, select: { kind: true, number: true, revokedAt: true } })
      : null,
    pdfSha256: record.pdfSha256,
    hasCredential: record.credential !== null,
  };
}

/** The rectified record that replaces this one's chain (its original), if any. */
async function rectifyingNumber(record: { id: string; duplicateOfId: string | null }): Promise<string | null> {
  const root = record.duplicateOfId ? await chainRootId(record) : record.id;
  if (!root) return null;
  return (await prisma.deliveryRecord.findUnique({ where: { replacesId: root }, select: { number: true } }))?.number ?? null;
}

/** The id of a duplicate's original (`duplicateOfId` followed up). */
async function chainRootId(record: { id: string; duplicateOfId: string | null }): Promise<string | null> {
  let current: { id: string; duplicateOfId: string | null } | null = record;
  const seen = new Set<string>();
  while (current?.duplicateOfId && !seen.has(current.id)) {
    seen.add(current.id);
    current = await prisma.deliveryRecord.findUnique({ where: { id: current.duplicateOfId }, select: { id: true, duplicateOfId: true } });
  }
  return current?.id ?? null;
}

/** The number of the record issued for the decision an upheld appeal put in place of `decisionId`, if any. */
async function replacingNumber(originalId: string, decisionId: string | null): Promise<string | null> {
  const ownDecision = decisionId ?? (await prisma.deliveryRecord.findUnique({ where: { id: originalId }, select: { decisionId: true } }))?.decisionId;
  if (!ownDecision) return null;
  const appeal = await prisma.appeal.findFirst({ where: { decisionId: ownDecision, status: "UPHELD", newDecisionId: { not: null } } });
  if (!appeal?.newDecisionId) return null;
  const replacing = await prisma.deliveryRecord.findFirst({
    where: { decisionId: appeal.newDecisionId, duplicateOfId: null },
    orderBy: { issuedAt: "desc" },
    select: { number: true },
  });
  return replacing?.number ?? null;
}

export async function credentialForVerification(code: string) {
  const normalised = code.trim().toLowerCase();
  const record = await prisma.deliveryRecord.findUnique({
    where: { verificationCode: isVerificationCodeShape(normalised) ? normalised : "-" },
    select: { credential: true, number: true },
  });
  return record?.credential ? { number: record.number, credential: record.credential } : null;
}
