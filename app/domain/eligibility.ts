/**
 * Who may sit in a session: habilitations valid on the session date, conflicts of interest (a candidate's
 * trainer never evaluates nor judges that candidate), seat uniqueness and the jury's paritary composition.
 * Pure, no I/O; every message is the French text shown to the secretariat.
 */
import { canScore, SEAT_LABELS, type SeatRole } from "./access";
import { COLLEGE_NAMES, type College } from "./college";
import { parisDateKey, utcDateKey } from "./planning";
import { formatLongDay } from "./paris-date";

export type { College } from "./college";
export type SessionKind = "COMMISSION" | "JURY";

/* ------------------------------------------------------------------ habilitations */

/** Dates are date-only values stored at midnight UTC; both ends are inclusive. */
export type HabilitationPeriod = { validFrom: Date; validUntil: Date };

export type HabilitationState =
  | { kind: "valid"; validUntil: string }
  | { kind: "missing" }
  | { kind: "expired"; validUntil: string }
  | { kind: "notYetValid"; validFrom: string };

/** Seats that need a habilitation for the session's certification: the ones that evaluate, judge and sign. */
export function seatRequiresHabilitation(role: SeatRole): boolean {
  return canScore(role);
}

/** The state of a person's habilitation for the calendar day `day` ("YYYY-MM-DD"). */
export function habilitationStateOn(periods: readonly HabilitationPeriod[], day: string): HabilitationState {
  let covering: string | null = null;
  let lastExpired: string | null = null;
  let nextStart: string | null = null;
  for (const p of periods) {
    const from = utcDateKey(p.validFrom);
    const until = utcDateKey(p.validUntil);
    if (from > until) continue; // inverted period: never valid
    if (from <= day && day <= until) {
      if (!covering || until > covering) covering = until;
    } else if (until < day) {
      if (!lastExpired || until > lastExpired) lastExpired = until;
    } else if (!nextStart || from < nextStart) {
      nextStart = from;
    }
  }
  if (covering) return { kind: "valid", validUntil: covering };
  if (nextStart) return { kind: "notYetValid", validFrom: nextStart };
  if (lastExpired) return { kind: "expired", validUntil: lastExpired };
  return { kind: "missing" };
}

/** The habilitation's state on the Paris calendar day of a session starting at `sessionStartsAt`. */
export function habilitationStateForSession(
  periods: readonly HabilitationPeriod[],
  sessionStartsAt: Date,
): HabilitationState {
  return habilitationStateOn(periods, parisDateKey(sessionStartsAt));
}

export function habilitationRefusal(
  personName: string,
  certificationTitle: string,
  state: HabilitationState,
): string | null {
  switch (state.kind) {
    case "valid":
      return null;
    case "expired":
      return `Habilitation de ${personName} expirée le ${formatLongDay(state.validUntil)} : impossible de faire siéger ce membre.`;
    case "notYetValid":
      return `Habilitation de ${personName} valable seulement à partir du ${formatLongDay(state.validFrom)} : impossible de faire siéger ce membre.`;
    case "missing":
      return `${personName} n'a pas d'habilitation pour « ${certificationTitle} » : impossible de faire siéger ce membre.`;
  }
}

/* ------------------------------------------------------------------ conflicts of interest */

export type CandidateRef = { name: string; trainerId: string | null };
export type PersonRef = { userId: string; displayName: string };

export function trainerConflictMessage(personName: string, candidateName: string): string {
  return `Conflit d'intérêts : ${personName} a formé ${candidateName} et ne peut ni évaluer ni juger sa candidature.`;
}

/**
 * Whether a trainer may not hold `role` in a session where a trainee passes. A seat that evaluates or judges is
 * always refused; when the scheme says the evaluator must never be the trainer (CléA), any seat is refused.
 */
export function trainerBarredFromSeat(role: SeatRole, evaluatorMustNotBeTrainer: boolean): boolean {
  return canScore(role) || evaluatorMustNotBeTrainer;
}

/** Refusals for seating `person` in `role` given the session's candidates (slots or agenda). */
export function seatConflicts(
  person: PersonRef,
  role: SeatRole,
  candidates: readonly CandidateRef[],
  evaluatorMustNotBeTrainer: boolean,
): string[] {
  if (!trainerBarredFromSeat(role, evaluatorMustNotBeTrainer)) return [];
  return candidates
    .filter((c) => c.trainerId !== null && c.trainerId === person.userId)
    .map((c) => trainerConflictMessage(person.displayName, c.name));
}

/** Refusals for putting `candidate` before a session whose members are `members` (slot or agenda item). */
export function candidateConflicts(
  candidate: CandidateRef,
  members: readonly (PersonRef & { role: SeatRole })[],
  evaluatorMustNotBeTrainer: boolean,
): string[] {
  if (!candidate.trainerId) return [];
  return members
    .filter((m) => m.userId === candidate.trainerId && trainerBarredFromSeat(m.role, evaluatorMustNotBeTrainer))
    .map((m) => trainerConflictMessage(m.displayName, candidate.name));
}

