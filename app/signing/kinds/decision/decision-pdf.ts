/**
 * The fiche de décision as a sealed PDF/A-3b (app/platform/pdf): its sections (app/domain/decision-sheet.ts),
 * « page N / M », the evidence JSON attached (the decision and its items as stored, the polls' totals, the sealed
 * content, the audit events of the deliberation and the sheet with their chain hashes), the certificate page
 * (signers, times, authentication, content hash, no IP address; the demo-certificate notice), then the
 * organisation's PAdES seal. Runs in the render worker.
 */
import { decisionSheetSections, type SealedDecisionSheet } from "~/domain/decision-sheet";
import { addCertificatePage } from "~/platform/pdf/certificate-page.server";
import { TextFlow } from "~/platform/pdf/layout.server";
import { attachJson, createPdfA, numberPages } from "~/platform/pdf/pdfa.server";
import { sealPdf } from "~/platform/pdf/seal.server";
import { loadSealCertificate } from "~/platform/pdf/seal-certificate.server";

export type DecisionPdfInput = {
  organisation: string;
  title: string;
  createdAt: Date;
  content: SealedDecisionSheet;
  contentHash: string;
  signatures: Array<{ name: string; role: string; signedAt: Date }>;
  evidence: unknown;
};

export const DECISION_EVIDENCE_FILE = "preuves-fiche-de-decision.json";

export async function renderDecisionPdf(input: DecisionPdfInput): Promise<{ pdf: Uint8Array; notes: { replacedCharacters: string[] } }> {
  const doc = await createPdfA({
    title: input.title,
    author: input.organisation,
    subject: "Fiche de décision du jury, scellée",
    createdAt: new Date(input.createdAt),
  });
  const { title, sections } = decisionSheetSections(input.content);
  const flow = new TextFlow(doc);
  flow.text(title, { size: 16, bold: true, gap: 4 });
  flow.text(input.organisation, { size: 11, gap: 8 });
  for (const section of sections) {
    flow.space(4);
    flow.text(section.heading, { size: 12, bold: true, gap: 3 });
    for (const paragraph of section.paragraphs) flow.text(paragraph, { indent: 8, gap: 3 });
  }
  await attachJson(doc, {
    fileName: DECISION_EVIDENCE_FILE,
    description: "Preuves de la fiche de décision : décision, décomptes des votes, contenu scellé, journal d'audit chaîné",
    data: input.evidence,
  });
  const certificate = await loadSealCertificate({ organisation: input.organisation });
  addCertificatePage(doc, {
    documentLabel: input.title,
    contentHash: input.contentHash,
    signers: input.signatures.map((s) => ({
      ...s,
      signedAt: new Date(s.signedAt),
      authentication: "session authentifiée, mot de passe ressaisi et consentement explicite à la signature",
    })),
    organisation: input.organisation,
    certificate,
  });
  numberPages(doc);
  const sealed = await sealPdf(doc, { certificate, reason: "Fiche de décision scellée par l'organisme", location: "Quorum" });
  return { pdf: sealed.bytes, notes: { replacedCharacters: [] } };
}
