import { describe, expect, it } from "vitest";
import {
  competencesInScope,
  completenessRulesFromScheme,
  computeChecklist,
  requiredEvidenceKinds,
  type ChecklistKey,
  type CompletenessRules,
  type DossierFacts,
} from "~/domain/completeness";

const BLOCS: DossierFacts["blocs"] = [
  { id: "b1", code: "RNCP1BC01", competences: [{ id: "c1", code: "C1" }, { id: "c2", code: "C2" }] },
  { id: "b2", code: "RNCP1BC02", competences: [{ id: "c3", code: "C3" }] },
];

const RULES: CompletenessRules = { companyOpinionRequired: false, vaeMinimumExperienceMonths: null, evaluatorMustNotBeTrainer: false };

/** A complete formation dossier; each test breaks one thing. */
function facts(overrides: Partial<DossierFacts> = {}): DossierFacts {
  return {
    route: "FORMATION",
    identityGaps: [],
    blocs: BLOCS,
    targetedBlocIds: [],
    positioning: { c1: "ACQUIRED", c2: "TO_ACQUIRE", c3: "ACQUIRED" },
    positionedAt: "2025-01-10T00:00:00.000Z",
    evidenceKinds: ["IDENTITY"],
    companyOpinionFavourable: null,
    companyOpinionAt: null,
    vaeExperienceMonths: null,
    vaeAdmissibility: null,
    trainer: { kind: "user", name: "Marie Membre" },
    trainerSeats: [],
    ...overrides,
  };
}

const vaeFacts = (overrides: Partial<DossierFacts> = {}) =>
  facts({
    route: "VAE",
    positioning: null,
    positionedAt: null,
    evidenceKinds: ["IDENTITY", "VAE_ACTIVITY_FILE"],
    vaeExperienceMonths: 40,
    vaeAdmissibility: "ADMISSIBLE",
    ...overrides,
  });

const item = (checklist: ReturnType<typeof computeChecklist>, key: ChecklistKey) => {
  const found = checklist.items.find((i) => i.key === key);
  if (!found) throw new Error(`no checklist item ${key}`);
  return found;
};

describe("scheme rules for completeness", () => {
  it("reads the scheme's settings", () => {
    expect(
      completenessRulesFromScheme({ companyOpinionRequired: true, evaluatorMustNotBeTrainer: true, vaeMinExperienceMonths: 36 }),
    ).toEqual({ companyOpinionRequired: true, vaeMinimumExperienceMonths: 36, evaluatorMustNotBeTrainer: true });
  });

  it("treats missing, null, zero or malformed settings as no constraint", () => {
    const none = { companyOpinionRequired: false, vaeMinimumExperienceMonths: null, evaluatorMustNotBeTrainer: false };
    expect(completenessRulesFromScheme(null)).toEqual(none);
    expect(completenessRulesFromScheme("nonsense")).toEqual(none);
    expect(completenessRulesFromScheme({ vaeMinExperienceMonths: null })).toEqual(none);
    expect(completenessRulesFromScheme({ vaeMinExperienceMonths: 0 })).toEqual(none);
    expect(completenessRulesFromScheme({ companyOpinionRequired: "yes", vaeMinExperienceMonths: "36" })).toEqual(none);
  });

  it("accepts the minimum experience in years too", () => {
    expect(completenessRulesFromScheme({ vae: { minimumExperienceYears: 3 } }).vaeMinimumExperienceMonths).toBe(36);
  });
});

