import { describe, expect, it } from "vitest";
import { blocOutcome, certificationOutcome, competenceOutcome, type BlocSpec } from "~/domain/aggregation";
import { InvalidResultError, LEVEL_PRESETS, type ResultValue } from "~/domain/scales";
import { parseScheme, type SchemeInput } from "~/domain/scheme";

const scheme = (scale: SchemeInput["scale"], aggregation: SchemeInput["aggregation"] = {}) =>
  parseScheme({ scale, aggregation });

const c = (id: string, criteria?: Array<{ id: string; mandatory?: boolean }>) => ({ id, code: id.toUpperCase(), criteria });

describe("competenceOutcome — every scale", () => {
  it.each(Object.entries(LEVEL_PRESETS))("levels preset %s: positive levels acquired, others not", (_name, levels) => {
    const s = scheme({ kind: "levels", levels: [...levels] });
    for (const level of levels) {
      expect(competenceOutcome(s, c("c1"), { level: level.value })).toEqual({
        id: "c1",
        status: level.positive ? "acquired" : "notAcquired",
        score: null,
        weight: 1,
      });
    }
  });

  it("levels: no result is pending; an unknown level or a score is refused in French", () => {
    const s = scheme({ kind: "levels", levels: [...LEVEL_PRESETS.binary] });
    expect(competenceOutcome(s, c("c1"), null).status).toBe("pending");
    expect(competenceOutcome(s, c("c1"), undefined).status).toBe("pending");
    expect(() => competenceOutcome(s, c("c1"), { level: "ACQUIS" })).toThrow(/Niveau inconnu/);
    expect(() => competenceOutcome(s, c("c1"), { score: 12 })).toThrow(InvalidResultError);
  });

  it("marks /20: from the scale's threshold up, per-competence thresholds and weights", () => {
    const s = scheme({ kind: "marks", passMark: 10, thresholds: { C2: 12 }, weights: { C2: 3 } });
    expect(competenceOutcome(s, c("c1"), { score: 9.5 })).toEqual({ id: "c1", status: "notAcquired", score: 9.5, weight: 1 });
    expect(competenceOutcome(s, c("c1"), { score: 10 }).status).toBe("acquired");
    expect(competenceOutcome(s, c("c2"), { score: 11.5 })).toEqual({ id: "c2", status: "notAcquired", score: 11.5, weight: 3 });
    expect(competenceOutcome(s, c("c2"), { score: 12 }).status).toBe("acquired");
    expect(competenceOutcome(s, c("c1"), { score: 0 }).status).toBe("notAcquired");
    expect(competenceOutcome(s, c("c1"), { score: 20 }).status).toBe("acquired");
  });

  it("marks: out-of-range, non-finite or non-numeric results are refused", () => {
    const s = scheme({ kind: "marks" });
    expect(() => competenceOutcome(s, c("c1"), { score: 20.5 })).toThrow(/entre 0 et 20/);
    expect(() => competenceOutcome(s, c("c1"), { score: -1 })).toThrow(/entre 0 et 20/);
    expect(() => competenceOutcome(s, c("c1"), { score: Number.NaN })).toThrow(/note sur 20/);
    expect(() => competenceOutcome(s, c("c1"), { level: "ACQUIS" })).toThrow(/note sur 20/);
  });

  it("percentage: from the pass mark up (70 %)", () => {
    const s = scheme({ kind: "percentage", passMark: 70, weights: { C1: 2 } });
    expect(competenceOutcome(s, c("c1"), { score: 69.9 })).toEqual({ id: "c1", status: "notAcquired", score: 69.9, weight: 2 });
    expect(competenceOutcome(s, c("c1"), { score: 70 }).status).toBe("acquired");
    expect(competenceOutcome(s, c("c2"), { score: 100 }).status).toBe("acquired");
    expect(() => competenceOutcome(s, c("c1"), { score: 101 })).toThrow(/entre 0 et 100/);
    expect(() => competenceOutcome(s, c("c1"), { criteriaMet: [] })).toThrow(/pourcentage/);
  });

  describe("criteria ratio (CléA: 75 % of the sub-domain's criteria, with mandatory ones)", () => {
    const criteria = [{ id: "a", mandatory: true }, { id: "b" }, { id: "c" }, { id: "d" }];
    const s = scheme({ kind: "criteriaRatio", ratio: 75, mandatoryCriteria: true });

    it.each([
      [["a", "b", "c", "d"], "acquired", 100],
      [["a", "b", "c"], "acquired", 75],
      [["b", "c", "d"], "notAcquired", 75], // mandatory criterion a missing
      [["a", "b"], "notAcquired", 50],
      [[], "notAcquired", 0],
      [["a", "a", "b", "c"], "acquired", 75], // duplicates count once
    ] as const)("met %j → %s (%s %)", (met, status, score) => {
      expect(competenceOutcome(s, c("d1", criteria), { criteriaMet: [...met] })).toEqual({
        id: "d1",
        status,
        score,
        weight: 1,
      });
    });

    it("ignores mandatory flags when the scheme does not use them", () => {
      const lax = scheme({ kind: "criteriaRatio", ratio: 75, mandatoryCriteria: false });
      expect(competenceOutcome(lax, c("d1", criteria), { criteriaMet: ["b", "c", "d"] }).status).toBe("acquired");
    });

    it("meets a ratio exactly despite floating point (2 of 3 = 66.67 % for a 66.666… ratio)", () => {
      const twoThirds = scheme({ kind: "criteriaRatio", ratio: 200 / 3, mandatoryCriteria: false });
      expect(competenceOutcome(twoThirds, c("d1", criteria.slice(1)), { criteriaMet: ["b", "c"] }).status).toBe("acquired");
    });

    it("refuses an unknown criterion, a competence without criteria, a result of another kind", () => {
      expect(() => competenceOutcome(s, c("d1", criteria), { criteriaMet: ["z"] })).toThrow(/Critère inconnu/);
      expect(() => competenceOutcome(s, c("d1", []), { criteriaMet: [] })).toThrow(/aucun critère/);
      expect(() => competenceOutcome(s, c("d1"), { criteriaMet: [] })).toThrow(/aucun critère/);
      expect(() => competenceOutcome(s, c("d1", criteria), { level: "ACQUIS" })).toThrow(/critères satisfaits/);
    });
  });
});

