/**
 * What /verifier says of a notice letter or a fiche de décision (app/domain/document-verification.ts), and how a code
 * typed or followed becomes its lookup key (app/domain/delivery-record.ts).
 */
import { describe, expect, it } from "vitest";
import { verificationKey } from "~/domain/delivery-record";
import { documentHeadline, documentReplacedNotice, reissueMention } from "~/domain/document-verification";

const sentence = (parts: { lead: string; reference: string | null; tail: string }) => `${parts.lead}${parts.reference ? ` ${parts.reference}` : ""}${parts.tail}`;

describe("document verification wording", () => {
  it("is valid until a newer version replaces it", () => {
    expect(documentHeadline(false)).toEqual({ label: "Valide", valid: true });
    expect(documentHeadline(true)).toEqual({ label: "Remplacé par une version plus récente", valid: false });
  });

  it("names the re-issued letter that replaces a letter", () => {
    const parts = documentReplacedNotice("NOTICE", { kind: "NOTICE", verificationCode: "a".repeat(26), cause: "reissue" }, "9 décembre 2026");
    expect(parts.reference).toBe("nouvelle lettre");
    expect(sentence(parts)).toBe("Cette lettre a été remplacée le 9 décembre 2026 par une nouvelle lettre réémise par l'organisme : elle n'est plus en vigueur.");
  });

  it("names the revised decision's sheet after an appeal, or says the decision was revised when none is out yet", () => {
    const linked = documentReplacedNotice("DECISION_SHEET", { kind: "DECISION_SHEET", verificationCode: "b".repeat(26), cause: "appeal" }, "3 mars 2027");
    expect(sentence(linked)).toBe("Cette fiche de décision a été remplacée le 3 mars 2027 par la fiche de la décision rendue sur recours : elle n'est plus en vigueur.");
    const unlinked = documentReplacedNotice("NOTICE", { kind: "NOTICE", verificationCode: null, cause: "appeal" }, "3 mars 2027");
    expect(unlinked.reference).toBeNull();
    expect(sentence(unlinked)).toBe("La décision du jury que porte cette lettre a été révisée sur recours le 3 mars 2027 : cette lettre n'est plus en vigueur.");
  });

  it("says what a re-issued letter replaces", () => {
    expect(reissueMention("7 décembre 2026")).toBe("Lettre réémise : elle remplace la lettre du 7 décembre 2026");
  });

  it("looks a code up trimmed and in lower case, and a malformed one as a key no code has", () => {
    expect(verificationKey("  ABCDEFGHIJKLMNOPQRSTUVWXYZ ")).toBe("abcdefghijklmnopqrstuvwxyz");
    expect(verificationKey("abc")).toBe("-");
    expect(verificationKey("abcdefghijklmnopqrstuvwxy1")).toBe("-");
  });
});
