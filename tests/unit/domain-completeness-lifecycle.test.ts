import { describe, expect, it } from "vitest";
import {
  computeChecklist,
  DOSSIER_STATUS_LABELS,
  DOSSIER_STATUSES,
  DOSSIER_TRANSITIONS,
  isDossierClosed,
  isSystemTransition,
  manualTransitions,
  transitionRefusal,
  type CompletenessRules,
  type DossierFacts,
  type DossierRoute,
} from "~/domain/completeness";

const RULES: CompletenessRules = { companyOpinionRequired: false, vaeMinimumExperienceMonths: null, evaluatorMustNotBeTrainer: false };

function dossier(route: DossierRoute, overrides: Partial<DossierFacts> = {}) {
  const facts: DossierFacts = {
    route,
    identityGaps: [],
    blocs: [{ id: "b1", code: "BC01", competences: [{ id: "c1", code: "C1" }] }],
    targetedBlocIds: route === "BLOCS" ? ["b1"] : [],
    positioning: route === "VAE" ? null : { c1: "ACQUIRED" },
    positionedAt: route === "VAE" ? null : "2025-01-01T00:00:00.000Z",
    evidenceKinds: route === "VAE" ? ["IDENTITY", "VAE_ACTIVITY_FILE"] : ["IDENTITY"],
    companyOpinionFavourable: null,
    companyOpinionAt: null,
    vaeExperienceMonths: route === "VAE" ? 24 : null,
    vaeAdmissibility: route === "VAE" ? "ADMISSIBLE" : null,
    trainer: { kind: "none" },
    trainerSeats: [],
    ...overrides,
  };
  return { route, checklist: computeChecklist(facts, RULES) };
}