const bloc = (id: string, ...competences: string[]): BlocSpec => ({ id, competences: competences.map((x) => c(x)) });
const levelsScheme = (aggregation: SchemeInput["aggregation"] = {}) =>
  scheme({ kind: "levels", levels: [...LEVEL_PRESETS.acquiredPartial] }, aggregation);
const L = (level: string): ResultValue => ({ level });
const S = (score: number): ResultValue => ({ score });

describe("blocOutcome", () => {
  it("allCompetences: acquired only when every competence is", () => {
    const s = levelsScheme();
    const b = bloc("b1", "c1", "c2");
    expect(blocOutcome(s, b, { c1: L("ACQUIS"), c2: L("ACQUIS") }).status).toBe("acquired");
    expect(blocOutcome(s, b, { c1: L("ACQUIS"), c2: L("PARTIEL") }).status).toBe("notAcquired");
    expect(blocOutcome(s, b, { c1: L("NON_ACQUIS"), c2: L("NON_ACQUIS") }).status).toBe("notAcquired");
    expect(blocOutcome(s, b, { c1: L("ACQUIS") })).toMatchObject({ status: "pending", score: null });
    expect(blocOutcome(s, b, { c1: L("NON_ACQUIS"), c2: null }).status).toBe("pending");
  });

  it("a bloc without competences is pending (it cannot be evaluated)", () => {
    expect(blocOutcome(levelsScheme(), bloc("b1"), {}).status).toBe("pending");
  });

  it("minRatio: acquired from the share of acquired competences up", () => {
    const s = levelsScheme({ bloc: { rule: "minRatio", ratio: 75 } });
    const b = bloc("b1", "c1", "c2", "c3", "c4");
    const three = { c1: L("ACQUIS"), c2: L("ACQUIS"), c3: L("ACQUIS"), c4: L("NON_ACQUIS") };
    expect(blocOutcome(s, b, three)).toMatchObject({ status: "acquired", score: 75 });
    expect(blocOutcome(s, b, { ...three, c3: L("PARTIEL") })).toMatchObject({ status: "notAcquired", score: 50 });
  });

  it("weightedAverage on marks: weighted mean against the bloc's pass mark", () => {
    const s = scheme(
      { kind: "marks", passMark: 10, weights: { C1: 3, C2: 1 } },
      { bloc: { rule: "weightedAverage", passMark: 10 } },
    );
    const b = bloc("b1", "c1", "c2");
    // (12×3 + 6×1) / 4 = 10.5: acquired although C2 is below 10 (compensation).
    expect(blocOutcome(s, b, { c1: S(12), c2: S(6) })).toMatchObject({ status: "acquired", score: 10.5 });
    // (8×3 + 14×1) / 4 = 9.5
    expect(blocOutcome(s, b, { c1: S(8), c2: S(14) })).toMatchObject({ status: "notAcquired", score: 9.5 });
  });

  it("weightedAverage with « every competence must pass » (each domain ≥ 10)", () => {
    const s = scheme(
      { kind: "marks", passMark: 10 },
      { bloc: { rule: "weightedAverage", passMark: 10, everyCompetenceMustPass: true } },
    );
    const b = bloc("b1", "c1", "c2");
    expect(blocOutcome(s, b, { c1: S(16), c2: S(9.5) })).toMatchObject({ status: "notAcquired", score: 12.75 });
    expect(blocOutcome(s, b, { c1: S(10), c2: S(10) })).toMatchObject({ status: "acquired", score: 10 });
  });

  it("weightedAverage with all weights at zero falls back to the plain mean", () => {
    const s = scheme(
      { kind: "marks", weights: { C1: 0, C2: 0 } },
      { bloc: { rule: "weightedAverage", passMark: 10 } },
    );
    expect(blocOutcome(s, bloc("b1", "c1", "c2"), { c1: S(8), c2: S(13) })).toMatchObject({ status: "acquired", score: 10.5 });
  });

  it("weightedAverage on percentages", () => {
    const s = scheme({ kind: "percentage", passMark: 70 }, { bloc: { rule: "weightedAverage", passMark: 70 } });
    expect(blocOutcome(s, bloc("b1", "c1", "c2"), { c1: S(80), c2: S(60) })).toMatchObject({ status: "acquired", score: 70 });
    expect(blocOutcome(s, bloc("b1", "c1", "c2"), { c1: S(75), c2: S(60) })).toMatchObject({
      status: "notAcquired",
      score: 67.5,
    });
  });

  it("percentage with allCompetences (food sector: every competence ≥ 70 %)", () => {
    const s = scheme({ kind: "percentage", passMark: 70 });
    expect(blocOutcome(s, bloc("b1", "c1", "c2"), { c1: S(95), c2: S(69) }).status).toBe("notAcquired");
    expect(blocOutcome(s, bloc("b1", "c1", "c2"), { c1: S(70), c2: S(71) }).status).toBe("acquired");
  });

  it("criteria ratio with allCompetences (CléA domain = all its sub-domains)", () => {
    const s = scheme({ kind: "criteriaRatio", ratio: 75 });
    const b: BlocSpec = {
      id: "d1",
      competences: [c("s1", [{ id: "a" }, { id: "b" }]), c("s2", [{ id: "x", mandatory: true }, { id: "y" }])],
    };
    expect(blocOutcome(s, b, { s1: { criteriaMet: ["a", "b"] }, s2: { criteriaMet: ["x", "y"] } }).status).toBe("acquired");
    expect(blocOutcome(s, b, { s1: { criteriaMet: ["a", "b"] }, s2: { criteriaMet: ["y"] } }).status).toBe("notAcquired");
  });

  it("keeps each competence's outcome", () => {
    const result = blocOutcome(levelsScheme(), bloc("b1", "c1", "c2"), { c1: L("ACQUIS"), c2: L("NON_ACQUIS") });
    expect(result.competences.map((x) => [x.id, x.status])).toEqual([
      ["c1", "acquired"],
      ["c2", "notAcquired"],
    ]);
  });
});

