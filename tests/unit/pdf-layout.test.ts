/**
 * The sealed PDFs' text flow (app/platform/pdf/layout.server.ts): a heading with keep-with-next starts the next page
 * rather than sitting alone at the foot of one, its content overleaf (seen on a decision sheet: « Votes et consensus »).
 */
import { describe, expect, it } from "vitest";
import { createPdfA } from "~/platform/pdf/pdfa.server";
import { HEADING_KEEP, TextFlow } from "~/platform/pdf/layout.server";

async function flowAtFoot() {
  const doc = await createPdfA({ title: "Test", author: "Quorum", createdAt: new Date("2026-12-06T10:00:00Z") });
  const flow = new TextFlow(doc);
  // Body lines until one more line of 12 pt still fits, and nothing after it would.
  while (flow.y - 10 * 1.35 - 4 > flow.bottom + 14) flow.text("Une ligne du corps du document.", { gap: 0 });
  return { doc, flow };
}

describe("a heading's keep-with-next", () => {
  it("moves the heading to the next page when its first lines would not follow it", async () => {
    const { doc, flow } = await flowAtFoot();
    flow.text("Votes et consensus", { size: 12, bold: true, gap: 3, keepWithNext: HEADING_KEEP });
    expect(doc.pdf.getPageCount()).toBe(2);
    expect(flow.page).toBe(doc.pdf.getPage(1));
  });

  it("leaves a heading without it where it falls (the former behaviour), and one that fits with its lines", async () => {
    const { doc, flow } = await flowAtFoot();
    flow.text("Votes et consensus", { size: 12, bold: true, gap: 3 });
    expect(doc.pdf.getPageCount()).toBe(1);
    const fresh = await createPdfA({ title: "Test", author: "Quorum", createdAt: new Date("2026-12-06T10:00:00Z") });
    const top = new TextFlow(fresh);
    top.text("Votes et consensus", { size: 12, bold: true, gap: 3, keepWithNext: HEADING_KEEP });
    expect(fresh.pdf.getPageCount()).toBe(1);
  });
});
