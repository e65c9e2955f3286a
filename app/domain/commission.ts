/**
 * The live evaluation commission: phases and timers of a candidate's passage, the consolidated result proposed
 * from each member's own assessment, and what is still missing before the grid can be signed. Pure, no I/O.
 */
import { z } from "zod";
import {
  certificationOutcome,
  competenceOutcome,
  type BlocSpec,
  type CertificationOutcome,
  type OutcomeStatus,
} from "./aggregation";
import { decodeResult, encodeResult, type CompetenceSpec } from "./scales";
import { isCommentRequired, type Scheme } from "./scheme";

/* ------------------------------------------------------------------------------------------------ phases */

export const PHASES = ["ACCUEIL", "PRESENTATION", "QUESTIONS", "EVALUATION", "SIGNATURE"] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, string> = {
  ACCUEIL: "Accueil",
  PRESENTATION: "Présentation",
  QUESTIONS: "Questions",
  EVALUATION: "Évaluation",
  SIGNATURE: "Signature",
};

/** Minutes per phase, set per session (Session.phaseDurations); these are the defaults. */
export const phaseDurationsSchema = z.object({
  ACCUEIL: z.number().int().min(1).max(240).default(5),
  PRESENTATION: z.number().int().min(1).max(240).default(20),
  QUESTIONS: z.number().int().min(1).max(240).default(20),
  EVALUATION: z.number().int().min(1).max(240).default(15),
  SIGNATURE: z.number().int().min(1).max(240).default(10),
});
export type PhaseDurations = z.output<typeof phaseDurationsSchema>;

export function parsePhaseDurations(value: unknown): PhaseDurations {
  const parsed = phaseDurationsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : phaseDurationsSchema.parse({});
}

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

export function nextPhase(phase: Phase): Phase | null {
  return PHASES[phaseIndex(phase) + 1] ?? null;
}

/**
 * A phase change the president may make: any phase before signature, forward or back. Entering the signature
 * phase goes through `openSigning` (it seals the grid); leaving it goes through `reopenGrid`.
 */
export function phaseChangeRefusal(from: Phase, to: Phase): string | null {
  if (from === to) return `La phase « ${PHASE_LABELS[to]} » est déjà en cours.`;
  if (to === "SIGNATURE") return "Le passage à la signature se fait par « Ouvrir la signature ».";
  if (from === "SIGNATURE") return "La grille est en signature : rouvrez-la pour revenir à une phase précédente.";
  return null;
}

export type PhaseTimer = { durationSec: number; elapsedSec: number; remainingSec: number; overtime: boolean };

export function phaseTimer(phase: Phase, startedAt: Date | null, durations: PhaseDurations, now: Date): PhaseTimer {
  const durationSec = durations[phase] * 60;
  const elapsedSec = startedAt ? Math.max(0, Math.floor((now.getTime() - startedAt.getTime()) / 1000)) : 0;
  return {
    durationSec,
    elapsedSec,
    remainingSec: Math.max(0, durationSec - elapsedSec),
    overtime: elapsedSec > durationSec,
  };
}

/** « 04:05 » or « -01:10 » (overtime). */
export function formatClock(seconds: number): string {
  const sign = seconds < 0 ? "-" : "";
  const abs = Math.abs(seconds);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/* ------------------------------------------------------------------------------------------------ consolidation */

export type MemberAssessment = { userId: string; raw: string | null | undefined };

export type Consolidation = {
  /** The value proposed for the commission's result (encoded as in the grid), or null when none can be. */
  proposal: string | null;
  /** Members disagree on whether the competence is acquired: the commission (or the jury) must re-examine. */
  divergent: boolean;
  /** Members who gave a result. */
  assessed: number;
  statuses: Record<string, OutcomeStatus>;
};

/**
 * Proposes the commission's result from each member's own assessment (the branch rule « both positive → acquis;
 * both negative → non acquis; divergent → re-examined »): when every member who assessed agrees on the outcome,
 * the most frequent value among them (numeric scales: their average; criteria: those every member ticked) is
 * proposed; when outcomes differ there is no proposal and the divergence is flagged.
 */
export function consolidate(scheme: Scheme, competence: CompetenceSpec, assessments: MemberAssessment[]): Consolidation {
  const statuses: Record<string, OutcomeStatus> = {};
  const values: { userId: string; raw: string; status: OutcomeStatus }[] = [];
  for (const a of assessments) {
    const value = decodeResult(scheme.scale, a.raw);
    if (!value) continue;
    let status: OutcomeStatus;
    try {
      status = competenceOutcome(scheme, competence, value).status;
    } catch {
      continue; // a value that does not fit the scale is ignored (the grid shows it as invalid)
    }
    statuses[a.userId] = status;
    values.push({ userId: a.userId, raw: encodeResult(value), status });
  }
  if (values.length === 0) return { proposal: null, divergent: false, assessed: 0, statuses };
  const divergent = new Set(values.map((v) => v.status)).size > 1;
  if (divergent) return { proposal: null, divergent, assessed: values.length, statuses };

  let proposal: string;
  const scale = scheme.scale;
  if (scale.kind === "marks" || scale.kind === "percentage") {
    const scores = values.map((v) => Number(v.raw));
    proposal = String(Math.round((scores.reduce((s, n) => s + n, 0) / scores.length) * 100) / 100);
  } else if (scale.kind === "criteriaRatio") {
    const sets = values.map((v) => {
      const result = decodeResult(scale, v.raw);
      return new Set(result && "criteriaMet" in result ? result.criteriaMet : []);
    });
    const common = [...sets[0]].filter((id) => sets.every((s) => s.has(id)));
    proposal = encodeResult({ criteriaMet: common });
    // The intersection may fall below the ratio although every member found it acquired: keep it honest.
    const status = competenceOutcome(scheme, competence, { criteriaMet: common }).status;
    if (status !== values[0].status) return { proposal: null, divergent: true, assessed: values.length, statuses };
  } else {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v.raw, (counts.get(v.raw) ?? 0) + 1);
    // Most frequent; ties go to the most cautious (the scale's later, i.e. lower, level).
    const order = scale.levels.map((l) => l.value);
    proposal = [...counts.entries()].sort((a, b) => b[1] - a[1] || order.indexOf(b[0]) - order.indexOf(a[0]))[0][0];
  }
  return { proposal, divergent: false, assessed: values.length, statuses };
}

