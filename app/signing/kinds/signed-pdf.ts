/**
 * What the signed kinds' PDFs share (the decision sheet, the CPNE validation, the minutes): the title block and
 * the sections of a document built by app/domain, and the end of every such PDF — the JSON attached, the certificate
 * page (signers, times, authentication, content hash, the audit head if any), « page N / M », the organisation's
 * PAdES seal. Runs in the render worker.
 */
import type { AuditHead } from "~/domain/audit";
import { addCertificatePage } from "~/platform/pdf/certificate-page.server";
import { HEADING_KEEP, type TextFlow } from "~/platform/pdf/layout.server";
import { attachJson, numberPages, type JsonAttachment, type PdfADocument } from "~/platform/pdf/pdfa.server";
import { sealPdf } from "~/platform/pdf/seal.server";
import { loadSealCertificate } from "~/platform/pdf/seal-certificate.server";

/**
 * A signature; `onBehalfOf`: given by the vice-president in the stead of a prevented president (decision 0028), the
 * words « signé par X, vice-président(e), pour le président Y empêché ».
 */
export type SignedPdfSignature = { name: string; role: string; signedAt: Date; onBehalfOf?: string };
/**
 * A signer recorded as prevented from signing (« empêchement constaté », decision 0028): printed, never as a signature;
 * `replacedBy`: the words of the signature given in their stead, if any.
 */
export type SignedPdfUnavailability = { name: string; role: string; recordedAt: Date; recordedBy: string; reason: string; replacedBy?: string };
export type RenderedPdf = { pdf: Uint8Array; notes: { replacedCharacters: string[] } };

/** How every signer of a signed kind authenticated (printed on the certificate page). */
const SIGNER_AUTHENTICATION = "session authentifiée, mot de passe ressaisi et consentement explicite à la signature";

/** The document's title and organisation, then each section: its heading and its paragraphs. */
export function writeSections(
  flow: TextFlow,
  document: { title: string; organisation: string; sections: ReadonlyArray<{ heading: string; paragraphs: readonly string[] }> },
): void {
  flow.text(document.title, { size: 16, bold: true, gap: 4 });
  flow.text(document.organisation, { size: 11, gap: 8 });
  for (const section of document.sections) {
    flow.space(4);
    flow.text(section.heading, { size: 12, bold: true, gap: 3, keepWithNext: HEADING_KEEP });
    for (const paragraph of section.paragraphs) flow.text(paragraph, { indent: 8, gap: 3 });
  }
}

/** Attaches the JSON, adds the certificate page and the page numbers, then seals the PDF in the organisation's name. */
export async function sealSignedPdf(
  doc: PdfADocument,
  input: {
    organisation: string;
    /** The document's name on the certificate page. */
    documentLabel: string;
    contentHash: string;
    signatures: readonly SignedPdfSignature[];
    unavailable?: readonly SignedPdfUnavailability[];
    attachment: JsonAttachment;
    /** The seal's reason (shown by PDF readers). */
    sealReason: string;
    auditHead?: AuditHead | null;
  },
): Promise<RenderedPdf> {
  await attachJson(doc, input.attachment);
  const certificate = await loadSealCertificate({ organisation: input.organisation });
  addCertificatePage(doc, {
    documentLabel: input.documentLabel,
    contentHash: input.contentHash,
    signers: input.signatures.map((s) => ({ ...s, signedAt: new Date(s.signedAt), authentication: SIGNER_AUTHENTICATION })),
    unavailable: (input.unavailable ?? []).map((u) => ({ ...u, recordedAt: new Date(u.recordedAt) })),
    organisation: input.organisation,
    certificate,
    auditHead: input.auditHead,
  });
  numberPages(doc);
  const sealed = await sealPdf(doc, { certificate, reason: input.sealReason, location: "Quorum" });
  return { pdf: sealed.bytes, notes: { replacedCharacters: [...doc.replacedCharacters] } };
}
