/** The demo catalogue obeys the same rules as an import, and its schemes are what DOMAIN.md describes. */
import { describe, expect, it } from "vitest";
import { CATALOGUE_CONTENT, ASSISTANT_SCHEME, CLEA_SCHEME, CQPM_SCHEME, FOOD_SCHEME } from "../../prisma/seed/catalogue";
import { SECOND_ORGANISATION_REFERENTIAL, SECOND_ORGANISATION_SCHEME } from "../../prisma/seed/second-organisation";
import { validateReferential } from "~/domain/referential-import";
import { parseScheme } from "~/domain/scheme";

describe("demo catalogue", () => {
  it.each([
    ["assistant", "RNCP38544"],
    ["clea", "RS5080"],
    ["cqpm", "MQ 2017 10 69 0312"],
    ["food", "RNCP37421"],
  ] as const)("%s référentiel passes the import validation", (name, code) => {
    const result = validateReferential(JSON.parse(JSON.stringify(CATALOGUE_CONTENT[name])), code);
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it("the second organisation's référentiel passes the import validation, its scheme parses", () => {
    const result = validateReferential(JSON.parse(JSON.stringify(SECOND_ORGANISATION_REFERENTIAL)), "RNCP36291");
    expect(result.ok ? [] : result.errors).toEqual([]);
    expect(parseScheme(SECOND_ORGANISATION_SCHEME).partialValidityYears).toBe(5);
  });

  it("has the shapes DOMAIN.md asks for", () => {
    expect(CATALOGUE_CONTENT.assistant.blocs.flatMap((b) => b.competences)).toHaveLength(6);
    expect(CATALOGUE_CONTENT.clea.blocs).toHaveLength(7);
    expect(CATALOGUE_CONTENT.cqpm.blocs).toHaveLength(2);
    expect(CATALOGUE_CONTENT.clea.blocs.flatMap((b) => b.competences.flatMap((c) => c.criteria)).some((c) => c.mandatory)).toBe(true);
  });

  it("has valid schemes with the branch rules", () => {
    const assistant = parseScheme(ASSISTANT_SCHEME);
    expect(assistant.partialValidityYears).toBe(5);
    const clea = parseScheme(CLEA_SCHEME);
    expect(clea.scale).toMatchObject({ kind: "criteriaRatio", ratio: 75, mandatoryCriteria: true });
    expect(clea.evaluatorMustNotBeTrainer).toBe(true);
    const cqpm = parseScheme(CQPM_SCHEME);
    expect(cqpm.scale.kind === "levels" && cqpm.scale.levels.map((l) => l.label)).toEqual(["Maîtrisé", "Non maîtrisé"]);
    expect(cqpm.commentRequired).toBe("notPositive");
    expect(cqpm.companyOpinionRequired).toBe(true);
    const food = parseScheme(FOOD_SCHEME);
    expect(food.scale).toMatchObject({ kind: "percentage", passMark: 70 });
    expect(food.partialValidityYears).toBeNull();
  });
});
