/**
 * The procès-verbal as a sealed PDF/A-3b (app/platform/pdf): the generated sections and the remarks, « page N / M »,
 * the evidence JSON attached (decisions, tallies, attendance with times, quorum events, incidents, the session's
 * audit events with their chain hashes), the certificate page (signers, times, authentication, content hash, the
 * audit chain's head at completion, no IP address; the demo-certificate notice), then the organisation's PAdES seal. Runs in the render worker.
 */
import { addCertificatePage } from "~/platform/pdf/certificate-page.server";
import { TextFlow } from "~/platform/pdf/layout.server";
import { attachJson, createPdfA, numberPages } from "~/platform/pdf/pdfa.server";
import { sealPdf } from "~/platform/pdf/seal.server";
import { loadSealCertificate } from "~/platform/pdf/seal-certificate.server";
import type { MinutesContent } from "~/domain/minutes";
import type { AuditHead } from "~/domain/audit";

export type MinutesPdfInput = {
  organisation: string;
  title: string;
  createdAt: Date;
  content: { generated: MinutesContent; remarks: string };
  contentHash: string;
  signatures: Array<{ name: string; role: string; signedAt: Date }>;
  evidence: unknown;
  /** The audit chain's head anchored at completion (set by the render runner). */
  auditHead?: AuditHead | null;
};

export const MINUTES_EVIDENCE_FILE = "preuves-proces-verbal.json";

export async function renderMinutesPdf(input: MinutesPdfInput): Promise<{ pdf: Uint8Array; notes: { replacedCharacters: string[] } }> {
  const doc = await createPdfA({
    title: input.title,
    author: input.organisation,
    subject: "Procès-verbal scellé",
    createdAt: new Date(input.createdAt),
  });
  const flow = new TextFlow(doc);
  flow.text(input.content.generated.title, { size: 16, bold: true, gap: 4 });
  flow.text(input.organisation, { size: 11, gap: 8 });
  for (const section of input.content.generated.sections) {
    flow.space(4);
    flow.text(section.heading, { size: 12, bold: true, gap: 3 });
    for (const paragraph of section.paragraphs) flow.text(paragraph, { indent: 8, gap: 3 });
  }
  flow.space(4);
  flow.text("Observations de la séance", { size: 12, bold: true, gap: 3 });
  flow.text(input.content.remarks.trim() || "Aucune observation.", { indent: 8 });
  await attachJson(doc, {
    fileName: MINUTES_EVIDENCE_FILE,
    description: "Preuves du procès-verbal : décisions, décomptes, émargement, quorum, incidents, journal d'audit chaîné",
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
    auditHead: input.auditHead,
  });
  numberPages(doc);
  const sealed = await sealPdf(doc, { certificate, reason: "Procès-verbal scellé par l'organisme", location: "Quorum" });
  return { pdf: sealed.bytes, notes: { replacedCharacters: [] } };
}
