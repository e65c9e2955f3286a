/**
 * Delivery records as render-only kinds of the render runner (app/signing/render-jobs.server.ts): issuing a record
 * inserts a RenderJob (kind "parchemin" or "attestation", document id = record id) in its transaction; the runner
 * then issues the credential if missing, renders and seals the PDF in the worker thread, stores it as the record's
 * SignedDocument and its hash on the record — never on the request.
 */
import type { RenderableKind } from "~/signing/document-kind";
import { AppError } from "~/platform/app-error";
import { recordFileName, recordPdfInput } from "./finish-record.server";

function recordKind(kind: "parchemin" | "attestation"): RenderableKind {
  return {
    kind,
    audit: { subjectType: "DeliveryRecord", prefix: kind },
    async load(db, ref) {
      const record = await db.deliveryRecord.findUnique({ where: { id: ref.documentId }, select: { organisationId: true } });
      if (!record) throw new AppError("NOT_FOUND", "Document introuvable.");
      return record;
    },
    // The délivrance pages poll the render progress while a PDF is pending: nothing to broadcast.
    async publish(db, ref) {
      const record = await db.deliveryRecord.findUniqueOrThrow({ where: { id: ref.documentId }, select: { id: true, pdfSha256: true } });
      return { recordId: record.id, pdfSha256: record.pdfSha256 };
    },
    pdf: {
      async fileName(db, ref) {
        return recordFileName(await db.deliveryRecord.findUniqueOrThrow({ where: { id: ref.documentId } }));
      },
      input: (_db, ref) => recordPdfInput(ref.documentId),
      async stored(tx, ref, sha256) {
        await tx.deliveryRecord.update({ where: { id: ref.documentId }, data: { pdfSha256: sha256 } });
      },
    },
  };
}

export const parcheminKind = recordKind("parchemin");
export const attestationKind = recordKind("attestation");
