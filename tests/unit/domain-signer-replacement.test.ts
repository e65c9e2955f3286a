/**
 * The vice-president who signs for a prevented president (docs/decisions/0028-signer-unable-to-sign.md, « Le
 * vice-président signe pour le président empêché »): who may be named, how the last-possible-signer rule and the
 * round's completion count him, and what a page offers its viewer.
 */
import { describe, expect, it } from "vitest";
import {
  everyoneAccountedFor,
  replacementObstacle,
  replacementRefusal,
  replacementSignedWords,
  unavailabilityRefusal,
  viewerSigningDuties,
  type ReplacementFacts,
} from "~/domain/signer-unavailability";

const facts = (over: Partial<ReplacementFacts> = {}): ReplacementFacts => ({
  kindAccepts: true,
  kindLabel: "le procès-verbal",
  preventedRole: "PRESIDENT",
  preventedName: "Pierre Président",
  viceChair: { userId: "vp", displayName: "Véra Vice" },
  namedId: "vp",
  attendanceRequired: true,
  attended: true,
  recusal: null,
  viceChairPrevented: false,
  ...over,
});

describe("naming the vice-president to sign for a prevented president", () => {
  it("accepts the session's vice-president who attended, not recused, not prevented", () => {
    expect(replacementRefusal(facts())).toBeNull();
    // A commission's procès-verbal: no émargement, attendance does not matter.
    expect(replacementRefusal(facts({ attendanceRequired: false, attended: false }))).toBeNull();
  });

  it("refuses, in French, each case the brief names", () => {
    expect(replacementRefusal(facts({ kindAccepts: false, kindLabel: "la grille" }))).toContain("pas pour la grille");
    expect(replacementRefusal(facts({ viceChair: null }))).toContain("n'a pas de vice-président(e)");
    expect(replacementRefusal(facts({ preventedRole: "VICE_PRESIDENT", preventedName: "Véra Vice" }))).toContain("ne peut pas signer à sa propre place");
    expect(replacementRefusal(facts({ preventedRole: "MEMBER", preventedName: "Marc Membre" }))).toContain("Seul le président empêché peut être remplacé");
    expect(replacementRefusal(facts({ namedId: "someone-else" }))).toContain("Seul(e) le ou la vice-président(e) de la séance, Véra Vice");
    expect(replacementRefusal(facts({ attended: false }))).toContain("Véra Vice n'était pas présent(e) à la séance");
    expect(replacementRefusal(facts({ kindLabel: "la fiche de décision", attended: false }))).toContain("lors de la décision");
    expect(replacementRefusal(facts({ recusal: "Formateur du candidat" }))).toContain("récusé(e) pour ce candidat (formateur du candidat)");
    expect(replacementRefusal(facts({ viceChairPrevented: true }))).toContain("L'empêchement de Véra Vice est lui-même constaté");
  });

  it("says the page's sentence and the command's refusal from one rule: the page's without « Rien n'a été enregistré »", () => {
    expect(replacementObstacle(facts())).toBeNull();
    for (const over of [{ attended: false }, { recusal: "Évaluateur du candidat" }, { viceChairPrevented: true }, { viceChair: null }]) {
      const obstacle = replacementObstacle(facts(over));
      expect(obstacle).not.toBeNull();
      expect(obstacle).not.toContain("Rien n'a été enregistré");
      expect(replacementRefusal(facts(over))).toBe(`${obstacle} Rien n'a été enregistré.`);
    }
  });

  it("lets the only signer, the president, be recorded as prevented once a replacement is named", () => {
    const state = { signers: [{ userId: "p", displayName: "Pierre Président" }], signed: new Set<string>(), unavailable: new Set<string>() };
    expect(unavailabilityRefusal(state, "p")).toContain("dernier signataire possible");
    expect(unavailabilityRefusal(state, "p", { replacementNamed: true })).toBeNull();
  });

  it("counts a president replaced as someone who still signs, and refuses the empêchement of the replacement who has not signed", () => {
    const signers = [
      { userId: "p", displayName: "Pierre Président" },
      { userId: "vp", displayName: "Véra Vice" },
      { userId: "m", displayName: "Marc Membre" },
    ];
    const replaced = new Map([["p", { replacementId: "vp", signed: false }]]);
    const state = { signers, signed: new Set<string>(), unavailable: new Set(["p"]), replaced };
    // Marc may be prevented: Véra signs (for herself and for Pierre).
    expect(unavailabilityRefusal(state, "m")).toBeNull();
    expect(unavailabilityRefusal(state, "vp")).toContain("doit signer pour Pierre Président");
    expect(unavailabilityRefusal({ ...state, replaced: new Map([["p", { replacementId: "vp", signed: true }]]) }, "vp")).toBeNull();
  });

  it("completes the round only once the replacement has signed for the president", () => {
    const signers = [{ userId: "p", displayName: "Pierre Président" }];
    const waiting = { signers, signed: new Set<string>(), unavailable: new Set(["p"]), replaced: new Map([["p", { replacementId: "vp", signed: false }]]) };
    expect(everyoneAccountedFor(waiting)).toBe(false);
    expect(everyoneAccountedFor({ ...waiting, replaced: new Map([["p", { replacementId: "vp", signed: true }]]) })).toBe(true);
    // Nobody named: prevented, accounted for (decision 0028 as before).
    expect(everyoneAccountedFor({ signers, signed: new Set(), unavailable: new Set(["p"]) })).toBe(true);
  });

  it("says the replacement's signature as his, for the prevented president — never that the president signed", () => {
    expect(replacementSignedWords("Véra Vice", "Pierre Président")).toBe("signé par Véra Vice, vice-président(e), pour le président Pierre Président empêché");
  });

  it("offers the sign form to the replacement until he signed for the president, as well as for himself", () => {
    const unavailable = [{ userId: "p", replacedById: "vp", replacementSignedAt: null }];
    const round = { signerIds: ["p", "vp"], signed: new Set<string>(), unavailable };
    expect(viewerSigningDuties("vp", round)).toEqual({ isSigner: true, hasSigned: false, isPrevented: false, signsFor: ["p"] });
    // Signed in his own name only: still to sign for the president.
    expect(viewerSigningDuties("vp", { ...round, signed: new Set(["vp"]) }).hasSigned).toBe(false);
    const done = { ...round, signed: new Set(["vp"]), unavailable: [{ ...unavailable[0]!, replacementSignedAt: new Date() }] };
    expect(viewerSigningDuties("vp", done)).toEqual({ isSigner: true, hasSigned: true, isPrevented: false, signsFor: [] });
    // Not a signer in his own name (the scheme has only the president sign): a signer through the replacement.
    expect(viewerSigningDuties("vp", { ...round, signerIds: ["p"] }).isSigner).toBe(true);
    expect(viewerSigningDuties("p", round)).toEqual({ isSigner: true, hasSigned: false, isPrevented: true, signsFor: [] });
  });
});
