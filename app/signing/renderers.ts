/**
 * The PDF renderer of each registered kind, as the render worker loads them (no database, no server state: plain
 * data in, bytes out). Keep in step with ./registry.server.ts.
 */
import { renderDecisionPdf, type DecisionPdfInput } from "./kinds/decision/decision-pdf";
import { renderMinutesPdf, type MinutesPdfInput } from "./kinds/minutes/minutes-pdf";
import { renderGridPdf, type GridPdfInput, type RenderNotes } from "./kinds/grid/grid-pdf";

export type Renderer = (input: unknown) => Promise<{ pdf: Uint8Array; notes: RenderNotes }>;

export const RENDERERS: Record<string, Renderer> = {
  grid: (input) => renderGridPdf(input as GridPdfInput),
  minutes: (input) => renderMinutesPdf(input as MinutesPdfInput),
  decision: (input) => renderDecisionPdf(input as DecisionPdfInput),
};