describe("the checklist", () => {
  it("finds a complete formation dossier complete", () => {
    const checklist = computeChecklist(facts(), RULES);
    expect(checklist.complete).toBe(true);
    expect(checklist.missing).toEqual([]);
    expect(checklist.items.map((i) => i.key)).toEqual([
      "identity",
      "blocs",
      "positioning",
      "evidence",
      "companyOpinion",
      "trainerConflict",
    ]);
    expect(item(checklist, "positioning").reason).toBe("1 compétence à acquérir : C2.");
  });

  it("reports the identity gaps it is given", () => {
    const checklist = computeChecklist(facts({ identityGaps: ["sexe", "date de naissance"] }), RULES);
    expect(checklist.complete).toBe(false);
    expect(item(checklist, "identity")).toMatchObject({
      status: "missing",
      reason: "À compléter sur la fiche du candidat : sexe, date de naissance.",
    });
  });

  describe("blocs", () => {
    it("needs at least one targeted bloc on the blocs route", () => {
      const checklist = computeChecklist(facts({ route: "BLOCS" }), RULES);
      expect(item(checklist, "blocs")).toMatchObject({ status: "missing", reason: "Parcours par blocs : cochez au moins un bloc visé." });
      const ok = computeChecklist(facts({ route: "BLOCS", targetedBlocIds: ["b2"], positioning: { c3: "ACQUIRED" } }), RULES);
      expect(item(ok, "blocs")).toMatchObject({ status: "ok", reason: "Blocs visés : RNCP1BC02." });
      expect(ok.complete).toBe(true);
    });

    it("targets the whole référentiel on the other routes when no bloc is ticked", () => {
      expect(item(computeChecklist(facts(), RULES), "blocs").status).toBe("not_applicable");
      expect(item(computeChecklist(facts({ targetedBlocIds: ["b1"] }), RULES), "blocs").status).toBe("ok");
    });
  });

  describe("positioning", () => {
    it("covers the competences of the targeted blocs only", () => {
      expect(competencesInScope({ blocs: BLOCS, targetedBlocIds: ["b2"] }).map((c) => c.id)).toEqual(["c3"]);
      expect(competencesInScope({ blocs: BLOCS, targetedBlocIds: [] }).map((c) => c.id)).toEqual(["c1", "c2", "c3"]);
      const checklist = computeChecklist(facts({ targetedBlocIds: ["b1"], positioning: { c1: "ACQUIRED", c2: "ACQUIRED" } }), RULES);
      expect(item(checklist, "positioning")).toMatchObject({ status: "ok", reason: "Toutes les compétences sont acquises au positionnement." });
    });

    it("names the competences without a result", () => {
      const checklist = computeChecklist(facts({ positioning: { c1: "ACQUIRED", c2: "MAYBE" } }), RULES);
      expect(item(checklist, "positioning")).toMatchObject({
        status: "missing",
        reason: "2 compétences sans résultat de positionnement : C2, C3.",
      });
      expect(item(computeChecklist(facts({ positioning: null }), RULES), "positioning").reason).toMatch(/^3 compétences sans résultat/);
    });

    it("needs the positioning date", () => {
      expect(item(computeChecklist(facts({ positionedAt: null }), RULES), "positioning")).toMatchObject({
        status: "missing",
        reason: "Date du positionnement non renseignée.",
      });
    });

    it("is missing when the référentiel has no competence", () => {
      expect(item(computeChecklist(facts({ blocs: [] }), RULES), "positioning").status).toBe("missing");
    });

    it("does not apply to the VAE route", () => {
      expect(item(computeChecklist(vaeFacts(), RULES), "positioning").status).toBe("not_applicable");
    });
  });

  describe("evidence", () => {
    it("requires an identity document on every route", () => {
      expect(requiredEvidenceKinds("FORMATION")).toEqual(["IDENTITY"]);
      expect(requiredEvidenceKinds("BLOCS")).toEqual(["IDENTITY"]);
      const checklist = computeChecklist(facts({ evidenceKinds: ["TUTOR_GRID"] }), RULES);
      expect(item(checklist, "evidence")).toMatchObject({ status: "missing", reason: "Pièce manquante : Pièce d'identité." });
    });

    it("requires the activity file (livret 2) on the VAE route", () => {
      expect(requiredEvidenceKinds("VAE")).toEqual(["IDENTITY", "VAE_ACTIVITY_FILE"]);
      const checklist = computeChecklist(vaeFacts({ evidenceKinds: [] }), RULES);
      expect(item(checklist, "evidence").reason).toBe(
        "Pièce manquante : Pièce d'identité, Dossier de validation VAE (livret 2).",
      );
    });

    it("counts the files present", () => {
      expect(item(computeChecklist(facts({ evidenceKinds: ["IDENTITY", "OTHER"] }), RULES), "evidence").reason).toBe("2 pièces déposées.");
    });
  });

  describe("company opinion", () => {
    const required = { ...RULES, companyOpinionRequired: true };

    it("is missing when the scheme requires it (CQPM) and none is recorded", () => {
      const checklist = computeChecklist(facts(), required);
      expect(checklist.complete).toBe(false);
      expect(item(checklist, "companyOpinion")).toMatchObject({
        status: "missing",
        reason: "Requis par le référentiel : avis de l'entreprise non saisi.",
      });
    });

    it("counts a favourable or an unfavourable opinion as given", () => {
      const at = "2025-02-01T00:00:00.000Z";
      expect(item(computeChecklist(facts({ companyOpinionFavourable: true, companyOpinionAt: at }), required), "companyOpinion")).toMatchObject({
        status: "ok",
        reason: "Avis favorable saisi.",
      });
      expect(item(computeChecklist(facts({ companyOpinionFavourable: false, companyOpinionAt: at }), required), "companyOpinion").status).toBe("ok");
      expect(item(computeChecklist(facts({ companyOpinionFavourable: true, companyOpinionAt: null }), required), "companyOpinion").status).toBe(
        "missing",
      );
    });

    it("is not required by other schemes nor on the VAE route", () => {
      expect(item(computeChecklist(facts(), RULES), "companyOpinion").status).toBe("not_applicable");
      expect(item(computeChecklist(vaeFacts(), required), "companyOpinion")).toMatchObject({
        status: "not_applicable",
        reason: "Non requis pour un parcours VAE.",
      });
    });
  });

  describe("VAE admissibility and experience", () => {
    it("is complete when admissible and the scheme sets no minimum", () => {
      const checklist = computeChecklist(vaeFacts(), RULES);
      expect(checklist.complete).toBe(true);
      expect(item(checklist, "vaeExperience").status).toBe("not_applicable");
    });

    it.each([
      [null, "Recevabilité pas encore prononcée par le secrétariat."],
      ["PENDING", "Recevabilité pas encore prononcée par le secrétariat."],
      ["NOT_ADMISSIBLE", "Demande déclarée non recevable : le dossier ne peut pas être présenté au jury."],
    ] as const)("is missing while the admissibility is %s", (admissibility, reason) => {
      expect(item(computeChecklist(vaeFacts({ vaeAdmissibility: admissibility }), RULES), "vaeAdmissibility")).toMatchObject({
        status: "missing",
        reason,
      });
    });

    it("checks the experience against the scheme's minimum", () => {
      const rules = { ...RULES, vaeMinimumExperienceMonths: 36 };
      expect(item(computeChecklist(vaeFacts({ vaeExperienceMonths: 36 }), rules), "vaeExperience").status).toBe("ok");
      expect(item(computeChecklist(vaeFacts({ vaeExperienceMonths: 12 }), rules), "vaeExperience")).toMatchObject({
        status: "missing",
        reason: "12 mois d'expérience déclarés, minimum requis 36 mois.",
      });
      expect(item(computeChecklist(vaeFacts({ vaeExperienceMonths: null }), rules), "vaeExperience").reason).toBe(
        "Durée d'expérience non renseignée (minimum 36 mois).",
      );
    });

    it("has no VAE items on the other routes", () => {
      const keys = computeChecklist(facts(), RULES).items.map((i) => i.key);
      expect(keys).not.toContain("vaeAdmissibility");
      expect(keys).not.toContain("vaeExperience");
    });
  });

  describe("conformity: the trainer", () => {
    const evaluatorSeat = { sessionTitle: "Commission de mars", sessionKind: "COMMISSION" as const, evaluates: true };
    const observerSeat = { sessionTitle: "Commission de mars", sessionKind: "COMMISSION" as const, evaluates: false };
    const jurySeat = { sessionTitle: "Jury de juin", sessionKind: "JURY" as const, evaluates: true };

    it("refuses a trainer evaluating the candidate when the scheme forbids it", () => {
      const strict = { ...RULES, evaluatorMustNotBeTrainer: true };
      const checklist = computeChecklist(facts({ trainerSeats: [evaluatorSeat] }), strict);
      expect(checklist.complete).toBe(false);
      expect(item(checklist, "trainerConflict")).toMatchObject({
        kind: "conformity",
        status: "missing",
        reason: "Conflit d'intérêts : Marie Membre, formateur du candidat, siège dans « Commission de mars ».",
      });
      expect(item(computeChecklist(facts({ trainerSeats: [observerSeat] }), strict), "trainerConflict").status).toBe("ok");
    });

    it("lets the trainer evaluate when the scheme allows it, but never sit on the jury", () => {
      expect(item(computeChecklist(facts({ trainerSeats: [evaluatorSeat] }), RULES), "trainerConflict").status).toBe("ok");
      expect(item(computeChecklist(facts({ trainerSeats: [jurySeat] }), RULES), "trainerConflict")).toMatchObject({
        status: "missing",
        reason: "Conflit d'intérêts : Marie Membre, formateur du candidat, siège dans « Jury de juin ».",
      });
    });

    it("cannot check a trainer outside Quorum or an unknown one, and does not block on it", () => {
      const external = computeChecklist(facts({ trainer: { kind: "external", name: "GRETA Lyon" } }), RULES);
      expect(item(external, "trainerConflict")).toMatchObject({ status: "unverifiable" });
      expect(item(external, "trainerConflict").reason).toContain("GRETA Lyon");
      expect(external.complete).toBe(true);
      expect(item(computeChecklist(facts({ trainer: { kind: "none" } }), RULES), "trainerConflict").status).toBe("unverifiable");
    });
  });

  it("lists every missing item, in order", () => {
    const checklist = computeChecklist(
      facts({ route: "BLOCS", identityGaps: ["sexe"], positioning: null, evidenceKinds: [] }),
      { ...RULES, companyOpinionRequired: true },
    );
    expect(checklist.missing.map((i) => i.key)).toEqual(["identity", "blocs", "positioning", "evidence", "companyOpinion"]);
  });
});
