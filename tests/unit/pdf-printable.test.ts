/**
 * The characters the sealed PDFs can print (app/domain/pdf-printable.ts) are exactly those both embedded fonts have:
 * the ranges were generated from DejaVu Sans regular and bold, and must follow the installed fonts.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import { describe, expect, it } from "vitest";
import { PDF_FONT_RANGES, printableCodePoint, unprintableCharacter } from "~/domain/pdf-printable";

const require = createRequire(import.meta.url);

describe("characters the sealed PDFs can print", () => {
  it("are those of both embedded fonts, range for range", () => {
    const dir = require.resolve("dejavu-fonts-ttf/package.json").replace(/package\.json$/, "ttf/");
    const regular = fontkit.create(readFileSync(`${dir}DejaVuSans.ttf`)) as unknown as { characterSet: number[] };
    const bold = fontkit.create(readFileSync(`${dir}DejaVuSans-Bold.ttf`)) as unknown as { characterSet: number[] };
    const inBold = new Set(bold.characterSet);
    const both = regular.characterSet.filter((code) => inBold.has(code)).sort((a, b) => a - b);
    const ranges: number[] = [];
    for (const code of both) {
      if (ranges.length > 0 && ranges[ranges.length - 1] === code - 1) ranges[ranges.length - 1] = code;
      else ranges.push(code, code);
    }
    expect(PDF_FONT_RANGES).toEqual(ranges);
  });

  it("name the first character the PDF would print as an empty box", () => {
    expect(unprintableCharacter("Élodie « Œ » 12 € — ½ ß Ω ø ł")).toBeNull();
    expect(unprintableCharacter("Ligne 1\nLigne 2\tfin")).toBeNull();
    expect(unprintableCharacter("Très bien 🙂 et 漢字")).toBe("« 🙂 » (U+1F642)");
    expect(unprintableCharacter("漢字")).toBe("« 漢 » (U+6F22)");
    expect(printableCodePoint(0x20ac)).toBe(true);
    expect(printableCodePoint(0x1f642)).toBe(false);
  });
});

describe("keepPrintable (what a co-edited text keeps of an input)", () => {
  it("leaves out what the PDF cannot print, named once each, and keeps the rest", async () => {
    const { keepPrintable } = await import("~/domain/pdf-printable");
    expect(keepPrintable("Merci \u{1F44D} à tous \u{1F44D}, ناقش « fin »")).toEqual({
      text: "Merci  à tous , ناقش « fin »",
      removed: ["« \u{1F44D} » (U+1F44D)"],
    });
    expect(keepPrintable("Ligne 1\nLigne 2\t😀")).toEqual({ text: "Ligne 1\nLigne 2\t😀", removed: [] });
  });
});
