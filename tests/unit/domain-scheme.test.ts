import { describe, expect, it } from "vitest";
import { endOfValidity, recordStatus } from "~/domain/delivery-record";
import {
  LEVEL_PRESETS,
  decodeResult,
  describeScale,
  encodeResult,
  formatCompetenceNumbers,
  matchLevelPreset,
  parseCompetenceNumbers,
  scaleLevels,
  type Scale,
} from "~/domain/scales";
import {
  defaultSchemeFor,
  describeScheme,
  isCommentRequired,
  isPartialValidationValid,
  isVaeExperienceSufficient,
  parseScheme,
  partialValidityEnd,
  safeParseScheme,
  type SchemeInput,
} from "~/domain/scheme";

/** The stored shape of the first schemes (the demo's), before aggregation and jury rules existed. */
const LEGACY = {
  scale: {
    kind: "levels",
    levels: [
      { value: "ACQUIS", label: "Acquis", positive: true },
      { value: "PARTIEL", label: "Partiellement acquis", positive: false },
      { value: "NON_ACQUIS", label: "Non acquis", positive: false },
    ],
  },
  commentRequired: "notPositive",
  partialValidityYears: 5,
  companyOpinionRequired: false,
  evaluatorMustNotBeTrainer: true,
};

const withScale = (scale: SchemeInput["scale"], extra: Partial<SchemeInput> = {}) =>
  parseScheme({ scale, commentRequired: "notPositive", ...extra });