describe("certificationOutcome", () => {
  const blocs = [bloc("b1", "c1", "c2"), bloc("b2", "c3")];

  it("levels: total, partial, none, pending", () => {
    const s = levelsScheme();
    expect(certificationOutcome(s, blocs, { c1: L("ACQUIS"), c2: L("ACQUIS"), c3: L("ACQUIS") })).toMatchObject({
      outcome: "total",
      acquiredBlocIds: ["b1", "b2"],
      missingBlocIds: [],
      finalScore: null,
    });
    expect(certificationOutcome(s, blocs, { c1: L("ACQUIS"), c2: L("ACQUIS"), c3: L("NON_ACQUIS") })).toMatchObject({
      outcome: "partial",
      acquiredBlocIds: ["b1"],
      missingBlocIds: ["b2"],
    });
    expect(certificationOutcome(s, blocs, { c1: L("PARTIEL"), c2: L("ACQUIS"), c3: L("NON_ACQUIS") })).toMatchObject({
      outcome: "none",
      acquiredBlocIds: [],
    });
    expect(certificationOutcome(s, blocs, { c1: L("ACQUIS"), c2: L("ACQUIS") }).outcome).toBe("pending");
  });

  it("without partial validation, some acquired blocs still mean no delivery", () => {
    const s = levelsScheme({ partialAllowed: false });
    expect(certificationOutcome(s, blocs, { c1: L("ACQUIS"), c2: L("ACQUIS"), c3: L("NON_ACQUIS") }).outcome).toBe("none");
    expect(certificationOutcome(s, blocs, { c1: L("ACQUIS"), c2: L("ACQUIS"), c3: L("ACQUIS") }).outcome).toBe("total");
  });

  it("a certification without blocs is pending", () => {
    expect(certificationOutcome(levelsScheme(), [], {}).outcome).toBe("pending");
  });

  it("binary scale (CQPM): one bloc not mastered gives a partial delivery", () => {
    const s = scheme({ kind: "levels", levels: [...LEVEL_PRESETS.binary] });
    expect(
      certificationOutcome(s, blocs, { c1: L("MAITRISE"), c2: L("MAITRISE"), c3: L("NON_MAITRISE") }).outcome,
    ).toBe("partial");
  });

  it("acquired / in progress scale: « en cours » is not acquired", () => {
    const s = scheme({ kind: "levels", levels: [...LEVEL_PRESETS.acquiredInProgress] });
    expect(certificationOutcome(s, blocs, { c1: L("ACQUIS"), c2: L("EN_COURS"), c3: L("ACQUIS") })).toMatchObject({
      outcome: "partial",
      acquiredBlocIds: ["b2"],
    });
  });

  describe("marks /20: each domain ≥ 10 and final ≥ 12", () => {
    const s = scheme(
      { kind: "marks", passMark: 10, weights: { C1: 2 } },
      { bloc: { rule: "weightedAverage", passMark: 10, everyCompetenceMustPass: true }, finalPassMark: 12 },
    );

    it("total when every domain passes and the weighted final mean reaches 12", () => {
      // final = (14×2 + 12 + 10) / 4 = 12.5
      expect(certificationOutcome(s, blocs, { c1: S(14), c2: S(12), c3: S(10) })).toMatchObject({
        outcome: "total",
        finalScore: 12.5,
      });
    });

    it("exactly 12 is enough", () => {
      // (12×2 + 12 + 12) / 4 = 12
      expect(certificationOutcome(s, blocs, { c1: S(12), c2: S(12), c3: S(12) }).outcome).toBe("total");
    });

    it("partial when every bloc passes but the final mean is below 12", () => {
      // final = (11×2 + 11 + 11) / 4 = 11
      expect(certificationOutcome(s, blocs, { c1: S(11), c2: S(11), c3: S(11) })).toMatchObject({
        outcome: "partial",
        finalScore: 11,
        acquiredBlocIds: ["b1", "b2"],
      });
    });

    it("partial when one domain is below 10 despite a good mean", () => {
      expect(certificationOutcome(s, blocs, { c1: S(18), c2: S(16), c3: S(9) })).toMatchObject({
        outcome: "partial",
        acquiredBlocIds: ["b1"],
        missingBlocIds: ["b2"],
      });
    });

    it("none when no bloc passes", () => {
      expect(certificationOutcome(s, blocs, { c1: S(5), c2: S(16), c3: S(9) }).outcome).toBe("none");
    });

    it("pending while a mark is missing, with no final score", () => {
      expect(certificationOutcome(s, blocs, { c1: S(15), c2: S(15) })).toMatchObject({ outcome: "pending", finalScore: null });
    });
  });

  it("percentage (food sector, 70 %): partial by blocs", () => {
    const s = scheme({ kind: "percentage", passMark: 70 });
    expect(certificationOutcome(s, blocs, { c1: S(80), c2: S(72), c3: S(90) })).toMatchObject({
      outcome: "total",
      finalScore: 80.67,
    });
    expect(certificationOutcome(s, blocs, { c1: S(80), c2: S(65), c3: S(90) })).toMatchObject({
      outcome: "partial",
      acquiredBlocIds: ["b2"],
    });
    expect(certificationOutcome(s, blocs, { c1: S(10), c2: S(65), c3: S(69.5) }).outcome).toBe("none");
  });

  it("criteria ratio (CléA): total only when every domain is acquired", () => {
    const s = scheme({ kind: "criteriaRatio", ratio: 75 });
    const domains: BlocSpec[] = [
      { id: "d1", competences: [c("s1", [{ id: "a", mandatory: true }, { id: "b" }, { id: "c" }, { id: "d" }])] },
      { id: "d2", competences: [c("s2", [{ id: "x" }, { id: "y" }])] },
    ];
    expect(
      certificationOutcome(s, domains, { s1: { criteriaMet: ["a", "b", "c"] }, s2: { criteriaMet: ["x", "y"] } }),
    ).toMatchObject({ outcome: "total", finalScore: null });
    expect(
      certificationOutcome(s, domains, { s1: { criteriaMet: ["b", "c", "d"] }, s2: { criteriaMet: ["x", "y"] } }),
    ).toMatchObject({ outcome: "partial", acquiredBlocIds: ["d2"], missingBlocIds: ["d1"] });
    expect(
      certificationOutcome(s, domains, { s1: { criteriaMet: [] }, s2: { criteriaMet: ["x"] } }).outcome,
    ).toBe("none");
  });
});
