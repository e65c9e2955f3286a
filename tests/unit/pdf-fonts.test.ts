/**
 * The shared fonts of the PDFs (app/platform/pdf/fonts.server.ts): a line is drawn with exactly the glyphs fontkit's
 * whole-line shaping gives (ligatures fi/fl/ff, accents, « », œ, combining marks, symbols), although it is shaped
 * word by word and each word once; and a font file is parsed once for every document.
 */
import fontkit from "@pdf-lib/fontkit";
import { describe, expect, it } from "vitest";
import { loadDejaVuFonts, sharedFontkit } from "~/platform/pdf/fonts.server";

const LINES = [
  "Le candidat a défini les finalités, les effluves et l'offre ; « très satisfaisant » — œuvre complète.",
  "Efficacité, affluence, fluidité : ﬁ déjà composé, ﬂ aussi. Ça va ? Où ? Noël, maïs, cœur, Œdipe, Ærø.",
  "Sophie Nguyễn, Trần — e\u0301 i\u0308 combinés ; 12 345,67 € ; 50 % ; n° 3 ; A–Z ; « », ‹ › ‘ ’ “ ” …",
  "  deux  espaces  puis   trois, et une fin avec espace ",
  "RNCP12345 https://quorum.example/verifier/ABCDEFGHIJKLMNOP 3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f",
  "",
  " ",
];

describe("shared PDF fonts", () => {
  for (const face of ["regular", "bold"] as const) {
    it(`${face}: every line gets the glyphs of whole-line shaping`, async () => {
      const bytes = (await loadDejaVuFonts())[face];
      const reference = fontkit.create(bytes);
      const shared = sharedFontkit.create(bytes);
      for (const line of LINES) {
        const expected = reference.layout(line).glyphs.map((g) => g.id);
        expect(shared.layout(line).glyphs.map((g) => g.id), JSON.stringify(line)).toEqual(expected);
        // Second time from the memo: the same.
        expect(shared.layout(line).glyphs.map((g) => g.id), JSON.stringify(line)).toEqual(expected);
      }
      expect(reference.layout("office fleur").glyphs.length).toBeLessThan("office fleur".length); // ligatures exist
    });
  }

  it("parses each font file once for all documents", async () => {
    const { regular, bold } = await loadDejaVuFonts();
    expect(sharedFontkit.create(regular)).toBe(sharedFontkit.create(regular));
    expect(sharedFontkit.create(bold)).not.toBe(sharedFontkit.create(regular));
  });
});
