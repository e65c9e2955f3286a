import { describe, expect, it } from "vitest";
import {
  consolidate,
  gridOutcome,
  gridReopenRefusal,
  formatClock,
  missingForSignature,
  newerSlotState,
  nextPhase,
  parsePhaseDurations,
  phaseChangeRefusal,
  phaseTimer,
} from "~/domain/commission";
import { LEVEL_PRESETS } from "~/domain/scales";
import { parseScheme } from "~/domain/scheme";

const levels = parseScheme({ scale: { kind: "levels", levels: LEVEL_PRESETS.acquiredPartial }, commentRequired: "notPositive" });
const binary = parseScheme({ scale: { kind: "levels", levels: LEVEL_PRESETS.binary }, commentRequired: "notPositive" });
const marks = parseScheme({ scale: { kind: "marks", max: 20, passMark: 10 }, commentRequired: "never" });
const percent = parseScheme({ scale: { kind: "percentage", passMark: 70 }, commentRequired: "notPositive" });
const ratio = parseScheme({ scale: { kind: "criteriaRatio", ratio: 75, mandatoryCriteria: true }, commentRequired: "never" });

const c1 = { id: "c1", code: "C1", statement: "Accueillir" };
const withCriteria = {
  id: "c9",
  code: "D1",
  statement: "Communiquer en français",
  criteria: [{ id: "a", mandatory: true }, { id: "b" }, { id: "c" }, { id: "d" }],
};

describe("phases", () => {
  it("go forward in order and end with the signature", () => {
    expect(nextPhase("ACCUEIL")).toBe("PRESENTATION");
    expect(nextPhase("EVALUATION")).toBe("SIGNATURE");
    expect(nextPhase("SIGNATURE")).toBeNull();
  });

  it("refuse entering or leaving the signature phase directly, and a no-op change", () => {
    expect(phaseChangeRefusal("EVALUATION", "SIGNATURE")).toMatch(/Ouvrir la signature/);
    expect(phaseChangeRefusal("SIGNATURE", "QUESTIONS")).toMatch(/rouvrez-la/);
    expect(phaseChangeRefusal("QUESTIONS", "QUESTIONS")).toMatch(/déjà en cours/);
    expect(phaseChangeRefusal("QUESTIONS", "ACCUEIL")).toBeNull();
    expect(phaseChangeRefusal("ACCUEIL", "EVALUATION")).toBeNull();
  });

  it("time each phase from its start with the session's durations, showing overtime", () => {
    const durations = parsePhaseDurations({ PRESENTATION: 10 });
    expect(durations.ACCUEIL).toBe(5);
    const start = new Date("2026-11-22T09:00:00Z");
    expect(phaseTimer("PRESENTATION", start, durations, new Date("2026-11-22T09:04:30Z"))).toEqual({
      durationSec: 600,
      elapsedSec: 270,
      remainingSec: 330,
      overtime: false,
    });
    const late = phaseTimer("PRESENTATION", start, durations, new Date("2026-11-22T09:11:00Z"));
    expect(late.overtime).toBe(true);
    expect(late.remainingSec).toBe(0);
    expect(phaseTimer("ACCUEIL", null, durations, new Date()).elapsedSec).toBe(0);
  });

  it("falls back to default durations for invalid stored values", () => {
    expect(parsePhaseDurations({ ACCUEIL: -3 }).ACCUEIL).toBe(5);
    expect(parsePhaseDurations(null).SIGNATURE).toBe(10);
  });

  it("formats clocks", () => {
    expect(formatClock(245)).toBe("04:05");
    expect(formatClock(-70)).toBe("-01:10");
  });
});

describe("consolidation of the members' assessments", () => {
  it("proposes acquis when both evaluators are positive, non acquis when both are negative", () => {
    expect(consolidate(binary, c1, [{ userId: "u1", raw: "MAITRISE" }, { userId: "u2", raw: "MAITRISE" }])).toMatchObject({
      proposal: "MAITRISE",
      divergent: false,
      assessed: 2,
    });
    expect(consolidate(binary, c1, [{ userId: "u1", raw: "NON_MAITRISE" }, { userId: "u2", raw: "NON_MAITRISE" }]).proposal).toBe(
      "NON_MAITRISE",
    );
  });

  it("flags a divergence and proposes nothing when evaluators disagree", () => {
    const result = consolidate(binary, c1, [{ userId: "u1", raw: "MAITRISE" }, { userId: "u2", raw: "NON_MAITRISE" }]);
    expect(result).toMatchObject({ proposal: null, divergent: true, statuses: { u1: "acquired", u2: "notAcquired" } });
  });

  it("takes the most frequent level among agreeing members, the more cautious one on a tie", () => {
    const three = [
      { userId: "u1", raw: "PARTIEL" },
      { userId: "u2", raw: "NON_ACQUIS" },
      { userId: "u3", raw: "PARTIEL" },
    ];
    expect(consolidate(levels, c1, three).proposal).toBe("PARTIEL");
    expect(consolidate(levels, c1, three.slice(0, 2)).proposal).toBe("NON_ACQUIS");
  });

  it("ignores members who have not assessed yet and values outside the scale", () => {
    expect(consolidate(levels, c1, [{ userId: "u1", raw: "" }, { userId: "u2", raw: null }])).toEqual({
      proposal: null,
      divergent: false,
      assessed: 0,
      statuses: {},
    });
    expect(consolidate(levels, c1, [{ userId: "u1", raw: "INCONNU" }, { userId: "u2", raw: "ACQUIS" }])).toMatchObject({
      proposal: "ACQUIS",
      assessed: 1,
    });
  });

  it("averages marks and percentages when members agree on the outcome", () => {
    expect(consolidate(marks, c1, [{ userId: "u1", raw: "12" }, { userId: "u2", raw: "15,5" }]).proposal).toBe("13.75");
    expect(consolidate(marks, c1, [{ userId: "u1", raw: "9" }, { userId: "u2", raw: "12" }]).divergent).toBe(true);
    expect(consolidate(percent, c1, [{ userId: "u1", raw: "80" }, { userId: "u2", raw: "71" }]).proposal).toBe("75.5");
    expect(consolidate(percent, c1, [{ userId: "u1", raw: "69" }, { userId: "u2", raw: "71" }]).divergent).toBe(true);
  });

  it("keeps the criteria every member ticked, and reports a divergence when that common set falls short", () => {
    expect(
      consolidate(ratio, withCriteria, [
        { userId: "u1", raw: "a,b,c" },
        { userId: "u2", raw: "a,b,c,d" },
      ]).proposal,
    ).toBe("a,b,c");
    expect(
      consolidate(ratio, withCriteria, [
        { userId: "u1", raw: "a,b,c" },
        { userId: "u2", raw: "a,c,d" },
      ]),
    ).toMatchObject({ proposal: null, divergent: true });
  });
});

