/**
 * The organisation's PAdES seal on a PDF/A document (SubFilter ETSI.CAdES.detached, baseline B-B attributes):
 * an invisible signature field is added with @signpdf/placeholder-pdf-lib, the document is saved once (no object
 * streams, so the placeholder stays findable), and @signpdf/signpdf fills /ByteRange and /Contents with the CMS
 * built by cms.server.ts. Readers that check signatures (Poppler's pdfsig, Acrobat) report it valid and the
 * document unmodified; any later byte change breaks it.
 *
 *   const certificate = await loadSealCertificate({ organisation: "CPNE Métallurgie" });
 *   const sealed = await sealPdf(doc, { certificate, reason: "Procès-verbal de délibération", location: "Lyon" });
 *   // sealed.bytes → store and serve; sealed.sha256 → store with it (certificate page, verification)
 */
import { createHash } from "node:crypto";
import { pdflibAddPlaceholder } from "@signpdf/placeholder-pdf-lib";
import signpdfModule from "@signpdf/signpdf";
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from "@signpdf/utils";
import { PDFDocument } from "pdf-lib";
import { buildCadesDetached } from "./cms.server";
import { applyPdfA, deflateContentStreams, type PdfADocument } from "./pdfa.server";
import type { SealCertificate } from "./seal-certificate.server";

// CJS interop: the package's default export is a SignPdf instance.
const signpdf = (
  (signpdfModule as unknown as { default?: typeof signpdfModule }).default ?? signpdfModule
) as typeof signpdfModule;

export type SealOptions = {
  certificate: SealCertificate;
  /** Signature dictionary /Reason, e.g. « Procès-verbal de délibération scellé par l'organisme ». */
  reason: string;
  /** /Location, e.g. the organisation's city, or « Quorum ». */
  location?: string;
  /** /ContactInfo, e.g. the secretariat's e-mail. */
  contactInfo?: string;
  /** The claimed signing time (/M). Default: now. */
  signingTime?: Date;
};

export type SealedPdf = {
  bytes: Uint8Array;
  /** SHA-256 of `bytes`, hex, lowercase: store it with the file. */
  sha256: string;
  signedAt: Date;
  signer: string;
  certificateFingerprint: string;
  isDemoCertificate: boolean;
};

class CadesSigner extends Signer {
  constructor(private readonly certificate: SealCertificate) {
    super();
  }
  async sign(content: Buffer): Promise<Buffer> {
    return buildCadesDetached({
      content,
      privateKey: this.certificate.privateKey,
      certificates: this.certificate.certificates,
    });
  }
}

/**
 * Seals a PDF/A document (or already-saved PDF bytes) with the organisation's certificate. The document must be
 * complete: pages numbered, attachments added. Returns the final bytes; nothing may touch them afterwards.
 */
export async function sealPdf(input: PdfADocument | Uint8Array, options: SealOptions): Promise<SealedPdf> {
  let pdf: PDFDocument;
  if (input instanceof Uint8Array) {
    pdf = await PDFDocument.load(input, { updateMetadata: false });
  } else {
    applyPdfA(input);
    pdf = input.pdf;
  }
  const signedAt = new Date(Math.floor((options.signingTime ?? new Date()).getTime() / 1000) * 1000);
  const certificateBytes = options.certificate.certificates.reduce((n, c) => n + c.length, 0);
  pdflibAddPlaceholder({
    pdfDoc: pdf,
    pdfPage: pdf.getPages().at(-1),
    reason: options.reason,
    contactInfo: options.contactInfo ?? "",
    name: options.certificate.signer,
    location: options.location ?? "",
    signingTime: signedAt,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    // CMS = certificates + attributes (~300 bytes) + signature (≤ 512 bytes for RSA 4096), with margin.
    signatureLength: Math.max(8192, certificateBytes + 4096),
    appName: "Quorum",
  });
  deflateContentStreams(pdf);
  const unsigned = await pdf.save({ useObjectStreams: false, updateFieldAppearances: false });
  const signed = await signpdf.sign(Buffer.from(unsigned), new CadesSigner(options.certificate), signedAt);
  const bytes = new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
  return {
    bytes,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    signedAt,
    signer: options.certificate.signer,
    certificateFingerprint: options.certificate.fingerprint,
    isDemoCertificate: options.certificate.isDemoCertificate,
  };
}
