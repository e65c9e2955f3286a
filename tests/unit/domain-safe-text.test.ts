import { describe, expect, it } from "vitest";
import { checkReturnReason } from "~/domain/decision-validation";
import { candidateFormSchema } from "~/domain/identity";
import { scaleLevelSchema } from "~/domain/scales";
import { newPasswordSchema } from "~/platform/auth/password-policy";
import { decisionChoicesOf } from "~/domain/jury-decision";
import { inviteMemberSchema } from "~/domain/members";
import { sessionUpdateSchema } from "~/domain/planning";
import { forbiddenCharacter, freeText, hasUnsafeCharacters, LINE_BREAK_MESSAGE, textRefusal, UNSAFE_TEXT_MESSAGE } from "~/domain/safe-text";

describe("unsafe characters (bidi and control)", () => {
  it.each([["facture\u202Eexe.pdf"], ["a\u2066b"], ["a\u200Fb"], ["a\u061Cb"], ["nul\u0000"], ["bell\u0007"], ["next\u0085line"], ["ligne\nnouvelle"]])(
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

describe("one list for forms and co-edited documents", () => {
  // Bidirectional controls, C1, and the invisible characters that hide inside a word.
  const refused = ["\u061C", "\u200B", "\u200E", "\u200F", "\u202A", "\u202E", "\u2060", "\u2064", "\u2066", "\u2069", "\u206F", "\uFEFF", "\u0085"];

  const named = refused.map((character) => [`U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`, character]);

  it.each(named)("refuses %s in a form's text and in a document", (code, character) => {
    expect(hasUnsafeCharacters(`ad${character}mis`, { multiline: true })).toBe(true);
    expect(forbiddenCharacter(`ad${character}mis`)).toBe(code);
  });

  it("keeps what a French text needs: no-break spaces, quotes, ligatures, line breaks, the soft hyphen and emoji joiners", () => {
    const french = "« Très bien » : l\u2019\u0153uvre\u202F! Prix\u00A0: 12\u00A0\u20AC.\n\tRé\u00ADsumé \u{1F469}\u200D\u{1F4BB} \u0645\u200C\u0627";
    expect(hasUnsafeCharacters(french, { multiline: true })).toBe(false);
    expect(forbiddenCharacter(french)).toBeNull();
  });
});

describe("free texts of commands and schemes refuse them too", () => {
  it("the reason for returning decisions to the jury", () => {
    expect(checkReturnReason("Avis de l'entreprise \u202Eemmanqu")).toEqual({ ok: false, message: UNSAFE_TEXT_MESSAGE });
    expect(checkReturnReason("Avis de l'entreprise manquant.\nÀ compléter.")).toMatchObject({ ok: true });
  });

  it("a custom scale's level label and value", () => {
    const parsed = scaleLevelSchema.safeParse({ value: "A", label: "Acquis\u2066 (tuteur)\u2069", positive: true });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(UNSAFE_TEXT_MESSAGE);
  });
});

describe("a new password", () => {
  it("made only of spaces (or other blanks) is refused in French", () => {
    for (const blank of [" ".repeat(12), "\u00a0".repeat(14), " \t ".repeat(5)]) {
      const parsed = newPasswordSchema.safeParse(blank);
      expect(parsed.success, JSON.stringify(blank)).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message)).toContain("Le mot de passe ne peut pas être fait que d'espaces.");
    }
  });

  it("with spaces among other characters is kept as typed", () => {
    expect(newPasswordSchema.parse("  une phrase de passe  ")).toBe("  une phrase de passe  ");
  });
});

describe("free texts printed in the sealed PDFs", () => {
  const text = freeText({ max: 200, multiline: true });
  it("refuse a character the PDFs' font lacks, named in French", () => {
    const result = text.safeParse("Bloc 1 🙂");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      "Le caractère « 🙂 » (U+1F642) ne peut pas figurer dans les documents signés (leur police ne l'a pas) : retirez-le.",
    );
    expect(text.safeParse("Rédiger 漢字").success).toBe(false);
  });
  it("keep French typography and line breaks", () => {
    expect(text.safeParse("Œuvre « réussie » : 12 € — ½\nSuite\tfin").success).toBe(true);
  });
});

describe("every free text a PDF or an XML prints refuses what its fonts lack", () => {
  const EMOJI = "Le caractère « 🙂 » (U+1F642) ne peut pas figurer dans les documents signés (leur police ne l'a pas) : retirez-le.";

  it("textRefusal names the first unprintable character, after the unsafe ones and line breaks", () => {
    expect(textRefusal("Salle 🙂 B")).toBe(EMOJI);
    expect(textRefusal("Motif\n🙂", { multiline: true })).toBe(EMOJI);
    expect(textRefusal("Motif\u202E", { multiline: true })).toBe(UNSAFE_TEXT_MESSAGE);
    expect(textRefusal("Bloc\ndeux")).toBe(LINE_BREAK_MESSAGE);
    expect(textRefusal("Bloc\r\ndeux", { multiline: true })).toBeNull();
    expect(textRefusal("« Œuvre » : 12 € — L\u2019équipe\u202F!")).toBeNull();
  });

  it("a member's name in the invitation", () => {
    const parsed = inviteMemberSchema.safeParse({ email: "a@b.fr", displayName: "Léa 🙂", role: "MEMBER" });
    expect(parsed.error?.issues.find((i) => i.path[0] === "displayName")?.message).toBe(EMOJI);
    expect(inviteMemberSchema.safeParse({ email: "a@b.fr", displayName: "Léa L\u2019Œuillet", role: "MEMBER" }).success).toBe(true);
  });

  it("a session's title, place and remote means", () => {
    const base = { title: "Jury CQP", date: "2027-01-12", startTime: "09:00", endTime: "12:00" };
    const field = (values: Record<string, string>, name: string) =>
      sessionUpdateSchema.safeParse({ ...base, ...values }).error?.issues.find((i) => i.path[0] === name)?.message;
    expect(field({ title: "Jury 漢字", mode: "onsite", place: "Lyon" }, "title")).toMatch(/^Le caractère « 漢 » \(U\+6F22\)/);
    expect(field({ mode: "onsite", place: "Salle 🙂" }, "place")).toBe(EMOJI);
    expect(field({ mode: "remote", remoteMeans: "Visio 🙂" }, "remoteMeans")).toBe(EMOJI);
    expect(sessionUpdateSchema.safeParse({ ...base, mode: "onsite", place: "Lyon – salle « Jaurès »" }).success).toBe(true);
  });

  it("a jury's reason for a decision and the reason for returning decisions", () => {
    const { errors } = decisionChoicesOf([["choice.b1", "NOT_ACQUIRED"], ["reason.b1", "Manque 🙂"]]);
    expect(errors["choices.b1"]).toBe(EMOJI);
    expect(checkReturnReason("Avis manquant 🙂")).toEqual({ ok: false, message: EMOJI });
  });

  it("a scale's level label", () => {
    const parsed = scaleLevelSchema.safeParse({ value: "A", label: "Acquis 🙂", positive: true });
    expect(parsed.error?.issues[0]?.message).toBe(EMOJI);
  });
});