describe("dossier lifecycle", () => {
  it("has a French label for every status", () => {
    for (const status of DOSSIER_STATUSES) expect(DOSSIER_STATUS_LABELS[status]).toMatch(/\S/);
  });

  it("ends at DECIDED and WITHDRAWN", () => {
    expect(DOSSIER_TRANSITIONS.DECIDED).toEqual([]);
    expect(DOSSIER_TRANSITIONS.WITHDRAWN).toEqual([]);
    expect(DOSSIER_STATUSES.filter(isDossierClosed)).toEqual(["DECIDED", "WITHDRAWN"]);
  });

  it("lets every open status but the agenda be withdrawn", () => {
    for (const status of DOSSIER_STATUSES) {
      const canWithdraw = DOSSIER_TRANSITIONS[status].includes("WITHDRAWN");
      expect(canWithdraw).toBe(!isDossierClosed(status) && status !== "ON_AGENDA");
    }
  });

  it("refuses a change that is not in the lifecycle, naming both statuses", () => {
    expect(transitionRefusal("DRAFT", "COMPLETE", dossier("FORMATION"))).toBe("Passage de « Brouillon » à « Complet » non autorisé.");
    expect(transitionRefusal("DECIDED", "DRAFT", dossier("FORMATION"))).toMatch(/non autorisé/);
    expect(transitionRefusal("WITHDRAWN", "REGISTERED", dossier("FORMATION"))).toMatch(/non autorisé/);
  });

  it("registers only a dossier whose identity is complete (and with a bloc on the blocs route)", () => {
    expect(transitionRefusal("DRAFT", "REGISTERED", dossier("FORMATION"))).toBeNull();
    expect(transitionRefusal("DRAFT", "REGISTERED", dossier("FORMATION", { identityGaps: ["sexe"] }))).toBe(
      "Inscription impossible — Identité complète (Caisse des Dépôts) : À compléter sur la fiche du candidat : sexe.",
    );
    expect(transitionRefusal("DRAFT", "REGISTERED", dossier("BLOCS", { targetedBlocIds: [] }))).toMatch(/^Inscription impossible — Blocs visés/);
    // Going back to REGISTERED from POSITIONED checks nothing.
    expect(transitionRefusal("POSITIONED", "REGISTERED", dossier("FORMATION", { identityGaps: ["sexe"] }))).toBeNull();
  });

  it("positions only when every competence in scope has a result", () => {
    expect(transitionRefusal("REGISTERED", "POSITIONED", dossier("FORMATION"))).toBeNull();
    expect(transitionRefusal("REGISTERED", "POSITIONED", dossier("FORMATION", { positioning: {} }))).toMatch(
      /^Positionnement incomplet : 1 compétence sans résultat/,
    );
  });

  it("keeps the VAE route out of positioning and training", () => {
    expect(transitionRefusal("REGISTERED", "POSITIONED", dossier("VAE"))).toMatch(/VAE n'a pas de positionnement/);
    expect(transitionRefusal("POSITIONED", "IN_TRAINING", dossier("VAE"))).toBe("Un parcours VAE ne comporte pas de formation.");
  });

  it("sends a VAE dossier to evaluation only once admissible with enough experience", () => {
    expect(transitionRefusal("REGISTERED", "IN_EVALUATION", dossier("VAE"))).toBeNull();
    expect(transitionRefusal("REGISTERED", "IN_EVALUATION", dossier("VAE", { vaeAdmissibility: "PENDING" }))).toMatch(
      /^Évaluation impossible — Recevabilité VAE/,
    );
  });

  it("requires positioning before evaluation on the other routes", () => {
    expect(transitionRefusal("REGISTERED", "IN_EVALUATION", dossier("FORMATION"))).toBe("Positionnez d'abord le candidat.");
    expect(transitionRefusal("POSITIONED", "IN_EVALUATION", dossier("FORMATION"))).toBeNull();
    expect(transitionRefusal("IN_TRAINING", "IN_EVALUATION", dossier("BLOCS"))).toBeNull();
  });

  it("declares a dossier complete (and puts it on an agenda) only when the checklist is", () => {
    expect(transitionRefusal("IN_EVALUATION", "COMPLETE", dossier("FORMATION"))).toBeNull();
    expect(transitionRefusal("COMPLETE", "ON_AGENDA", dossier("FORMATION"))).toBeNull();
    const incomplete = dossier("FORMATION", { evidenceKinds: [], identityGaps: ["sexe"] });
    expect(transitionRefusal("IN_EVALUATION", "COMPLETE", incomplete)).toBe(
      "Dossier incomplet — Identité complète (Caisse des Dépôts) : À compléter sur la fiche du candidat : sexe. (et 1 autre point)",
    );
    expect(transitionRefusal("COMPLETE", "ON_AGENDA", incomplete)).toMatch(/^Dossier incomplet/);
  });

  it("leaves the agenda and the decision to the jury planning", () => {
    expect(isSystemTransition("COMPLETE", "ON_AGENDA")).toBe(true);
    expect(isSystemTransition("ON_AGENDA", "DECIDED")).toBe(true);
    expect(isSystemTransition("ON_AGENDA", "COMPLETE")).toBe(true);
    expect(isSystemTransition("COMPLETE", "IN_EVALUATION")).toBe(false);
    expect(manualTransitions("ON_AGENDA", dossier("FORMATION"))).toEqual([]);
    expect(manualTransitions("COMPLETE", dossier("FORMATION")).map((t) => t.to)).toEqual(["IN_EVALUATION", "WITHDRAWN"]);
  });

  it("offers each route its own next steps, with the reason when one is not possible yet", () => {
    expect(manualTransitions("REGISTERED", dossier("FORMATION")).map((t) => t.to)).toEqual(["POSITIONED", "DRAFT", "WITHDRAWN"]);
    expect(manualTransitions("REGISTERED", dossier("VAE")).map((t) => t.to)).toEqual(["IN_EVALUATION", "DRAFT", "WITHDRAWN"]);
    const pending = manualTransitions("REGISTERED", dossier("VAE", { vaeAdmissibility: "PENDING" }));
    expect(pending[0].refusal).toMatch(/^Évaluation impossible/);
    expect(pending[1].refusal).toBeNull();
    expect(manualTransitions("DECIDED", dossier("FORMATION"))).toEqual([]);
  });
});
