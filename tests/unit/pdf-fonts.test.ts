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

  it("draws a name in Arabic or Hebrew within a French line with its words in their order, right to left", async () => {
    const bytes = (await loadDejaVuFonts()).regular;
    const reference = fontkit.create(bytes);
    const shared = sharedFontkit.create(bytes);
    const ids = (glyphs: { id: number }[]) => glyphs.map((g) => g.id);
    // Alone on its line, fontkit lays the name out right to left (its last word drawn first): the reference.
    for (const name of ["سارة أحمد", "سارة بنت أحمد", "דוד לוי"]) {
      expect(ids(shared.layout(name).glyphs), name).toEqual(ids(reference.layout(name).glyphs));
      // Within a French line (a seat on the minutes), the name is drawn as it is alone, between the French words.
      const line = `Vice-présidente : ${name} — collège salariés`;
      const expected = [...reference.layout("Vice-présidente : ").glyphs, ...reference.layout(name).glyphs, ...reference.layout(" — collège salariés").glyphs];
      expect(ids(shared.layout(line).glyphs), line).toEqual(ids(expected));
      // The sentence's closing punctuation stays after the name, on its right; an opening parenthesis before it.
      const sentence = `Vice-présidente : (${name}).`;
      const around = [...reference.layout("Vice-présidente : (").glyphs, ...reference.layout(name).glyphs, ...reference.layout(").").glyphs];
      expect(ids(shared.layout(sentence).glyphs), sentence).toEqual(ids(around));
    }
  });

  it("parses each font file once for all documents", async () => {
    const { regular, bold } = await loadDejaVuFonts();
    expect(sharedFontkit.create(regular)).toBe(sharedFontkit.create(regular));
    expect(sharedFontkit.create(bold)).not.toBe(sharedFontkit.create(regular));
  });
});
