/**
 * The jury's decision on one candidate, starting from the commission's outcome. Pure, no I/O.
 *
 * Per bloc or per competence (scheme setting), the jury follows the commission's outcome or overturns it
 * (« rattrapage » or the reverse), which needs a written reason; an outcome the commission left pending needs a
 * reason too. A required reason is a motive (./motive.ts: at least a few letters, never « . » or « - »). The overall decision must agree with the blocs acquired: total when all are, partial when some are
 * (where the scheme allows partial validation), none when none is; an ajournement (with its reason) decides nothing.
 */
import type { OutcomeStatus } from "./aggregation";
import { motiveProblem, MOTIVE_TOO_SHORT } from "./motive";
import { textRefusal } from "./safe-text";
import type { BlocRule, DecisionGranularity } from "./scheme";

export const JURY_PHASES = ["PRESENTATION", "DELIBERATION", "DECISION"] as const;
export type JuryPhase = (typeof JURY_PHASES)[number];
export const JURY_PHASE_LABELS: Record<JuryPhase, string> = {
  PRESENTATION: "Présentation du dossier",
  DELIBERATION: "Délibération",
  DECISION: "Décision",
};

/** Why the deliberation may not go from `from` to `to` (French), or null. Phases go forward one at a time, never back. */
export function juryPhaseRefusal(from: JuryPhase, to: JuryPhase, decided: boolean): string | null {
  if (decided) return "La décision est rendue pour ce candidat : la délibération est close.";
  const gap = JURY_PHASES.indexOf(to) - JURY_PHASES.indexOf(from);
  if (gap === 0) return null;
  if (gap < 0) return "On ne revient pas à une étape précédente de la délibération.";
  if (gap !== 1) return `Passez d'abord par l'étape « ${JURY_PHASE_LABELS[JURY_PHASES[JURY_PHASES.indexOf(from) + 1] ?? from]} ».`;
  return null;
}

export const OVERALL_DECISIONS = ["TOTAL", "PARTIAL", "NONE", "ADJOURNED"] as const;
export type OverallDecision = (typeof OVERALL_DECISIONS)[number];
export const OVERALL_DECISION_LABELS: Record<OverallDecision, string> = {
  TOTAL: "Délivrance totale",
  PARTIAL: "Délivrance partielle",
  NONE: "Non-délivrance",
  ADJOURNED: "Ajournement",
};

export type DecisionTarget = { id: string; code: string; commissionOutcome: OutcomeStatus };
export type BlocTargets = { id: string; code: string; commissionOutcome: OutcomeStatus; competences: DecisionTarget[] };

export type TargetChoice = { targetId: string; acquired: boolean; reason?: string | null };

export type DecisionInput = {
  granularity: DecisionGranularity;
  blocRule: BlocRule;
  partialAllowed: boolean;
  /** The targeted blocs with the commission's outcomes (bloc and competences). */
  blocs: readonly BlocTargets[];
  overall: OverallDecision;
  adjournmentReason?: string | null;
  /** One choice per bloc (granularity "bloc") or per competence ("competence"); ignored for an ajournement. */
  choices: readonly TargetChoice[];
};

export type DecidedItem = {
  target: "BLOC" | "COMPETENCE";
  targetId: string;
  code: string;
  commissionOutcome: OutcomeStatus;
  acquired: boolean;
  followed: boolean;
  reason: string | null;
};

export type DecisionCheck =
  | { ok: true; items: DecidedItem[]; acquiredBlocIds: string[]; expectedOverall: OverallDecision | null }
  | { ok: false; errors: Record<string, string>; expectedOverall: OverallDecision | null };

const MAX_REASON = 2000;

/**
 * A reason as typed, trimmed, or null when it holds nothing visible: spaces and invisible format characters (a
 * zero-width space U+200B, a word joiner, a BOM…) do not make a reason.
 */
export function visibleReason(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed.replace(/[\p{Cf}\p{Z}\s]/gu, "") === "" ? null : trimmed;
}

