/**
 * Use case: the public « Vérifier un fichier » of /verifier/<code>: is the PDF someone was handed exactly the document
 * issued under this code (a delivery record, a notice letter or a fiche de décision)? Its SHA-256 is compared with the
 * one stored when the document was sealed; a different file is then examined for what a reader should be told: not a PDF, a seal broken by a change (one byte is enough), or an
 * intact seal on another document. The same file as issued is not « valid » for all that: a replaced document is
 * answered with the day and number of the document that replaced it (an upheld appeal's, or the rectified one), a
 * revoked one with its revocation day, an expired one with its last valid day — what the page's banner says, so the
 * file's answer never reads as a success on its own. Reads nothing else and reveals nothing beyond the verification page itself (the
 * revocation reason stays with the secretariat, as on the page); the bytes are not kept. An unknown or malformed code
 * answers null, as the page does.
 */
import { createHash } from "node:crypto";
import type { DocumentReplacement, VerifiedDocumentKind } from "~/domain/document-verification";
import { prisma } from "~/platform/db/db.server";
import { verifySealedPdf } from "~/platform/pdf/verify-seal.server";
import { verificationKey } from "~/domain/delivery-record";
import { findDocumentForVerification } from "./verify-document.server";
import { findRecordForVerification, type RecordReplacement } from "./verify-record.server";

/** The largest file checked: a record's PDF weighs some 50 kB; the front door caps the body at 1 MB anyway. */
export const RECORD_FILE_MAX_BYTES = 900 * 1024;

/** What the document issued under the code is today: the file may be it, and it may no longer be valid. */
export type RecordStanding =
  | { status: "valid" }
  | { status: "expired"; validUntil: Date }
  | { status: "revoked"; revokedAt: Date }
  /** Replaced by another record (an upheld appeal's decision's, or the rectified record), revoked or not yet. */
  | { status: "replaced"; replacedBy: RecordReplacement; revokedAt: Date | null }
  /** A notice letter or a fiche de décision a newer version replaces (a re-issued letter, a decision revised on appeal). */
  | { status: "superseded"; kind: VerifiedDocumentKind; replacedBy: DocumentReplacement };

export type RecordFileCheck =
  | { outcome: "identical"; sha256: string; standing: RecordStanding }
  | { outcome: "pending" }
  | { outcome: "different"; sha256: string; message: string };

export async function checkRecordFile(code: string, bytes: Uint8Array): Promise<RecordFileCheck | null> {
  const key = verificationKey(code);
  const record = await prisma.deliveryRecord.findUnique({ where: { verificationCode: key }, select: { pdfSha256: true } });
  // A notice letter or a fiche de décision (docs/decisions/0029): its page's reading, then the same comparison.
  const document = record ? null : await findDocumentForVerification(key);
  if (!record && !document) return null;
  const expected = record ? record.pdfSha256 : document!.pdfSha256;
  if (!expected) return { outcome: "pending" };
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== expected.toLowerCase()) return { outcome: "different", sha256, message: whyDifferent(bytes) };
  if (document) {
    const standing: RecordStanding = document.replacedBy ? { status: "superseded", kind: document.kind, replacedBy: document.replacedBy } : { status: "valid" };
    return { outcome: "identical", sha256, standing };
  }
  return { outcome: "identical", sha256, standing: await standingOf(key) };
}

/** The record's status as its verification page shows it (the same reading, so the two never disagree). */
async function standingOf(code: string): Promise<RecordStanding> {
  const record = await findRecordForVerification(code);
  if (record?.replacedBy) return { status: "replaced", replacedBy: record.replacedBy, revokedAt: record.revokedAt };
  if (record?.status === "revoked" && record.revokedAt) return { status: "revoked", revokedAt: record.revokedAt };
  if (record?.status === "expired" && record.validUntil) return { status: "expired", validUntil: record.validUntil };
  return { status: "valid" };
}

function whyDifferent(bytes: Uint8Array): string {
  if (!Buffer.from(bytes.subarray(0, 5)).toString("latin1").startsWith("%PDF-")) {
    return "Ce fichier n'est pas un PDF : ce n'est pas le document délivré sous ce code.";
  }
  const seal = verifySealedPdf(bytes);
  if (!seal.intact) return `Ce fichier a été modifié ou n'est pas le document délivré sous ce code. ${seal.reason}`;
  return "Ce fichier porte un cachet intact, mais ce n'est pas le document délivré sous ce code (un autre document ou une autre version).";
}
