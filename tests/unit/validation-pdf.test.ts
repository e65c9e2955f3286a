/**
 * The CPNE validation's sealed PDF, read with pdftotext: the session's day is written in French as on every other
 * document (« 29 novembre 2026 »), not as the ISO date its content keeps.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { renderValidationPdf } from "~/signing/kinds/validation/validation-pdf";

const dir = mkdtempSync(path.join(tmpdir(), "quorum-validation-pdf-"));

beforeAll(() => {
  process.env.QUORUM_DATA_DIR = dir; // the demo seal certificate is created there
});

describe("the CPNE validation PDF", () => {
  it("writes the session's day in French", async () => {
    const at = new Date("2026-12-02T09:30:00Z");
    const { pdf } = await renderValidationPdf({
      organisation: "CPNE Métallurgie",
      createdAt: at,
      content: {
        session: { id: "s1", title: "Jury paritaire", date: "2026-11-29" },
        certification: { code: "RNCP38544", title: "Technicien en maintenance" },
        decisions: [{ decisionId: "d1", candidate: "Jeanne Dupont", overall: "TOTAL", decidedAt: at.toISOString(), items: [{ code: "BC01", acquired: true }] }],
      },
      contentHash: "0".repeat(64),
      signatures: [{ name: "Hélène Garçon", role: "Présidente", signedAt: at }],
    });
    const file = path.join(dir, "validation.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toContain("Jury paritaire (29 novembre 2026)");
    expect(text).not.toContain("2026-11-29");
  }, 60_000);
});