describe("what is missing before signing", () => {
  const signers = [
    { userId: "u1", displayName: "Marie Membre", declared: true },
    { userId: "u2", displayName: "Mehdi Membre", declared: false },
  ];
  const competences = [c1, { id: "c2", code: "C2", statement: "Organiser" }];

  it("lists undeclared conflicts, missing results, missing required comments and an empty synthesis", () => {
    expect(
      missingForSignature({
        scheme: levels,
        competences,
        results: { c1: "PARTIEL" },
        comments: { c1: "  " },
        synthesis: "",
        signers,
      }),
    ).toEqual([
      "Mehdi Membre n'a pas déclaré l'absence de conflit d'intérêts.",
      "C1 : commentaire obligatoire manquant (compétence non acquise en pleine autonomie).",
      "C2 : résultat de la commission manquant.",
      "La synthèse de la commission est vide.",
    ]);
  });

  it("is empty once everything required is there", () => {
    expect(
      missingForSignature({
        scheme: levels,
        competences,
        results: { c1: "PARTIEL", c2: "ACQUIS" },
        comments: { c1: "Relances faites hors délai (critère 2)." },
        synthesis: "Candidate solide sur la logistique.",
        signers: signers.map((s) => ({ ...s, declared: true })),
      }),
    ).toEqual([]);
  });

  it("rejects a result that does not fit the scale", () => {
    expect(
      missingForSignature({ scheme: marks, competences: [c1], results: { c1: "25" }, comments: {}, synthesis: "ok", signers: [] }),
    ).toEqual(["C1 : résultat invalide pour l'échelle de la certification."]);
  });
});

describe("outcome of the grid", () => {
  const blocs = [
    { id: "b1", competences: [c1, { id: "c2", code: "C2" }] },
    { id: "b2", competences: [{ id: "c3", code: "C3" }] },
  ];

  it("is pending until every competence has a valid result", () => {
    expect(gridOutcome(levels, blocs, { c1: "ACQUIS", c2: "ACQUIS" }).outcome).toBe("pending");
    expect(gridOutcome(marks, blocs, { c1: "12", c2: "12", c3: "25" }).outcome).toBe("pending");
  });

  it("gives total, partial or no delivery from the bloc outcomes", () => {
    expect(gridOutcome(levels, blocs, { c1: "ACQUIS", c2: "ACQUIS", c3: "ACQUIS" }).outcome).toBe("total");
    const partial = gridOutcome(levels, blocs, { c1: "ACQUIS", c2: "ACQUIS", c3: "NON_ACQUIS" });
    expect(partial).toMatchObject({ outcome: "partial", acquiredBlocIds: ["b1"], missingBlocIds: ["b2"] });
    expect(gridOutcome(levels, blocs, { c1: "PARTIEL", c2: "ACQUIS", c3: "NON_ACQUIS" }).outcome).toBe("none");
  });
});

describe("ordering the states of a passage broadcast to the members", () => {
  const state = (version: number, serverNow: string, signatures: string[]) => ({ version, serverNow, signatures });

  it("keeps the higher version, whatever order the broadcasts arrive in", () => {
    // Marie's request read the state before Mehdi's signature committed, and its broadcast arrived last.
    const signedByAll = state(7, "2026-11-23T09:30:25.400Z", ["pierre", "marie", "mehdi"]);
    const readBefore = state(6, "2026-11-23T09:30:25.500Z", ["pierre", "marie"]);
    expect(newerSlotState(signedByAll, readBefore)).toBe(signedByAll);
    expect(newerSlotState(readBefore, signedByAll)).toBe(signedByAll);
  });

  it("at the same version, keeps the later read", () => {
    const early = state(3, "2026-11-23T09:00:00.000Z", []);
    const late = state(3, "2026-11-23T09:00:01.000Z", []);
    expect(newerSlotState(early, late)).toBe(late);
    expect(newerSlotState(late, early)).toBe(late);
  });
});

describe("reopening a grid in signature", () => {
  it("is refused once a jury decided on it (first), or once the commission is closed", () => {
    expect(gridReopenRefusal({ juryDecided: false, sessionClosed: false })).toBeNull();
    expect(gridReopenRefusal({ juryDecided: true, sessionClosed: true })).toContain("Le jury a déjà rendu sa décision pour ce candidat");
    expect(gridReopenRefusal({ juryDecided: true, sessionClosed: false })).toContain("Le jury a déjà rendu sa décision pour ce candidat");
    expect(gridReopenRefusal({ juryDecided: false, sessionClosed: true })).toBe(
      "La commission est close : sa grille ne peut plus être rouverte, seulement signée.",
    );
  });
});