/**
 * How an overall decision taken without a vote on it came about, as the room, the minutes and the decision sheet
 * write it: « par consensus » when nothing was voted for the candidate; when blocs or competences were put to the
 * vote, the overall decision follows from their results (« au vu des votes ») — calling it a consensus would misstate
 * a split or a casting vote. `votesTaken`: the candidate's finished votes by hand or secret ballot.
 */
export function decisionWithoutOverallVote(votesTaken: number): string {
  return votesTaken > 0 ? "au vu des votes ci-dessus" : "par consensus";
}

/**
 * How the room, the minutes and the decision sheet say a decision revised on appeal was taken (method APPEAL): by
 * the jury that examined the appeal and upheld it — no vote, no consensus on a deliberation of the candidate.
 */
export const DECIDED_ON_APPEAL = "sur recours accueilli par le jury";

/** The decision's method as stored (DecisionMethod). */
export type DecisionMethodCode = "CONSENSUS" | "OPEN" | "SECRET" | "APPEAL";

export const TARGET_DECISION_VALUES = ["ACQUIRED", "NOT_ACQUIRED"] as const;

/**
 * The per-target choices of a decision form: `choice.<targetId>` = ACQUIRED | NOT_ACQUIRED, `reason.<targetId>` =
 * text. An unknown value, or a reason with control or bidirectional characters, is a field error (French), never
 * read as « not acquired ».
 */
export function decisionChoicesOf(fields: Iterable<readonly [string, string]>): { choices: TargetChoice[]; errors: Record<string, string> } {
  const entries = [...fields];
  const reasons = new Map(entries.filter(([k]) => k.startsWith("reason.")).map(([k, v]) => [k.slice("reason.".length), v]));
  const choices: TargetChoice[] = [];
  const errors: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (!key.startsWith("choice.")) continue;
    const targetId = key.slice("choice.".length);
    const reason = reasons.get(targetId) ?? "";
    if (!(TARGET_DECISION_VALUES as readonly string[]).includes(value)) {
      errors[`choices.${targetId}`] = "Choisissez « Acquis » ou « Non acquis ».";
    } else {
      const refusal = textRefusal(reason, { multiline: true });
      if (refusal) errors[`choices.${targetId}`] = refusal;
    }
    choices.push({ targetId, acquired: value === "ACQUIRED", reason });
  }
  return { choices, errors };
}

/** The overall decision the blocs acquired lead to. */
export function overallFromBlocs(acquired: number, total: number, partialAllowed: boolean): OverallDecision {
  if (total > 0 && acquired === total) return "TOTAL";
  if (acquired > 0 && partialAllowed) return "PARTIAL";
  return "NONE";
}

/** Whether a bloc is acquired from the jury's per-competence decisions (a weighted average needs every competence). */
export function blocAcquiredFromCompetences(rule: BlocRule, acquired: readonly boolean[]): boolean {
  if (acquired.length === 0) return false;
  const count = acquired.filter(Boolean).length;
  if (rule.rule === "minRatio") return (count / acquired.length) * 100 >= rule.ratio - 1e-9;
  return count === acquired.length;
}

/** The commission's outcomes prefilled as the jury's choices (everything followed), pending ones left out. */
export function followCommission(granularity: DecisionGranularity, blocs: readonly BlocTargets[]): TargetChoice[] {
  const targets = granularity === "bloc" ? blocs : blocs.flatMap((b) => b.competences);
  return targets
    .filter((t) => t.commissionOutcome !== "pending")
    .map((t) => ({ targetId: t.id, acquired: t.commissionOutcome === "acquired" }));
}

