/**
 * What the grid's schema accepts as a key and a value (app/domain/grid-vocabulary.ts): the competences of the grid's
 * référentiel, and the values the grid's inputs write for each kind of scale — nothing the grid page or the signing
 * would read as « résultat invalide ».
 */
import { describe, expect, it } from "vitest";
import { consolidate } from "~/domain/commission";
import { EMPTY_GRID_VOCABULARY, gridVocabulary } from "~/domain/grid-vocabulary";
import { encodeResult, LEVEL_PRESETS, NO_CRITERION_MET } from "~/domain/scales";
import { parseScheme } from "~/domain/scheme";

const COMPETENCES = [
  { id: "cmp1", code: "C1", criteria: [{ id: "cr1", mandatory: true }, { id: "cr2" }, { id: "cr3" }] },
  { id: "cmp2", code: "C2", criteria: [{ id: "cr4" }] },
];

describe("grid vocabulary", () => {
  it("levels: exactly the scale's level values, for the référentiel's competences only", () => {
    const vocabulary = gridVocabulary({ kind: "levels", levels: LEVEL_PRESETS.acquiredInProgress }, COMPETENCES);
    expect(vocabulary.has("cmp1")).toBe(true);
    expect(vocabulary.has("junk1")).toBe(false);
    for (const value of ["ACQUIS", "EN_COURS", "NON_ACQUIS"]) expect(vocabulary.fits("cmp2", value)).toBe(true);
    for (const value of ["NON", "PARTIEL", "acquis", " ACQUIS", "ACQUIS#3", "", "x".repeat(1_999)]) {
      expect(vocabulary.fits("cmp1", value), value).toBe(false);
    }
    expect(vocabulary.fits("junk1", "ACQUIS")).toBe(false);
  });

  it("marks and percentages: a number within the scale, as the number input and the proposal write it", () => {
    const marks = gridVocabulary({ kind: "marks", max: 20, step: 0.5, passMark: 10, weights: {}, thresholds: {} }, COMPETENCES);
    for (const value of ["0", "12", "12.5", "20", "13.33"]) expect(marks.fits("cmp1", value), value).toBe(true);
    for (const value of ["21", "-1", "ACQUIS", "1e2", "12#4", ""]) expect(marks.fits("cmp1", value), value).toBe(false);
    const percentage = gridVocabulary({ kind: "percentage", passMark: 70, weights: {} }, COMPETENCES);
    expect(percentage.fits("cmp2", "85")).toBe(true);
    expect(percentage.fits("cmp2", "100.5")).toBe(false);
    expect(percentage.fits("junk", "85")).toBe(false);
  });

  it("criteria ratio: the competence's own criteria, or none met", () => {
    const vocabulary = gridVocabulary({ kind: "criteriaRatio", ratio: 75, mandatoryCriteria: true }, COMPETENCES);
    expect(vocabulary.fits("cmp1", encodeResult({ criteriaMet: ["cr2", "cr1"] }))).toBe(true);
    expect(vocabulary.fits("cmp1", NO_CRITERION_MET)).toBe(true);
    expect(vocabulary.fits("cmp1", "cr4")).toBe(false); // another competence's criterion
    expect(vocabulary.fits("cmp1", "ACQUIS")).toBe(false);
  });

  it("accepts the commission's proposal computed from valid assessments", () => {
    const scheme = parseScheme({ scale: { kind: "marks", max: 20, step: 0.5, passMark: 10 } });
    const vocabulary = gridVocabulary(scheme.scale, COMPETENCES);
    const { proposal } = consolidate(scheme, COMPETENCES[0], [
      { userId: "a", raw: "12" },
      { userId: "b", raw: "13.5" },
      { userId: "c", raw: "14.5" },
    ]);
    expect(proposal).toBe("13.33");
    expect(vocabulary.fits("cmp1", proposal!)).toBe(true);
  });

  it("without a référentiel nothing fits", () => {
    expect(EMPTY_GRID_VOCABULARY.has("cmp1")).toBe(false);
    expect(EMPTY_GRID_VOCABULARY.fits("cmp1", "ACQUIS")).toBe(false);
  });
});
