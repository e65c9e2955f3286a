import { describe, expect, it } from "vitest";
import { candidateFormSchema } from "~/domain/identity";
import { hasUnsafeCharacters, UNSAFE_TEXT_MESSAGE } from "~/domain/safe-text";

describe("unsafe characters (bidi and control)", () => {
  it.each([["facture\u202Eexe.pdf"], ["a\u2066b"], ["a\u200Fb"], ["nul\u0000"], ["bell\u0007"], ["ligne\nnouvelle"]])(
    "refuses %j on one line",
    (value) => {
      expect(hasUnsafeCharacters(value)).toBe(true);
    },
  );

  it("allows accents, apostrophes and (in multi-line texts) line breaks and tabs", () => {
    expect(hasUnsafeCharacters("Léa L’Œuillet-Dupré")).toBe(false);
    expect(hasUnsafeCharacters("Avis :\n\tfavorable", { multiline: true })).toBe(false);
    expect(hasUnsafeCharacters("Avis \u202E", { multiline: true })).toBe(true);
  });

  it("gives the French field error in the candidate form", () => {
    const result = candidateFormSchema("2026-12-02").safeParse({
      birthName: "MARTIN",
      givenNames: "Léa",
      birthCommune: "Lyon\u202E",
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.find((i) => i.path[0] === "birthCommune")?.message).toBe(UNSAFE_TEXT_MESSAGE);
  });
});
