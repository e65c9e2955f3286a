/**
 * The PDF renderer of each registered kind, as the render worker loads them (no database, no server state: plain
 * data in, bytes out). Keep in step with ./registry.server.ts.
 */
import { renderDecisionPdf, type DecisionPdfInput } from "./kinds/decision/decision-pdf";
import { renderMinutesPdf, type MinutesPdfInput } from "./kinds/minutes/minutes-pdf";
import { renderGridPdf, type GridPdfInput, type RenderNotes } from "./kinds/grid/grid-pdf";
import { renderValidationPdf, type ValidationPdfInput } from "./kinds/validation/validation-pdf";
import { renderRecordPdf, type RecordForPdf } from "~/delivery/record-pdf.server";
import { renderNoticePdf, type NoticePdfInput } from "~/delivery/notice-pdf.server";

export type Renderer = (input: unknown) => Promise<{ pdf: Uint8Array; notes: RenderNotes }>;

export const RENDERERS: Record<string, Renderer> = {
  grid: (input) => renderGridPdf(input as GridPdfInput),
  minutes: (input) => renderMinutesPdf(input as MinutesPdfInput),
  decision: (input) => renderDecisionPdf(input as DecisionPdfInput),
  validation: (input) => renderValidationPdf(input as ValidationPdfInput),
  parchemin: renderRecord,
  attestation: renderRecord,
  notice: (input) => renderNoticePdf(input as NoticePdfInput),
};

async function renderRecord(input: unknown) {
  const job = input as { record: RecordForPdf; options: { baseUrl: string; organisationName: string } };
  const sealed = await renderRecordPdf(job.record, job.options);
  return { pdf: sealed.bytes, notes: { replacedCharacters: sealed.replacedCharacters } };
}
