/**
 * The fiche de décision as a sealed PDF/A-3b (app/platform/pdf): its sections (app/domain/decision-sheet.ts),
 * « page N / M », the evidence JSON attached (the decision and its items as stored, the polls' totals, the sealed
 * content, the audit events of the deliberation and the sheet with their chain hashes), the certificate page
 * (signers, times, authentication, content hash, no IP address; the demo-certificate notice), the QR code and address
 * of its public verification page at the end of its sections (as a parchemin's), then the
 * organisation's PAdES seal. Runs in the render worker.
 */
import { decisionSheetSections, type SealedDecisionSheet } from "~/domain/decision-sheet";
import { TextFlow } from "~/platform/pdf/layout.server";
import { createPdfA } from "~/platform/pdf/pdfa.server";
import { drawVerificationCode } from "~/platform/pdf/qr.server";
import { sealSignedPdf, writeSections, type RenderedPdf, type SignedPdfSignature, type SignedPdfUnavailability } from "../signed-pdf";

export type DecisionPdfInput = {
  organisation: string;
  title: string;
  createdAt: Date;
  content: SealedDecisionSheet;
  contentHash: string;
  signatures: SignedPdfSignature[];
  /** Signers recorded as prevented from signing (decision 0028). */
  unavailable?: SignedPdfUnavailability[];
  evidence: unknown;
  /** The sheet's public verification page, printed at the end of its sections; null for a sheet without a code. */
  verificationUrl?: string | null;
};

export const DECISION_EVIDENCE_FILE = "preuves-fiche-de-decision.json";

export async function renderDecisionPdf(input: DecisionPdfInput): Promise<RenderedPdf> {
  const doc = await createPdfA({
    title: input.title,
    author: input.organisation,
    subject: "Fiche de décision du jury, scellée",
    createdAt: new Date(input.createdAt),
  });
  // Every page after the first names the sheet and its candidate: a page printed or read alone still says whose it is.
  const flow = new TextFlow(doc, { continuation: `${input.title} — suite` });
  writeSections(flow, { ...decisionSheetSections(input.content), organisation: input.organisation });
  if (input.verificationUrl) drawVerificationCode(flow, input.verificationUrl, doc.fonts.regular);
  return sealSignedPdf(doc, {
    organisation: input.organisation,
    documentLabel: input.title,
    contentHash: input.contentHash,
    signatures: input.signatures,
    unavailable: input.unavailable,
    attachment: {
      fileName: DECISION_EVIDENCE_FILE,
      description: "Preuves de la fiche de décision : décision, décomptes des votes, contenu scellé, journal d'audit chaîné",
      data: input.evidence,
    },
    sealReason: "Fiche de décision scellée par l'organisme",
  });
}