export function checkDecision(input: DecisionInput): DecisionCheck {
  const errors: Record<string, string> = {};
  if (input.overall === "ADJOURNED") {
    const reason = visibleReason(input.adjournmentReason) ?? "";
    if (!reason) errors.adjournmentReason = "Motivez l'ajournement.";
    else if (motiveProblem(reason)) errors.adjournmentReason = `Motivez l'ajournement : ${MOTIVE_TOO_SHORT}.`;
    else if (reason.length > MAX_REASON) errors.adjournmentReason = `Le motif ne peut dépasser ${MAX_REASON} caractères.`;
    return Object.keys(errors).length > 0
      ? { ok: false, errors, expectedOverall: null }
      : { ok: true, items: [], acquiredBlocIds: [], expectedOverall: null };
  }

  const byId = new Map(input.choices.map((c) => [c.targetId, c]));
  const known = new Set<string>();
  const items: DecidedItem[] = [];
  const decide = (target: DecisionTarget, kind: "BLOC" | "COMPETENCE"): boolean | null => {
    known.add(target.id);
    const choice = byId.get(target.id);
    const field = `choices.${target.id}`;
    if (!choice) {
      errors[field] = `Décision manquante pour ${target.code}.`;
      return null;
    }
    const reason = visibleReason(choice.reason);
    const followed =
      target.commissionOutcome !== "pending" && choice.acquired === (target.commissionOutcome === "acquired");
    if (!followed && motiveProblem(reason)) {
      const ask =
        target.commissionOutcome === "pending"
          ? `${target.code} : la commission n'a pas conclu, motivez la décision du jury`
          : `${target.code} : motivez la décision qui s'écarte de celle de la commission`;
      errors[field] = reason ? `${ask} — ${MOTIVE_TOO_SHORT}.` : `${ask}.`;
    } else if (reason && reason.length > MAX_REASON) {
      errors[field] = `${target.code} : le motif ne peut dépasser ${MAX_REASON} caractères.`;
    }
    items.push({
      target: kind,
      targetId: target.id,
      code: target.code,
      commissionOutcome: target.commissionOutcome,
      acquired: choice.acquired,
      followed,
      reason,
    });
    return choice.acquired;
  };

  const acquiredBlocIds: string[] = [];
  for (const bloc of input.blocs) {
    let acquired: boolean | null;
    if (input.granularity === "bloc") acquired = decide(bloc, "BLOC");
    else {
      const results = bloc.competences.map((c) => decide(c, "COMPETENCE"));
      acquired = results.some((r) => r === null)
        ? null
        : blocAcquiredFromCompetences(input.blocRule, results as boolean[]);
    }
    if (acquired) acquiredBlocIds.push(bloc.id);
  }
  for (const choice of input.choices) {
    if (!known.has(choice.targetId)) errors[`choices.${choice.targetId}`] = "Bloc ou compétence hors du dossier.";
  }

  const complete = !Object.keys(errors).some((k) => k.startsWith("choices."));
  const expectedOverall = complete
    ? overallFromBlocs(acquiredBlocIds.length, input.blocs.length, input.partialAllowed)
    : null;
  if (input.blocs.length === 0) errors.overall = "Le dossier ne vise aucun bloc : rien à décider.";
  else if (expectedOverall !== null && input.overall !== expectedOverall) {
    errors.overall =
      input.overall === "PARTIAL" && !input.partialAllowed
        ? "Le règlement ne prévoit pas de validation partielle."
        : `Les décisions par ${input.granularity === "bloc" ? "bloc" : "compétence"} mènent à « ${OVERALL_DECISION_LABELS[expectedOverall]} », pas à « ${OVERALL_DECISION_LABELS[input.overall]} ».`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, expectedOverall };
  return { ok: true, items, acquiredBlocIds, expectedOverall };
}

/** The dossier status after the decision: decided, or back on its route for an ajournement. */
export function dossierStatusAfterDecision(
  overall: OverallDecision,
  route: "FORMATION" | "VAE" | "BLOCS",
): "DECIDED" | "IN_EVALUATION" | "IN_TRAINING" {
  if (overall !== "ADJOURNED") return "DECIDED";
  return route === "VAE" ? "IN_EVALUATION" : "IN_TRAINING";
}

/** Name of the Yjs document of the préconisations for one candidate of a jury session. */
export function preconisationsDocumentName(sessionId: string, agendaItemId: string): string {
  return `preconisations:${sessionId}:${agendaItemId}`;
}

/**
 * A decision sheet sent back by a member's request for a change and not submitted again: open again after a first
 * round (app/signing's reopen starts a new round). Its préconisations are written again meanwhile.
 */
export function sheetSentBack(sheet: { status: "OPEN" | "SIGNING" | "SIGNED"; round: number } | null | undefined): boolean {
  return sheet?.status === "OPEN" && sheet.round > 0;
}