describe("parseScheme", () => {
  it("keeps a stored scheme of the first shape working, with defaults for the later rules", () => {
    const scheme = parseScheme(LEGACY);
    expect(scheme.scale).toEqual(LEGACY.scale);
    expect(scheme.commentRequired).toBe("notPositive");
    expect(scheme.partialValidityYears).toBe(5);
    expect(scheme.evaluatorMustNotBeTrainer).toBe(true);
    expect(scheme.aggregation).toEqual({ bloc: { rule: "allCompetences" }, finalPassMark: null, partialAllowed: true });
    expect(scheme.vaeMinExperienceMonths).toBeNull();
    expect(scheme.jury).toEqual({
      minPerCollege: 1,
      minTotal: 2,
      equalColleges: false,
      proxiesAllowed: false,
      proxiesMaxPerHolder: 1,
      castingVote: "president",
      voteModes: ["consensus", "open", "secret"],
      defaultVoteMode: "open",
      majorityBase: "present",
      decisionGranularity: "bloc",
      membersSignDecision: false,
      cpneValidation: false,
      appealsAllowed: true,
      appealDeadlineDays: 60,
      membersSignMinutes: false,
    });
    expect(scheme.evaluatorPairRequired).toBe(false);
  });

  it("is idempotent: a parsed scheme parses to itself", () => {
    const once = parseScheme(LEGACY);
    expect(parseScheme(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it("fills the defaults of numeric scales", () => {
    expect(withScale({ kind: "marks" }).scale).toEqual({
      kind: "marks",
      max: 20,
      step: 0.5,
      passMark: 10,
      weights: {},
      thresholds: {},
    });
    expect(withScale({ kind: "percentage" }).scale).toEqual({ kind: "percentage", passMark: 70, weights: {} });
    expect(withScale({ kind: "criteriaRatio" }).scale).toEqual({ kind: "criteriaRatio", ratio: 75, mandatoryCriteria: true });
  });

  it("accepts partial validity for life (null)", () => {
    expect(parseScheme({ ...LEGACY, partialValidityYears: null }).partialValidityYears).toBeNull();
  });

  it.each([
    ["an unknown scale", { ...LEGACY, scale: { kind: "stars" } }, "scale.kind"],
    ["a one-level scale", { ...LEGACY, scale: { kind: "levels", levels: [LEGACY.scale.levels[0]] } }, "scale.levels"],
    [
      "a scale without a negative level",
      { ...LEGACY, scale: { kind: "levels", levels: LEGACY.scale.levels.map((l) => ({ ...l, positive: true })) } },
      "scale.levels",
    ],
    [
      "duplicate level values",
      { ...LEGACY, scale: { kind: "levels", levels: [LEGACY.scale.levels[0], LEGACY.scale.levels[0], LEGACY.scale.levels[1]] } },
      "scale.levels",
    ],
    ["an unknown comment rule", { ...LEGACY, commentRequired: "sometimes" }, "commentRequired"],
    ["zero years of partial validity", { ...LEGACY, partialValidityYears: 0 }, "partialValidityYears"],
    ["a pass mark above the maximum", { ...LEGACY, scale: { kind: "marks", passMark: 25 } }, "scale.passMark"],
    ["a competence threshold above the maximum", { ...LEGACY, scale: { kind: "marks", thresholds: { C1: 21 } } }, "scale.thresholds.C1"],
    ["a percentage pass mark above 100", { ...LEGACY, scale: { kind: "percentage", passMark: 120 } }, "scale.passMark"],
    ["a ratio of 0 %", { ...LEGACY, scale: { kind: "criteriaRatio", ratio: 0 } }, "scale.ratio"],
    [
      "a weighted average on a levels scale",
      { ...LEGACY, aggregation: { bloc: { rule: "weightedAverage", passMark: 10 } } },
      "aggregation.bloc.rule",
    ],
    [
      "a bloc pass mark above the maximum",
      { ...LEGACY, scale: { kind: "marks" }, aggregation: { bloc: { rule: "weightedAverage", passMark: 30 } } },
      "aggregation.bloc.passMark",
    ],
    ["a final mark on a levels scale", { ...LEGACY, aggregation: { finalPassMark: 12 } }, "aggregation.finalPassMark"],
    [
      "a final percentage above 100",
      { ...LEGACY, scale: { kind: "percentage" }, aggregation: { finalPassMark: 101 } },
      "aggregation.finalPassMark",
    ],
    ["a jury total below two colleges' minimum", { ...LEGACY, jury: { minPerCollege: 3, minTotal: 5 } }, "jury.minTotal"],
    ["a negative VAE experience", { ...LEGACY, vaeMinExperienceMonths: -1 }, "vaeMinExperienceMonths"],
    ["an unknown casting vote", { ...LEGACY, jury: { castingVote: "secretary" } }, "jury.castingVote"],
  ])("refuses %s, located", (_case, value, path) => {
    const result = safeParseScheme(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
    expect(() => parseScheme(value)).toThrow();
  });

  it("gives French messages for the cross-field rules", () => {
    const result = safeParseScheme({ ...LEGACY, jury: { minPerCollege: 2, minTotal: 3 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0].message).toMatch(/au moins le double du minimum par collège \(4\)/);
  });
});

describe("isCommentRequired", () => {
  const levels = (commentRequired: "never" | "notPositive" | "always") =>
    parseScheme({ ...LEGACY, commentRequired });

  it("never requires a comment for an empty result", () => {
    for (const rule of ["never", "notPositive", "always"] as const) {
      expect(isCommentRequired(levels(rule), "")).toBe(false);
      expect(isCommentRequired(levels(rule), null)).toBe(false);
      expect(isCommentRequired(levels(rule), undefined)).toBe(false);
    }
  });

  it("follows « always » and « never » whatever the result", () => {
    expect(isCommentRequired(levels("always"), "ACQUIS")).toBe(true);
    expect(isCommentRequired(levels("always"), "NON_ACQUIS")).toBe(true);
    expect(isCommentRequired(levels("never"), "ACQUIS")).toBe(false);
    expect(isCommentRequired(levels("never"), "NON_ACQUIS")).toBe(false);
  });

  it("levels: « notPositive » requires it for every non-positive level only", () => {
    const scheme = levels("notPositive");
    expect(isCommentRequired(scheme, "ACQUIS")).toBe(false);
    expect(isCommentRequired(scheme, "PARTIEL")).toBe(true);
    expect(isCommentRequired(scheme, "NON_ACQUIS")).toBe(true);
    expect(isCommentRequired(scheme, "UNKNOWN")).toBe(false);
    expect(isCommentRequired(scheme, { level: "NON_ACQUIS" })).toBe(true);
  });

  it.each(Object.entries(LEVEL_PRESETS))("preset %s: comment exactly when not positive", (_name, presetLevels) => {
    const scheme = withScale({ kind: "levels", levels: [...presetLevels] });
    for (const level of presetLevels) expect(isCommentRequired(scheme, level.value)).toBe(!level.positive);
  });

  it("marks: below the competence's threshold (its own or the scale's)", () => {
    const scheme = withScale({ kind: "marks", passMark: 10, thresholds: { C2: 12 } });
    expect(isCommentRequired(scheme, "9.5", { id: "1", code: "C1" })).toBe(true);
    expect(isCommentRequired(scheme, "10", { id: "1", code: "C1" })).toBe(false);
    expect(isCommentRequired(scheme, "11,5", { id: "2", code: "C2" })).toBe(true);
    expect(isCommentRequired(scheme, "12", { id: "2", code: "C2" })).toBe(false);
    expect(isCommentRequired(scheme, "11")).toBe(false); // no competence given: the scale's threshold
    expect(isCommentRequired(scheme, "25", { id: "1", code: "C1" })).toBe(false); // out of range: refused elsewhere
    expect(isCommentRequired(scheme, "abc", { id: "1", code: "C1" })).toBe(false);
  });

  it("percentage: below the pass mark", () => {
    const scheme = withScale({ kind: "percentage", passMark: 70 });
    expect(isCommentRequired(scheme, "69")).toBe(true);
    expect(isCommentRequired(scheme, "70 %")).toBe(false);
    expect(isCommentRequired(scheme, { score: 100 })).toBe(false);
  });

  it("criteria ratio: when the ratio or a mandatory criterion is missing", () => {
    const scheme = withScale({ kind: "criteriaRatio", ratio: 75 });
    const competence = {
      id: "c",
      code: "D1.1",
      criteria: [{ id: "a", mandatory: true }, { id: "b" }, { id: "c" }, { id: "d" }],
    };
    expect(isCommentRequired(scheme, "a,b,c", competence)).toBe(false);
    expect(isCommentRequired(scheme, "b,c,d", competence)).toBe(true);
    expect(isCommentRequired(scheme, "a,b", competence)).toBe(true);
    expect(isCommentRequired(scheme, "-", competence)).toBe(true);
    expect(isCommentRequired(scheme, "a,b,c")).toBe(false); // criteria unknown to the caller: cannot say
  });
});

describe("partialValidityEnd", () => {
  const decision = new Date("2025-06-15T00:00:00Z");

  it("adds N years to the decision date", () => {
    expect(partialValidityEnd({ partialValidityYears: 5 }, decision)?.toISOString()).toBe("2030-06-15T00:00:00.000Z");
    expect(partialValidityEnd({ partialValidityYears: 1 }, decision)?.toISOString()).toBe("2026-06-15T00:00:00.000Z");
  });

  it("is null for a validation kept for life", () => {
    expect(partialValidityEnd({ partialValidityYears: null }, decision)).toBeNull();
  });

  it("moves 29 February to 28 February of a common year, keeps it in a leap year", () => {
    const leap = new Date("2024-02-29T00:00:00Z");
    expect(partialValidityEnd({ partialValidityYears: 5 }, leap)?.toISOString()).toBe("2029-02-28T00:00:00.000Z");
    expect(partialValidityEnd({ partialValidityYears: 4 }, leap)?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it("counts from the day of the decision in Paris, its time of day dropped", () => {
    // 23:30 UTC on 31 December 2025 is 00:30 on 1 January 2026 in Paris: the jury decided on 1 January.
    const late = new Date("2025-12-31T23:30:00Z");
    expect(partialValidityEnd({ partialValidityYears: 5 }, late)?.toISOString()).toBe("2031-01-01T00:00:00.000Z");
    const evening = new Date("2025-12-31T22:30:00Z"); // 23:30 in Paris: still 31 December
    expect(partialValidityEnd({ partialValidityYears: 5 }, evening)?.toISOString()).toBe("2030-12-31T00:00:00.000Z");
    // A calendar day stored at midnight UTC stays that day.
    expect(partialValidityEnd({ partialValidityYears: 5 }, new Date("2026-03-10T00:00:00Z"))?.toISOString()).toBe("2031-03-10T00:00:00.000Z");
  });

  it("is valid up to and including the last day, in Paris as /verifier and the Open Badge count it", () => {
    const scheme = { partialValidityYears: 5 };
    // Last day 15 June 2030, summer time (UTC+2): valid until 23:59:59.999 in Paris, 21:59:59.999Z.
    expect(isPartialValidationValid(scheme, decision, new Date("2030-06-15T21:59:59.999Z"))).toBe(true);
    expect(isPartialValidationValid(scheme, decision, new Date("2030-06-15T22:00:00.000Z"))).toBe(false); // 16 June 00:00 in Paris
    expect(isPartialValidationValid(scheme, decision, new Date("2030-06-16T00:00:00Z"))).toBe(false);
    expect(isPartialValidationValid({ partialValidityYears: null }, decision, new Date("2090-01-01T00:00:00Z"))).toBe(true);
  });

  it("agrees with the public status of the record (endOfValidity) around the last day's end, summer and winter", () => {
    for (const [decided, lastDay] of [["2025-06-15", "2030-06-15"], ["2025-12-15", "2030-12-15"]] as const) {
      const decisionDay = new Date(`${decided}T00:00:00Z`);
      const end = endOfValidity(new Date(`${lastDay}T00:00:00Z`));
      for (const on of [new Date(end.getTime() - 1), end, new Date(end.getTime() + 1), new Date(`${lastDay}T23:00:00Z`)]) {
        const valid = isPartialValidationValid({ partialValidityYears: 5 }, decisionDay, on);
        expect(valid, on.toISOString()).toBe(recordStatus({ revokedAt: null, validUntil: new Date(`${lastDay}T00:00:00Z`) }, on) === "valid");
      }
    }
    // Winter (UTC+1): the last day ends at 22:59:59.999Z.
    const winter = new Date("2025-12-15T00:00:00Z");
    expect(isPartialValidationValid({ partialValidityYears: 5 }, winter, new Date("2030-12-15T22:59:59.999Z"))).toBe(true);
    expect(isPartialValidationValid({ partialValidityYears: 5 }, winter, new Date("2030-12-15T23:00:00.000Z"))).toBe(false);
  });
});

describe("isVaeExperienceSufficient", () => {
  it("accepts anything without a minimum, else from the minimum up", () => {
    expect(isVaeExperienceSufficient({ vaeMinExperienceMonths: null }, 0)).toBe(true);
    expect(isVaeExperienceSufficient({ vaeMinExperienceMonths: 36 }, 35)).toBe(false);
    expect(isVaeExperienceSufficient({ vaeMinExperienceMonths: 36 }, 36)).toBe(true);
  });
});

describe("grid encoding of results", () => {
  const marks: Scale = withScale({ kind: "marks" }).scale;
  const ratio: Scale = withScale({ kind: "criteriaRatio" }).scale;
  const levelsScale: Scale = parseScheme(LEGACY).scale;

  it("round-trips every kind of result", () => {
    expect(decodeResult(levelsScale, encodeResult({ level: "ACQUIS" }))).toEqual({ level: "ACQUIS" });
    expect(decodeResult(marks, encodeResult({ score: 12.5 }))).toEqual({ score: 12.5 });
    expect(decodeResult(ratio, encodeResult({ criteriaMet: ["b", "a", "a"] }))).toEqual({ criteriaMet: ["a", "b"] });
    expect(decodeResult(ratio, encodeResult({ criteriaMet: [] }))).toEqual({ criteriaMet: [] });
  });

  it("reads French decimals and percent signs, refuses other text", () => {
    expect(decodeResult(marks, "12,5")).toEqual({ score: 12.5 });
    expect(decodeResult(withScale({ kind: "percentage" }).scale, "72 %")).toEqual({ score: 72 });
    expect(decodeResult(marks, "douze")).toBeNull();
    expect(decodeResult(marks, "  ")).toBeNull();
  });

  it("offers a drop-down only for level scales", () => {
    expect(scaleLevels(levelsScale)).toHaveLength(3);
    expect(scaleLevels(marks)).toBeNull();
  });
});

describe("presets and descriptions", () => {
  it("recognises the presets by value and polarity", () => {
    expect(matchLevelPreset(LEGACY.scale.levels)).toBe("acquiredPartial");
    expect(matchLevelPreset([...LEVEL_PRESETS.binary])).toBe("binary");
    expect(matchLevelPreset([...LEVEL_PRESETS.acquiredInProgress])).toBe("acquiredInProgress");
    expect(matchLevelPreset([{ value: "A", label: "A", positive: true }, { value: "B", label: "B", positive: false }])).toBeNull();
  });

  it("describes every scale and scheme in French", () => {
    expect(describeScale(withScale({ kind: "marks", thresholds: { C1: 12 }, weights: { C1: 2 } }).scale)).toBe(
      "Notes sur 20 (pas de 0,5), compétence acquise à partir de 10, 1 seuil(s) propre(s) à une compétence, 1 coefficient(s)",
    );
    expect(describeScale(withScale({ kind: "percentage" }).scale)).toBe("Pourcentage, compétence acquise à partir de 70 %");
    expect(describeScale(withScale({ kind: "criteriaRatio" }).scale)).toMatch(/75 % des critères.*obligatoires/);
    const lines = describeScheme(parseScheme({ ...LEGACY, partialValidityYears: null }));
    expect(lines.find((l) => l.label === "Validation partielle")?.value).toBe("Blocs acquis valables à vie");
    expect(lines.find((l) => l.label === "Jury")?.value).toContain("procurations non admises");
  });
});

describe("weights and thresholds typed in a form", () => {
  it("reads code = number pairs separated by semicolons, commas or lines, with French decimals", () => {
    expect(parseCompetenceNumbers("C1 = 2 ; C2=1,5\nC3: 0.5, D1.1 = 3")).toEqual({
      values: { C1: 2, C2: 1.5, C3: 0.5, "D1.1": 3 },
      errors: [],
    });
    expect(parseCompetenceNumbers("  ")).toEqual({ values: {}, errors: [] });
  });

  it("names each unreadable or repeated entry", () => {
    const result = parseCompetenceNumbers("C1 = deux ; C2 = 1 ; C2 = 3 ; = 4");
    expect(result.values).toEqual({ C2: 1 });
    expect(result.errors).toEqual([
      "« C1 = deux » : écrivez le code de la compétence, « = » puis un nombre (ex. C1 = 2).",
      "La compétence C2 apparaît deux fois.",
      "« = 4 » : écrivez le code de la compétence, « = » puis un nombre (ex. C1 = 2).",
    ]);
  });

  it("writes them back in a form that reads the same", () => {
    const values = { C1: 2, C2: 1.5 };
    expect(formatCompetenceNumbers(values)).toBe("C1 = 2 ; C2 = 1,5");
    expect(parseCompetenceNumbers(formatCompetenceNumbers(values)).values).toEqual(values);
  });
});

describe("defaultSchemeFor", () => {
  it("starts each kind from its usual practice, all of it editable", () => {
    expect(defaultSchemeFor("CLEA")).toMatchObject({
      scale: { kind: "criteriaRatio", ratio: 75, mandatoryCriteria: true },
      evaluatorMustNotBeTrainer: true,
    });
    expect(defaultSchemeFor("CQPM")).toMatchObject({ companyOpinionRequired: true, commentRequired: "notPositive" });
    const cqpm = defaultSchemeFor("CQPM");
    expect(cqpm.scale.kind === "levels" && matchLevelPreset(cqpm.scale.levels)).toBe("binary");
    expect(defaultSchemeFor("CCPM").companyOpinionRequired).toBe(false);
    for (const kind of ["CQP", "CQPI", "OTHER"] as const) {
      expect(defaultSchemeFor(kind)).toMatchObject({ partialValidityYears: 5, companyOpinionRequired: false });
    }
  });
});
