/**
 * Use case: the public « Vérifier un fichier » of /verifier/<code>: is the PDF someone was handed exactly the document
 * issued under this code? Its SHA-256 is compared with the one stored when the record was sealed; a different file
 * is then examined for what a reader should be told: not a PDF, a seal broken by a change (one byte is enough), or an
 * intact seal on another document. Reads nothing else and reveals nothing beyond the verification page itself; the
 * bytes are not kept. An unknown or malformed code answers null, as the page does.
 */
import { createHash } from "node:crypto";
import { isVerificationCodeShape } from "~/domain/delivery-record";
import { prisma } from "~/platform/db/db.server";
import { verifySealedPdf } from "~/platform/pdf/verify-seal.server";

/** The largest file checked: a record's PDF weighs some 50 kB; the front door caps the body at 1 MB anyway. */
export const RECORD_FILE_MAX_BYTES = 900 * 1024;

export type RecordFileCheck =
  | { outcome: "identical"; sha256: string }
  | { outcome: "pending" }
  | { outcome: "different"; sha256: string; message: string };

export async function checkRecordFile(code: string, bytes: Uint8Array): Promise<RecordFileCheck | null> {
  const normalised = code.trim().toLowerCase();
  const record = await prisma.deliveryRecord.findUnique({
    where: { verificationCode: isVerificationCodeShape(normalised) ? normalised : "-" },
    select: { pdfSha256: true },
  });
  if (!record) return null;
  if (!record.pdfSha256) return { outcome: "pending" };
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 === record.pdfSha256.toLowerCase()) return { outcome: "identical", sha256 };
  return { outcome: "different", sha256, message: whyDifferent(bytes) };
}

function whyDifferent(bytes: Uint8Array): string {
  if (!Buffer.from(bytes.subarray(0, 5)).toString("latin1").startsWith("%PDF-")) {
    return "Ce fichier n'est pas un PDF : ce n'est pas le document délivré sous ce code.";
  }
  const seal = verifySealedPdf(bytes);
  if (!seal.intact) return `Ce fichier a été modifié ou n'est pas le document délivré sous ce code. ${seal.reason}`;
  return "Ce fichier porte un cachet intact, mais ce n'est pas le document délivré sous ce code (un autre document ou une autre version).";
}
