/**
 * The fiche de décision's commands refuse a member recused for the candidate (his trainer, an evaluator of his
 * passages, a declared conflict): he takes no part in the decision, so neither submits its sheet for signature nor
 * asks for a change of it — the president included, when the vice-president conducts for this candidate.
 */
import { describe, expect, it } from "vitest";
import { decisionKind } from "~/signing/kinds/decision/decision-kind.server";

type Sheet = Parameters<typeof decisionKind.requireManager>[0];

const sheet = (recused: Array<[string, string]>): Sheet =>
  ({
    seats: [
      { userId: "pierre", displayName: "Pierre Président", role: "PRESIDENT" },
      { userId: "marie", displayName: "Marie Membre", role: "VICE_PRESIDENT" },
      { userId: "mehdi", displayName: "Mehdi Membre", role: "MEMBER" },
    ],
    recused: new Map(recused),
  }) as unknown as Sheet;

describe("the decision sheet's commands and the candidate's recusals", () => {
  it("lets the president submit the sheet and any voting member ask for a change, when nobody is recused", () => {
    expect(() => decisionKind.requireManager(sheet([]), "pierre", "open")).not.toThrow();
    expect(() => decisionKind.requireManager(sheet([]), "mehdi", "reopen")).not.toThrow();
  });

  it("refuses the president recused for the candidate (the vice-president conducts and submits)", () => {
    const recused = sheet([["pierre", "Évaluateur du candidat"]]);
    expect(() => decisionKind.requireManager(recused, "pierre", "open")).toThrow(
      "Vous êtes récusé pour ce candidat (évaluateur du candidat) : la fiche est soumise à la signature par qui conduit sa délibération.",
    );
    expect(() => decisionKind.requireManager(recused, "marie", "open")).not.toThrow();
  });

  it("refuses a change asked by a member recused for the candidate", () => {
    const recused = sheet([["mehdi", "Conflit d'intérêts déclaré"]]);
    expect(() => decisionKind.requireManager(recused, "mehdi", "reopen")).toThrow(/Vous êtes récusé pour ce candidat \(conflit d'intérêts déclaré\) : vous ne pouvez pas demander de modification/);
    expect(() => decisionKind.requireManager(recused, "pierre", "reopen")).not.toThrow();
  });
});
