/**
 * The certificate page that closes every sealed document: who signed, when, how each signer was authenticated,
 * the SHA-256 of the canonical content they signed, and the organisation's seal (saying plainly when it is a
 * demo certificate), and the audit chain's head when the document was completed. IP addresses stay in the audit
 * log, never on paper. The PDF's own SHA-256 cannot be printed
 * in the PDF: it is returned by sealPdf and stored with the file.
 */
import { A4, type PdfADocument } from "./pdfa.server";
import { MARGIN, TextFlow } from "./layout.server";
import { drawQrCode } from "./qr.server";
import type { SealCertificate } from "./seal-certificate.server";
import type { AuditHead } from "~/domain/audit";
import { frenchTime } from "~/domain/format";
import { formatParisLongDate } from "~/domain/paris-date";

export type CertificatePageInput = {
  /** What was signed, e.g. « Procès-verbal de délibération — Jury du 12 mars 2027 ». */
  documentLabel: string;
  /** SHA-256 (hex) of the canonical content the signers signed. */
  contentHash: string;
  signers: Array<{
    name: string;
    /** « Président du jury », « Secrétaire »… */
    role: string;
    signedAt: Date;
    /** How the signer was authenticated, e.g. « mot de passe et ré-authentification à la signature ». */
    authentication: string;
    /** Signed in the stead of a prevented president: « signé par X, vice-président(e), pour le président Y empêché ». */
    onBehalfOf?: string;
  }>;
  /**
   * Signers recorded as prevented from signing (« empêchement constaté »): named, with the reason, never as signers;
   * `replacedBy`: the words of the signature the vice-president gave in their stead, if any.
   */
  unavailable?: Array<{ name: string; role: string; recordedAt: Date; recordedBy: string; reason: string; replacedBy?: string }>;
  organisation: string;
  certificate: Pick<SealCertificate, "signer" | "fingerprint" | "isDemoCertificate" | "notAfter">;
  /** Public verification URL (delivery records): drawn as a QR code with a caption. */
  verificationUrl?: string;
  /** The audit chain's head anchored when the document was completed (`npm run audit:verify -- <seq>:<hash>`). */
  auditHead?: AuditHead | null;
};

/** The certificate page's lines about the audit chain's head: what it proves, and the anchor to check it with. */
export function auditHeadLines(head: AuditHead): { explanation: string; anchor: string } {
  return {
    explanation:
      `À la signature, le dernier événement du journal d'audit chaîné (par clé) était le n° ${head.seq}, enregistré ` +
      "par l'organisme avec son empreinte ci-dessous : toute suppression ou réécriture du journal jusqu'à ce point est " +
      "détectée par sa vérification (npm run audit:verify -- <numéro>:<empreinte>).",
    anchor: `${head.seq}:${head.hash}`,
  };
}

/** « 1er décembre 2026 à 9 h 05 » (Paris), written as the minutes and records write their dates and times. */
const signedAtText = (instant: Date) => `${formatParisLongDate(instant)} à ${frenchTime(instant)}`;

/**
 * The signers who did not sign because their empêchement was recorded: each named, with who recorded it, when, and
 * why (decision 0028). Shared by the grid's own certificate page.
 */
export function unavailableLines(u: { name: string; role: string; recordedAt: Date; recordedBy: string; reason: string }) {
  return {
    heading: `${u.name} — ${u.role}`,
    notSigned: `empêchement constaté le ${signedAtText(new Date(u.recordedAt))} par ${u.recordedBy}`,
    reason: u.reason,
  };
}

function writeUnavailable(flow: TextFlow, unavailable: NonNullable<CertificatePageInput["unavailable"]>): void {
  if (unavailable.length === 0) return;
  flow.text("Signataires empêchés (n'ont pas signé)", { size: 12, bold: true, gap: 4 });
  for (const u of unavailable) {
    const lines = unavailableLines(u);
    flow.text(lines.heading, { bold: true, indent: 10 });
    flow.field("N'a pas signé", lines.notSigned, { indent: 20, size: 9 });
    flow.field("Motif", lines.reason, { indent: 20, size: 9, gap: u.replacedBy ? 0 : 6 });
    if (u.replacedBy) flow.field("À sa place", u.replacedBy, { indent: 20, size: 9, gap: 6 });
  }
}

/** Adds the certificate page at the end of the document (call before numberPages and sealPdf). */
export function addCertificatePage(doc: PdfADocument, input: CertificatePageInput): void {
  const flow = new TextFlow(doc);
  flow.text("Certificat de signature et de scellement", { size: 16, bold: true, gap: 8 });
  flow.field("Document", input.documentLabel);
  flow.field("Empreinte SHA-256 du contenu signé", input.contentHash, { size: 9 });
  flow.rule();
  flow.text("Signataires", { size: 12, bold: true, gap: 4 });
  if (input.signers.length === 0) flow.text("Aucune signature individuelle.", { indent: 10 });
  for (const signer of input.signers) {
    flow.text(`${signer.name} — ${signer.role}`, { bold: true, indent: 10 });
    if (signer.onBehalfOf) flow.field("Qualité", signer.onBehalfOf, { indent: 20, size: 9 });
    flow.field("Signé le", signedAtText(signer.signedAt), { indent: 20, size: 9 });
    flow.field("Authentification", signer.authentication, { indent: 20, size: 9, gap: 6 });
  }
  writeUnavailable(flow, input.unavailable ?? []);
  if (input.auditHead) {
    const lines = auditHeadLines(input.auditHead);
    flow.rule();
    flow.text("Journal d'audit", { size: 12, bold: true, gap: 4 });
    flow.text(lines.explanation, { indent: 10, size: 9 });
    flow.field("Tête de la chaîne (numéro:empreinte)", lines.anchor, { indent: 10, size: 9, gap: 6 });
  }
  flow.rule();
  flow.text("Cachet électronique de l'organisme", { size: 12, bold: true, gap: 4 });
  flow.text(
    `Ce fichier est scellé par ${input.organisation} (signature PAdES, ETSI.CAdES.detached) : toute modification, même d'un seul octet, rend le cachet invalide dans un lecteur qui vérifie les signatures.`,
    { indent: 10 },
  );
  flow.field("Certificat", input.certificate.signer, { indent: 10, size: 9 });
  flow.field("Empreinte SHA-256 du certificat", input.certificate.fingerprint, { indent: 10, size: 9 });
  flow.field("Valable jusqu'au", formatParisLongDate(input.certificate.notAfter), { indent: 10, size: 9, gap: 6 });
  if (input.certificate.isDemoCertificate) {
    flow.text(
      "Certificat de démonstration : ce cachet a été créé automatiquement par Quorum, faute de certificat de cachet configuré. Il prouve que le fichier n'a pas été modifié, mais n'engage pas l'organisme.",
      { bold: true, indent: 10, color: [0.6, 0.1, 0.1] },
    );
  }
  if (input.verificationUrl) {
    const size = 90;
    flow.ensure(size + 30);
    drawQrCode(flow.page, input.verificationUrl, {
      x: A4.width - MARGIN - size,
      y: flow.y - size - 10,
      size,
      caption: "Vérifier ce document",
      font: doc.fonts.regular,
    });
    flow.text("Vérification en ligne :", { size: 9, bold: true });
    flow.text(input.verificationUrl, { size: 9 });
    flow.space(size);
  }
}