/* ------------------------------------------------------------------ seats */

export type Seat = PersonRef & { role: SeatRole; college: College | null };

/** Seats held by one person only. */
const UNIQUE_SEATS: ReadonlySet<SeatRole> = new Set(["PRESIDENT", "VICE_PRESIDENT", "SECRETARY"]);

/**
 * Structural refusals for a new seat (habilitation and conflicts are checked separately): one seat per person,
 * one président / vice-président / secrétaire, and, in a jury, a college for every seat that judges.
 */
export function seatStructureRefusals(
  kind: SessionKind,
  seat: Seat,
  existing: readonly Seat[],
): string[] {
  const errors: string[] = [];
  if (existing.some((s) => s.userId === seat.userId)) {
    errors.push(`${seat.displayName} siège déjà dans cette session.`);
  }
  if (UNIQUE_SEATS.has(seat.role)) {
    const holder = existing.find((s) => s.role === seat.role && s.userId !== seat.userId);
    if (holder) errors.push(`Le siège « ${SEAT_LABELS[seat.role]} » est déjà occupé par ${holder.displayName}.`);
  }
  if (kind === "JURY" && canScore(seat.role) && !seat.college) {
    errors.push("Indiquez le collège (employeurs ou salariés) de ce membre du jury.");
  }
  return errors;
}

/* ------------------------------------------------------------------ composition */

/** Composition rules of a jury (per scheme). */
export type JuryCompositionRules = {
  /** Voting members required in each college. */
  minPerCollege: number;
  /** Voting members required in total. */
  minTotal: number;
};

export const DEFAULT_JURY_COMPOSITION: JuryCompositionRules = { minPerCollege: 1, minTotal: 2 };

export type CompositionReport = { errors: string[]; warnings: string[] };

/**
 * Whether the seated members make a valid panel. Errors block the convocations; warnings are shown.
 * Jury: at least `minPerCollege` voting members in each college and `minTotal` in all, a president; president and
 * vice-president from opposite colleges (warning). Commission: at least one evaluator; a president (warning).
 */
export function checkComposition(
  kind: SessionKind,
  seats: readonly Seat[],
  rules: JuryCompositionRules = DEFAULT_JURY_COMPOSITION,
): CompositionReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const voting = seats.filter((s) => canScore(s.role));
  const president = seats.find((s) => s.role === "PRESIDENT");
  if (kind === "COMMISSION") {
    if (voting.length === 0) errors.push("La commission n'a aucun membre évaluateur.");
    else if (!president) warnings.push("La commission n'a pas de président(e).");
    return { errors, warnings };
  }
  for (const college of ["EMPLOYER", "EMPLOYEE"] as const) {
    const count = voting.filter((s) => s.college === college).length;
    if (count < rules.minPerCollege) {
      errors.push(
        rules.minPerCollege === 1
          ? `Le jury doit compter au moins un membre du collège ${COLLEGE_NAMES[college]}.`
          : `Le jury doit compter au moins ${rules.minPerCollege} membres du collège ${COLLEGE_NAMES[college]} (actuellement ${count}).`,
      );
    }
  }
  if (voting.length < rules.minTotal) {
    errors.push(`Le jury doit compter au moins ${rules.minTotal} membres votants (actuellement ${voting.length}).`);
  }
  if (!president) errors.push("Le jury n'a pas de président(e).");
  const vice = seats.find((s) => s.role === "VICE_PRESIDENT");
  if (president && vice && president.college && president.college === vice.college) {
    warnings.push(
      `Le président et le vice-président sont tous deux du collège ${COLLEGE_NAMES[president.college]} : ils devraient venir de collèges opposés.`,
    );
  }
  return { errors, warnings };
}

/**
 * Why a jury cannot reach its quorum on one candidate even with every member present: the members recused for him
 * (his trainer, his evaluators, a declared conflict) are not counted, and those left fall short of the composition
 * rules (French reasons; none when the panel still suffices).
 */
export function recusedPanelShortfall(
  seats: readonly Seat[],
  recused: ReadonlySet<string> | ReadonlyMap<string, string>,
  rules: JuryCompositionRules = DEFAULT_JURY_COMPOSITION,
): string[] {
  const counted = seats.filter((s) => canScore(s.role) && !recused.has(s.userId));
  const members = (n: number) => `${n} membre${n > 1 ? "s" : ""} non récusé${n > 1 ? "s" : ""}`;
  const reasons: string[] = [];
  for (const college of ["EMPLOYER", "EMPLOYEE"] as const) {
    const count = counted.filter((s) => s.college === college).length;
    if (count < rules.minPerCollege) reasons.push(`collège ${COLLEGE_NAMES[college]} : ${members(count)}, ${rules.minPerCollege} requis`);
  }
  if (counted.length < rules.minTotal) reasons.push(`en tout : ${members(counted.length)}, ${rules.minTotal} requis`);
  return reasons;
}