/* ------------------------------------------------------------------------------------------------ signing */

export type GridCompetence = CompetenceSpec & { statement: string };

export type SigningCheckInput = {
  scheme: Scheme;
  competences: readonly GridCompetence[];
  /** The commission's consolidated values, by competence id. */
  results: Readonly<Record<string, string | undefined>>;
  comments: Readonly<Record<string, string | undefined>>;
  synthesis: string;
  /** Members who score and sign, with whether they declared the absence of conflict of interest. */
  signers: ReadonlyArray<{ userId: string; displayName: string; declared: boolean }>;
};

/** Everything still missing before the grid can go to signature, in French; empty when ready. */
export function missingForSignature(input: SigningCheckInput): string[] {
  const missing: string[] = [];
  for (const signer of input.signers) {
    if (!signer.declared) missing.push(`${signer.displayName} n'a pas déclaré l'absence de conflit d'intérêts.`);
  }
  for (const c of input.competences) {
    const raw = input.results[c.id];
    const value = decodeResult(input.scheme.scale, raw);
    if (!value) {
      missing.push(`${c.code} : résultat de la commission manquant.`);
      continue;
    }
    try {
      competenceOutcome(input.scheme, c, value);
    } catch {
      missing.push(`${c.code} : résultat invalide pour l'échelle de la certification.`);
      continue;
    }
    if (isCommentRequired(input.scheme, raw, c) && !(input.comments[c.id] ?? "").trim()) {
      missing.push(`${c.code} : commentaire obligatoire manquant (compétence non acquise en pleine autonomie).`);
    }
  }
  if (!input.synthesis.trim()) missing.push("La synthèse de la commission est vide.");
  return missing;
}

/**
 * Why a commission grid in signature may not be reopened (which voids its signatures and lets it be scored again), in
 * French, or null: once a jury has decided for the candidate on it, the decision rests on that grid; once the
 * commission is closed, nobody sits to score it again — its signatures are still collected (or an empêchement
 * recorded), but it is no longer rescored. The room says it instead of « Rouvrir »; the command adds that nothing was voided.
 */
export function gridReopenRefusal(facts: { juryDecided: boolean; sessionClosed: boolean }): string | null {
  if (facts.juryDecided) {
    return "Le jury a déjà rendu sa décision pour ce candidat sur la base de cette grille : elle ne peut plus être rouverte.";
  }
  if (facts.sessionClosed) {
    return "La commission est close : sa grille ne peut plus être rouverte, seulement signée.";
  }
  return null;
}

/* ------------------------------------------------------------------------------------------------ outcome */

/**
 * The outcome the scheme's aggregation gives for the commission's current results (per competence, per bloc and
 * for the certification). Values that do not fit the scale count as not entered yet.
 */
export function gridOutcome(
  scheme: Scheme,
  blocs: readonly BlocSpec[],
  rawResults: Readonly<Record<string, string | undefined>>,
): CertificationOutcome {
  const results: Record<string, ReturnType<typeof decodeResult>> = {};
  for (const bloc of blocs) {
    for (const c of bloc.competences) {
      const value = decodeResult(scheme.scale, rawResults[c.id]);
      if (!value) continue;
      try {
        competenceOutcome(scheme, c, value);
        results[c.id] = value;
      } catch {
        // invalid for the scale: left out (pending)
      }
    }
  }
  return certificationOutcome(scheme, blocs, results);
}

/**
 * The newer of two states of one passage. Every change bumps the passage's version in its own transaction, and a
 * state is read after its change commits; but two requests' broadcasts can arrive in either order — a state read
 * just before a concurrent signature may be sent just after it. The higher version wins; at equal versions the
 * later read (`serverNow`).
 */
export function newerSlotState<T extends { version: number; serverNow: string }>(current: T, incoming: T): T {
  if (incoming.version !== current.version) return incoming.version > current.version ? incoming : current;
  return Date.parse(incoming.serverNow) >= Date.parse(current.serverNow) ? incoming : current;
}
