/**
 * The procès-verbal as a sealed PDF/A-3b (app/platform/pdf): the generated sections and the remarks, « page N / M »,
 * the evidence JSON attached (decisions, tallies, attendance with times, quorum events, incidents, the session's
 * audit events with their chain hashes), the certificate page (signers, times, authentication, content hash, the
 * audit chain's head at completion, no IP address; the demo-certificate notice), then the organisation's PAdES seal. Runs in the render worker.
 */
import { HEADING_KEEP, TextFlow } from "~/platform/pdf/layout.server";
import { createPdfA } from "~/platform/pdf/pdfa.server";
import type { MinutesContent } from "~/domain/minutes";
import type { AuditHead } from "~/domain/audit";
import { sealSignedPdf, writeSections, type RenderedPdf, type SignedPdfSignature, type SignedPdfUnavailability } from "../signed-pdf";

export type MinutesPdfInput = {
  organisation: string;
  title: string;
  createdAt: Date;
  content: { generated: MinutesContent; remarks: string };
  contentHash: string;
  signatures: SignedPdfSignature[];
  /** Signers recorded as prevented from signing (decision 0028). */
  unavailable?: SignedPdfUnavailability[];
  evidence: unknown;
  /** The audit chain's head anchored at completion (set by the render runner). */
  auditHead?: AuditHead | null;
};

export const MINUTES_EVIDENCE_FILE = "preuves-proces-verbal.json";

export async function renderMinutesPdf(input: MinutesPdfInput): Promise<RenderedPdf> {
  const doc = await createPdfA({
    title: input.title,
    author: input.organisation,
    subject: "Procès-verbal scellé",
    createdAt: new Date(input.createdAt),
  });
  const flow = new TextFlow(doc);
  writeSections(flow, { ...input.content.generated, organisation: input.organisation });
  flow.space(4);
  flow.text("Observations de la séance", { size: 12, bold: true, gap: 3, keepWithNext: HEADING_KEEP });
  flow.text(input.content.remarks.trim() || "Aucune observation.", { indent: 8 });
  return sealSignedPdf(doc, {
    organisation: input.organisation,
    documentLabel: input.title,
    contentHash: input.contentHash,
    signatures: input.signatures,
    unavailable: input.unavailable,
    attachment: {
      fileName: MINUTES_EVIDENCE_FILE,
      description: "Preuves du procès-verbal : décisions, décomptes, émargement, quorum, incidents, journal d'audit chaîné",
      data: input.evidence,
    },
    sealReason: "Procès-verbal scellé par l'organisme",
    auditHead: input.auditHead,
  });
}
