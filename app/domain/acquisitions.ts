/**
 * What a candidate has acquired of a certification across jury sessions. Pure, no I/O.
 *
 * Rules (issue 16):
 * - each acquired bloc/competence keeps the date of the decision that granted it and its validity end: N years from
 *   the decision (the scheme's `partialValidityYears`), or for life when that setting is null; for CléA the window
 *   runs from the évaluation préalable when its date is known;
 * - a total decision acquires the certification for life (the parchemin does not expire);
 * - cumulation: when the valid acquisitions cover every required bloc/competence, the delivery becomes total;
 * - an expired partial validation no longer counts; one that ends within 90 days is flagged `expiring`.
 */
import { partialValidityEnd } from "./scheme";
import { endOfParisDay } from "./paris-date";

export type AcquisitionTarget = "BLOC" | "COMPETENCE";
export type DecisionOverall = "TOTAL" | "PARTIAL" | "NONE" | "ADJOURNED";

export interface DecisionFact {
  decisionId: string;
  decidedAt: Date;
  overall: DecisionOverall;
  /** acquiredAt: from when the item counts when not the decision's date (a decision revised on appeal keeps the
   * contested decision's date for what the appeal did not change, app/domain/appeal.ts `acquiredSince`). */
  items: { target: AcquisitionTarget; targetId: string; code: string; acquired: boolean; acquiredAt?: Date }[];
}

export interface AcquisitionRules {
  partialValidityYears: number | null;
  /** CléA: the 5-year window runs from the évaluation préalable, when its date is known. */
  windowStart?: Date | null;
}

export type AcquisitionState = "valid" | "expiring" | "expired";

export interface Acquisition {
  target: AcquisitionTarget;
  targetId: string;
  code: string;
  decisionId: string;
  decidedAt: Date;
  /** Last valid day (UTC calendar date), or null for life. */
  validUntil: Date | null;
  state: AcquisitionState;
}

export interface AcquisitionSummary {
  /** One line per target: the acquisition that lasts longest (the latest one when equal). */
  acquisitions: Acquisition[];
  /** Required targets without a valid acquisition, in the order given. */
  missing: { target: AcquisitionTarget; targetId: string; code: string }[];
  /** "TOTAL" when a total decision exists or valid acquisitions cover every required target. */
  status: "TOTAL" | "PARTIAL" | "NONE";
  /** The decision that made the delivery total (the last one needed), if any. */
  completedBy: string | null;
  /** Acquisitions whose validity ends within the warning window (secretariat's warning). */
  expiringSoon: Acquisition[];
}

export const EXPIRY_WARNING_DAYS = 90;
const DAY = 86_400_000;

/** The last instant of a validity's last day (a calendar day at midnight UTC), in Paris as /verifier counts it. */
function endOfDay(date: Date): number {
  return endOfParisDay(date.toISOString().slice(0, 10)).getTime();
}

/** Validity end of something acquired by a decision of `decidedAt` under `rules` (null = for life). */
export function acquisitionValidityEnd(rules: AcquisitionRules, decidedAt: Date, overall: DecisionOverall): Date | null {
  if (overall === "TOTAL") return null;
  const start = rules.windowStart ?? decidedAt;
  return partialValidityEnd({ partialValidityYears: rules.partialValidityYears }, start);
}

/** State of an acquisition valid until `validUntil` on `on`. */
export function acquisitionState(validUntil: Date | null, on: Date): AcquisitionState {
  if (validUntil === null) return "valid";
  if (on.getTime() > endOfDay(validUntil)) return "expired";
  if (endOfDay(validUntil) - on.getTime() < EXPIRY_WARNING_DAYS * DAY) return "expiring";
  return "valid";
}

function lastsLonger(a: Acquisition, b: Acquisition): boolean {
  if (a.validUntil === null && b.validUntil !== null) return true;
  if (a.validUntil !== null && b.validUntil === null) return false;
  if (a.validUntil !== null && b.validUntil !== null && a.validUntil.getTime() !== b.validUntil.getTime()) {
    return a.validUntil.getTime() > b.validUntil.getTime();
  }
  return a.decidedAt.getTime() > b.decidedAt.getTime();
}

/**
 * Summarise decisions (any order) against the required targets (the blocs, or the competences, the certification
 * requires). Decisions after `on` are ignored.
 */
export function summariseAcquisitions(
  decisions: readonly DecisionFact[],
  required: readonly { target: AcquisitionTarget; targetId: string; code: string }[],
  rules: AcquisitionRules,
  on: Date,
): AcquisitionSummary {
  const ordered = decisions
    .filter((decision) => decision.decidedAt.getTime() <= on.getTime())
    .sort((a, b) => a.decidedAt.getTime() - b.decidedAt.getTime());
  const best = new Map<string, Acquisition>();
  let totalBy: string | null = null;
  let completedBy: string | null = null;
  const key = (target: AcquisitionTarget, targetId: string) => `${target}:${targetId}`;
  const covered = () =>
    required.length > 0 &&
    required.every((item) => {
      const acquisition = best.get(key(item.target, item.targetId));
      return acquisition !== undefined && acquisitionState(acquisition.validUntil, on) !== "expired";
    });

  for (const decision of ordered) {
    // An adjourned jury decides nothing; a "none" decision may still acknowledge acquired items (kept).
    if (decision.overall === "ADJOURNED") continue;
    for (const item of decision.items) {
      if (!item.acquired) continue;
      const since = item.acquiredAt ?? decision.decidedAt;
      const validUntil = acquisitionValidityEnd(rules, since, decision.overall);
      const candidate: Acquisition = {
        target: item.target,
        targetId: item.targetId,
        code: item.code,
        decisionId: decision.decisionId,
        decidedAt: since,
        validUntil,
        state: acquisitionState(validUntil, on),
      };
      const current = best.get(key(item.target, item.targetId));
      if (!current || lastsLonger(candidate, current)) best.set(key(item.target, item.targetId), candidate);
    }
    if (decision.overall === "TOTAL" && totalBy === null) totalBy = decision.decisionId;
    if (completedBy === null && covered()) completedBy = decision.decisionId;
  }

  const acquisitions = [...best.values()];
  const missing = required
    .filter((item) => {
      const acquisition = best.get(key(item.target, item.targetId));
      return !acquisition || acquisition.state === "expired";
    })
    .map(({ target, targetId, code }) => ({ target, targetId, code }));
  const total = totalBy !== null || (required.length > 0 && missing.length === 0);
  const anyValid = acquisitions.some((acquisition) => acquisition.state !== "expired");
  return {
    acquisitions,
    missing: total ? [] : missing,
    status: total ? "TOTAL" : anyValid ? "PARTIAL" : "NONE",
    completedBy: totalBy ?? (total ? completedBy : null),
    expiringSoon: total ? [] : acquisitions.filter((acquisition) => acquisition.state === "expiring"),
  };
}
