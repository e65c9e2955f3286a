/**
 * The CPNE's validation of a jury session's decisions as a sealed PDF/A: the decisions validated (candidate, overall
 * decision, blocs acquired), the certificate page (validator, time, content hash), then the organisation's PAdES
 * seal. Runs in the render worker.
 */
import { OVERALL_DECISION_LABELS, type OverallDecision } from "~/domain/jury-decision";
import { formatLongDay } from "~/domain/paris-date";
import { HEADING_KEEP, TextFlow } from "~/platform/pdf/layout.server";
import { createPdfA } from "~/platform/pdf/pdfa.server";
import { sealSignedPdf, type RenderedPdf, type SignedPdfSignature } from "../signed-pdf";
import type { ValidationContent } from "./validation-content";

export type ValidationPdfInput = {
  organisation: string;
  createdAt: Date;
  content: ValidationContent;
  contentHash: string;
  signatures: SignedPdfSignature[];
};

export async function renderValidationPdf(input: ValidationPdfInput): Promise<RenderedPdf> {
  const title = `Validation des décisions du jury — ${input.content.session.title}`;
  const doc = await createPdfA({ title, author: input.organisation, subject: "Validation CPNE scellée", createdAt: new Date(input.createdAt) });
  const flow = new TextFlow(doc);
  flow.text("Validation des décisions du jury par la CPNE", { size: 16, bold: true, gap: 4 });
  flow.text(input.organisation, { size: 11, gap: 8 });
  // The session's day as every other document writes it: « 29 novembre 2026 » (the content keeps "YYYY-MM-DD").
  flow.field("Séance", `${input.content.session.title} (${formatLongDay(input.content.session.date)})`);
  flow.field("Certification", `${input.content.certification.code} — ${input.content.certification.title}`);
  flow.space(4);
  flow.text("Décisions validées", { size: 12, bold: true, gap: 3, keepWithNext: HEADING_KEEP });
  for (const d of input.content.decisions) {
    flow.text(`${d.candidate} : ${OVERALL_DECISION_LABELS[d.overall as OverallDecision] ?? d.overall}`, { bold: true, indent: 8 });
    const acquired = d.items.filter((i) => i.acquired).map((i) => i.code);
    const missing = d.items.filter((i) => !i.acquired).map((i) => i.code);
    if (acquired.length) flow.text(`Acquis : ${acquired.join(", ")}`, { indent: 16 });
    if (missing.length) flow.text(`Non acquis : ${missing.join(", ")}`, { indent: 16, gap: 3 });
  }
  return sealSignedPdf(doc, {
    organisation: input.organisation,
    documentLabel: title,
    contentHash: input.contentHash,
    signatures: input.signatures,
    attachment: { fileName: "validation-cpne.json", description: "Décisions validées (contenu signé)", data: input.content },
    sealReason: "Validation des décisions du jury par la CPNE",
  });
}
