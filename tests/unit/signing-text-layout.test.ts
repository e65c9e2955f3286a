/**
 * The PDFs' line wrapping (app/signing/text-layout.ts): the same lines as the former wrapping (which re-measured
 * the growing line for every word) with the real font, each word measured once (linear), over-long words cut
 * to fit, and characters the font lacks replaced visibly.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { replaceMissingGlyphs, wrapText } from "~/signing/text-layout";

let font: PDFFont;
beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const dir = require.resolve("dejavu-fonts-ttf/package.json").replace(/package\.json$/, "ttf/");
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  font = await pdf.embedFont(readFileSync(`${dir}DejaVuSans.ttf`), { subset: true });
});

/** The wrapping the grid PDF used before: measures the whole growing line once per word. */
function formerWrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r/g, "").split("\n")) {
    let line = "";
    for (const word of paragraph.split(/\s+/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

const CORPUS = [
  "Concevoir une séquence pédagogique adaptée au public et aux objectifs, en mobilisant des méthodes actives et en évaluant les acquis.",
  "Candidate rigoureuse, à l'aise avec les financeurs.\nElle « maîtrise » l'ingénierie ; œuvre, cœur, Ærø — 12,5 € TTC.\n\nFin.",
  "AVANT TOUT : VAT, AV, To, Yo, LT, PA — kerning pairs at line ends. W. Wa. Tâche. Vœu. Ferme, tôt, dès l'aube.",
  Array.from({ length: 200 }, (_, i) => `mot${i % 17} très-long-composé l'évaluation`).join(" "),
];

describe("wrapText", () => {
  it("wraps exactly as the former wrapping did, at several sizes and widths", () => {
    for (const text of CORPUS) {
      for (const [size, width] of [
        [9, 483],
        [10, 495],
        [12, 300],
        [10, 120],
      ]) {
        expect(wrapText(text, (t) => font.widthOfTextAtSize(t, size), width)).toEqual(formerWrap(text, size, width));
      }
    }
  });

  it("measures each word once: the work grows linearly with the paragraph", () => {
    const calls = (words: number) => {
      let count = 0;
      let measured = 0;
      const text = Array.from({ length: words }, (_, i) => `mot${i}`).join(" ");
      wrapText(
        text,
        (t) => {
          count++;
          measured += t.length;
          return t.length * 5;
        },
        300,
      );
      return { count, measured };
    };
    const small = calls(500);
    const large = calls(5000);
    expect(large.count).toBeLessThanOrEqual(5000 * 2 + 2);
    // Characters measured: linear (the former wrapping measured ~ words × line length).
    expect(large.measured / small.measured).toBeLessThan(12);
  });

  it("cuts a word wider than a line into pieces that fit, instead of running off the page", () => {
    const measure = (t: string) => t.length * 6;
    const lines = wrapText("x".repeat(250), measure, 300);
    expect(lines.map((l) => l.length)).toEqual([50, 50, 50, 50, 50]);
    expect(lines.every((l) => measure(l) <= 300)).toBe(true);
  });
});

describe("replaceMissingGlyphs", () => {
  it("replaces what the font lacks with a visible mark and reports it; keeps the rest", () => {
    const glyphs = new Set(font.getCharacterSet());
    const { text, replaced } = replaceMissingGlyphs("Œuvre 漢 é\n𝔘", (c) => glyphs.has(c));
    expect(text).toBe("Œuvre \uFFFD é\n\uFFFD");
    expect(replaced).toEqual(["U+6F22", "U+1D518"]);
  });
});

describe("no-break spaces", () => {
  it("never ends a line on the hour of « 9 h 05 » (no-break spaces, app/domain/format.ts)", () => {
    const measure = (text: string) => font.widthOfTextAtSize(text, 10);
    const text = "Décision : Délivrance totale, vote à bulletin secret (Non-délivrance : 1, Délivrance totale : 2), à 9\u00a0h\u00a042.";
    for (let width = 60; width <= 400; width += 5) {
      const lines = wrapText(text, measure, width);
      expect(lines.some((line) => /(^|\s)9$/.test(line)), `width ${width}`).toBe(false);
      expect(lines.join(" ")).toContain("9\u00a0h\u00a042");
    }
  });
});
