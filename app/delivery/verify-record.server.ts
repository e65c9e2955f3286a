/**
 * Public verification of a delivery record by its random code: only what a recruiter needs (holder's name,
 * certification, blocs, date, status, document hash; for a revoked record, the reason given, which names the
 * replacing document when an upheld appeal replaced it). An unknown code and a malformed one get the same answer
 * (null) after the same single indexed lookup, so the page never tells them apart nor enumerates records.
 */
import { prisma } from "~/platform/db/db.server";
import { isVerificationCodeShape, recordStatus } from "~/domain/delivery-record";
import { holderName } from "./record-pdf.server";
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
    holder: holderName(record.holder as RecordSnapshot["holder"]),
    certification: { code: certification.code, title: certification.title, certifier: certification.certifierName },
    blocs: record.blocs as RecordSnapshot["blocs"],
    issuedAt: record.issuedAt,
    validUntil: record.validUntil,
    status: recordStatus(record, on),
    revokedAt: record.revokedAt,
    revocationReason: record.revokedAt ? record.revocationReason : null,
    pdfSha256: record.pdfSha256,
    hasCredential: record.credential !== null,
  };
}

export async function credentialForVerification(code: string) {
  const normalised = code.trim().toLowerCase();
  const record = await prisma.deliveryRecord.findUnique({
    where: { verificationCode: isVerificationCodeShape(normalised) ? normalised : "-" },
    select: { credential: true, number: true },
  });
  return record?.credential ? { number: record.number, credential: record.credential } : null;
}
