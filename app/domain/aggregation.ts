/**
 * How competence results roll up to a bloc outcome and to the certification outcome (délivrance totale, partielle
 * ou non délivrance), following the scheme's aggregation settings. Pure, no I/O.
 *
 * The result is the outcome the rules give; the jury still decides (it may « rattraper » a candidate, with a reason
 * in the minutes). An outcome is "pending" while a result it depends on is missing.
 */
import { assessResult, competenceWeight, type CompetenceSpec, type ResultValue } from "./scales";
import type { Scheme } from "./scheme";

export type OutcomeStatus = "acquired" | "notAcquired" | "pending";

export type CompetenceOutcome = {
  id: string;
  status: OutcomeStatus;
  /** Mark, percentage or criteria ratio (in %) when the scale has one. */
  score: number | null;
  weight: number;
};

export type BlocSpec = { id: string; competences: readonly CompetenceSpec[] };

type TreeCompetence = { id: string; code: string; criteria: ReadonlyArray<{ id: string; mandatory: boolean }> };

/** A competence's spec, from a référentiel tree read with any select (REFERENTIAL_GRID_SELECT or richer). */
export function competenceSpec(competence: TreeCompetence): CompetenceSpec {
  const { id, code, criteria } = competence;
  return { id, code, criteria: criteria.map((criterion) => ({ id: criterion.id, mandatory: criterion.mandatory })) };
}

/** The blocs' specs of such a tree: only what the outcome is computed from. */
export function blocSpecs(blocs: ReadonlyArray<{ id: string; competences: readonly TreeCompetence[] }>): BlocSpec[] {
  return blocs.map((bloc) => ({ id: bloc.id, competences: bloc.competences.map(competenceSpec) }));
}

export type BlocOutcome = {
  id: string;
  status: OutcomeStatus;
  /** Weighted average (numeric scales) or share of acquired competences in % (minRatio rule); else null. */
  score: number | null;
  competences: CompetenceOutcome[];
};

export type CertificationOutcomeKind = "total" | "partial" | "none" | "pending";

export type CertificationOutcome = {
  outcome: CertificationOutcomeKind;
  blocs: BlocOutcome[];
  /** Weighted average of all competences for numeric scales, else null (or while a result is missing). */
  finalScore: number | null;
  acquiredBlocIds: string[];
  /** Blocs not acquired (the attestation de blocs lists them as still to obtain). */
  missingBlocIds: string[];
};

export type Results = Readonly<Record<string, ResultValue | null | undefined>>;

/** Floating-point tolerance for « at least » comparisons (3 of 4 = 75 %, 12 = 12.000000001). */
const EPSILON = 1e-9;
const round2 = (n: number) => Math.round(n * 100) / 100;

export function competenceOutcome(
  scheme: Scheme,
  competence: CompetenceSpec,
  result: ResultValue | null | undefined,
): CompetenceOutcome {
  const weight = competenceWeight(scheme.scale, competence);
  if (result == null) return { id: competence.id, status: "pending", score: null, weight };
  const { positive, score } = assessResult(scheme.scale, competence, result);
  return { id: competence.id, status: positive ? "acquired" : "notAcquired", score, weight };
}

/** Weighted average of scored outcomes; an all-zero weighting falls back to the plain average. */
function weightedAverage(outcomes: readonly CompetenceOutcome[]): number {
  const scored = outcomes.map((o) => {
    if (o.score === null) throw new Error("weighted average of a scale without scores");
    return { score: o.score, weight: o.weight };
  });
  const totalWeight = scored.reduce((sum, o) => sum + o.weight, 0);
  if (totalWeight === 0) return scored.reduce((sum, o) => sum + o.score, 0) / scored.length;
  return scored.reduce((sum, o) => sum + o.score * o.weight, 0) / totalWeight;
}

export function blocOutcome(scheme: Scheme, bloc: BlocSpec, results: Results): BlocOutcome {
  const competences = bloc.competences.map((c) => competenceOutcome(scheme, c, results[c.id]));
  if (competences.length === 0 || competences.some((c) => c.status === "pending")) {
    return { id: bloc.id, status: "pending", score: null, competences };
  }
  const acquired = competences.filter((c) => c.status === "acquired").length;
  const rule = scheme.aggregation.bloc;
  switch (rule.rule) {
    case "allCompetences":
      return { id: bloc.id, status: acquired === competences.length ? "acquired" : "notAcquired", score: null, competences };
    case "minRatio": {
      const share = (acquired / competences.length) * 100;
      return {
        id: bloc.id,
        status: share + EPSILON >= rule.ratio ? "acquired" : "notAcquired",
        score: round2(share),
        competences,
      };
    }
    case "weightedAverage": {
      const average = weightedAverage(competences);
      const everyPasses = !rule.everyCompetenceMustPass || acquired === competences.length;
      return {
        id: bloc.id,
        status: average + EPSILON >= rule.passMark && everyPasses ? "acquired" : "notAcquired",
        score: round2(average),
        competences,
      };
    }
  }
}

export function certificationOutcome(scheme: Scheme, blocs: readonly BlocSpec[], results: Results): CertificationOutcome {
  const outcomes = blocs.map((b) => blocOutcome(scheme, b, results));
  const acquiredBlocIds = outcomes.filter((b) => b.status === "acquired").map((b) => b.id);
  const missingBlocIds = outcomes.filter((b) => b.status !== "acquired").map((b) => b.id);
  if (outcomes.length === 0 || outcomes.some((b) => b.status === "pending")) {
    return { outcome: "pending", blocs: outcomes, finalScore: null, acquiredBlocIds, missingBlocIds };
  }
  const numeric = scheme.scale.kind === "marks" || scheme.scale.kind === "percentage";
  const rawFinal = numeric ? weightedAverage(outcomes.flatMap((b) => b.competences)) : null;
  const { finalPassMark, partialAllowed } = scheme.aggregation;
  const finalOk = finalPassMark === null || (rawFinal !== null && rawFinal + EPSILON >= finalPassMark);
  const finalScore = rawFinal === null ? null : round2(rawFinal);
  let outcome: CertificationOutcomeKind;
  if (acquiredBlocIds.length === outcomes.length && finalOk) outcome = "total";
  else if (partialAllowed && acquiredBlocIds.length > 0) outcome = "partial";
  else outcome = "none";
  return { outcome, blocs: outcomes, finalScore, acquiredBlocIds, missingBlocIds };
}

export const OUTCOME_LABELS: Record<CertificationOutcomeKind, string> = {
  total: "Délivrance totale",
  partial: "Délivrance partielle (blocs acquis)",
  none: "Non délivrance",
  pending: "En attente de résultats",
};

export const STATUS_LABELS: Record<OutcomeStatus, string> = {
  acquired: "Acquis",
  notAcquired: "Non acquis",
  pending: "Non évalué",
};
