/**
 * Appeals (recours) against a jury decision: whether one may still be recorded (the scheme allows appeals, and the
 * appeal was received within its deadline), what an upheld appeal changes, and the words the pages and the minutes
 * use. Pure, no I/O.
 *
 * The deadline runs in calendar days (Paris time) from the day the decision was notified to the candidate; until
 * a notification date is recorded, from the day of the decision. The last day counts: with 60 days, a decision
 * notified on 1 March may be appealed up to and including 30 April.
 */
import { isIsoDay } from "./calendar";
import { isoDateInParis } from "./identity";
import { blocAcquiredFromCompetences, OVERALL_DECISION_LABELS, type OverallDecision } from "./jury-decision";
import type { BlocRule, JuryRules } from "./scheme";
import { formatLongDay } from "./paris-date";

export const APPEAL_STATUSES = ["RECEIVED", "SCHEDULED", "UPHELD", "REJECTED"] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];
export const APPEAL_STATUS_LABELS: Record<AppealStatus, string> = {
  RECEIVED: "Reçu, en attente d'un jury",
  SCHEDULED: "Inscrit à l'ordre du jour d'un jury",
  UPHELD: "Accueilli",
  REJECTED: "Rejeté",
};
export const APPEAL_OUTCOMES = ["UPHELD", "REJECTED"] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];

export const GROUNDS_MIN = 10;
export const GROUNDS_MAX = 5000;
/** The jury's reason on an appeal is a motive (./motive.ts: at least a few letters); at most this long. */
export const REASON_MAX = 5000;

/** The labels of the two outcomes, as the « Recours examinés » page offers them. */
export const APPEAL_OUTCOME_LABELS: Record<AppealOutcome, string> = { UPHELD: "Recours accueilli", REJECTED: "Recours rejeté" };

/** The calendar day (YYYY-MM-DD) of an instant in Paris. */
export const parisDay = (at: Date): string => isoDateInParis(at);

/** A calendar day (YYYY-MM-DD) plus `days`. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** « 30 avril 2027 », « 1er mars 2027 » for a calendar day. */
export function frenchDay(day: string): string {
  return formatLongDay(`${day}T00:00:00Z`);
}

/** Last day (YYYY-MM-DD, Paris) an appeal may be received, or null when the scheme sets no deadline. */
export function appealDeadline(rules: Pick<JuryRules, "appealDeadlineDays">, notifiedAt: Date): string | null {
  if (rules.appealDeadlineDays === null) return null;
  return addDays(parisDay(notifiedAt), rules.appealDeadlineDays);
}

export type AppealCheck =
  | { ok: true; deadline: string | null }
  | { ok: false; field: "receivedAt" | "decisionId"; message: string };

/**
 * Whether an appeal received on `receivedDay` (YYYY-MM-DD) against a decision taken at `decidedAt` and notified at
 * `notifiedAt` may be recorded on `today` (YYYY-MM-DD, Paris). The appeal may not precede the decision (a candidate
 * told the result before the letter may appeal at once); the deadline runs from the notification. `decidedAt`
 * defaults to `notifiedAt` (a decision never notified: the deadline runs from the decision, record-appeal.server.ts).
 */
export function checkAppeal(input: {
  rules: Pick<JuryRules, "appealsAllowed" | "appealDeadlineDays">;
  decidedAt?: Date;
  notifiedAt: Date;
  receivedDay: string;
  today: string;
}): AppealCheck {
  const { rules, notifiedAt, receivedDay, today } = input;
  if (!rules.appealsAllowed) {
    return { ok: false, field: "decisionId", message: "Le dispositif de cette certification ne prévoit pas de recours contre les décisions du jury." };
  }
  if (!isIsoDay(receivedDay)) {
    return { ok: false, field: "receivedAt", message: "Indiquez la date de réception du recours (jj/mm/aaaa)." };
  }
  if (receivedDay > today) {
    return { ok: false, field: "receivedAt", message: "La date de réception ne peut pas être dans le futur." };
  }
  const decided = parisDay(input.decidedAt ?? notifiedAt);
  if (receivedDay < decided) {
    return { ok: false, field: "receivedAt", message: `Un recours ne peut précéder la décision contestée (${frenchDay(decided)}).` };
  }
  const from = parisDay(notifiedAt);
  const deadline = appealDeadline(rules, notifiedAt);
  if (deadline !== null && receivedDay > deadline) {
    return {
      ok: false,
      field: "receivedAt",
      message: `Recours hors délai : le délai de ${rules.appealDeadlineDays} jours courant à compter du ${frenchDay(from)} a expiré le ${frenchDay(deadline)}.`,
    };
  }
  return { ok: true, deadline };
}

/** An item of the contested decision (a bloc, or a competence with its bloc) and whether it is acquired. */
export type RevisedItem = { targetId: string; code: string; blocKey: string; acquired: boolean };

/**
 * The overall decision after an upheld appeal revised the items: a bloc counts as acquired when all of its items
 * are (or, given the scheme's bloc rule, when its competences meet it, as the contested decision counted them);
 * every bloc → total, none → non-délivrance, some → partielle (or non-délivrance when the scheme allows no partial
 * validation).
 */
export function revisedOverall(items: readonly RevisedItem[], partialAllowed: boolean, blocRule?: BlocRule): Exclude<OverallDecision, "ADJOURNED"> {
  const byBloc = new Map<string, RevisedItem[]>();
  for (const item of items) byBloc.set(item.blocKey, [...(byBloc.get(item.blocKey) ?? []), item]);
  const blocs = new Map<string, boolean>();
  for (const [key, of] of byBloc) {
    // A bloc decided as such is its own item; a bloc decided competence by competence follows the scheme's rule.
    const asBloc = of.length === 1 && of[0]!.targetId === key;
    blocs.set(key, asBloc || !blocRule ? of.every((i) => i.acquired) : blocAcquiredFromCompetences(blocRule, of.map((i) => i.acquired)));
  }
  const acquired = [...blocs.values()].filter(Boolean).length;
  if (blocs.size > 0 && acquired === blocs.size) return "TOTAL";
  if (acquired === 0 || !partialAllowed) return "NONE";
  return "PARTIAL";
}

/** Whether the revision changes the contested decision (its overall decision or any item). */
export function changesDecision(
  before: { overall: OverallDecision; items: ReadonlyArray<{ targetId: string; acquired: boolean }> },
  after: { overall: OverallDecision; items: ReadonlyArray<{ targetId: string; acquired: boolean }> },
): boolean {
  if (before.overall !== after.overall) return true;
  const was = new Map(before.items.map((i) => [i.targetId, i.acquired]));
  return after.items.some((i) => was.get(i.targetId) !== i.acquired);
}

/**
 * The decision an upheld appeal gives, stated per bloc (or per competence): an item of the contested decision is
 * acquired when the jury marked it or its bloc acquired (a bloc marked acquired acquires all of its competences); the
 * overall decision follows (revisedOverall; a decision without items keeps its overall decision); `changes` tells
 * whether anything differs from the contested decision (else the decision stands and nothing is reissued).
 */
export function reviseDecision<T extends RevisedItem>(
  contested: { overall: OverallDecision; items: readonly T[] },
  acquired: ReadonlySet<string>,
  partialAllowed: boolean,
  blocRule?: BlocRule,
): { overall: OverallDecision; items: Array<T & { changed: boolean }>; changes: boolean } {
  const items = contested.items.map((item) => {
    const now = acquired.has(item.targetId) || acquired.has(item.blocKey);
    return { ...item, acquired: now, changed: now !== item.acquired };
  });
  const overall = items.length ? revisedOverall(items, partialAllowed, blocRule) : contested.overall;
  return { overall, items, changes: changesDecision(contested, { overall, items }) };
}

/** How far an overall decision goes for the candidate (an ajournement decides nothing: it ranks with none). */
const OVERALL_RANK: Record<OverallDecision, number> = { ADJOURNED: 0, NONE: 0, PARTIAL: 1, TOTAL: 2 };

export type UpheldRevision<T extends RevisedItem> =
  | { ok: true; overall: OverallDecision; items: Array<T & { changed: boolean }> }
  | { ok: false; field: "acquired" | "outcome"; message: string };

/**
 * The decision an upheld appeal gives (reviseDecision), or why the jury cannot uphold it so (French, at its field):
 * - `acquired` names only blocs or competences of the contested decision (anything else is refused, never ignored);
 * - an appeal is the candidate's remedy: it cannot worsen his position — what the contested decision acquired stays
 *   acquired (`acquired` must still hold it), and the overall decision never goes down;
 * - an appeal upheld that changes nothing is no upheld appeal: the jury rejects it (« Recours rejeté »).
 */
export function upheldRevision<T extends RevisedItem>(
  contested: { overall: OverallDecision; items: readonly T[] },
  acquired: ReadonlySet<string>,
  rules: { partialAllowed: boolean; blocRule?: BlocRule },
): UpheldRevision<T> {
  const known = new Set(contested.items.flatMap((i) => [i.targetId, i.blocKey]));
  if ([...acquired].some((id) => !known.has(id))) {
    return {
      ok: false,
      field: "acquired",
      message: "Bloc ou compétence hors de la décision contestée : le jury n'accorde sur recours que ce que cette décision n'avait pas acquis.",
    };
  }
  const grantable = contested.items.some((i) => !i.acquired);
  if (!grantable) {
    return {
      ok: false,
      field: "outcome",
      message: `La décision contestée ne laisse rien à accorder sur recours : choisissez « ${APPEAL_OUTCOME_LABELS.REJECTED} ».`,
    };
  }
  const revised = reviseDecision(contested, acquired, rules.partialAllowed, rules.blocRule);
  const withdrawn = revised.items.filter((i) => i.changed && !i.acquired).map((i) => i.code);
  if (withdrawn.length > 0) {
    const many = withdrawn.length > 1;
    return {
      ok: false,
      field: "acquired",
      message: `Un recours ne peut pas aggraver la situation du candidat : ${withdrawn.join(", ")}, acquis par la décision contestée, ${many ? "restent acquis" : "reste acquis"}.`,
    };
  }
  if (OVERALL_RANK[revised.overall] < OVERALL_RANK[contested.overall]) {
    return {
      ok: false,
      field: "acquired",
      message: `Un recours ne peut pas aggraver la situation du candidat : la décision d'ensemble ne peut passer de « ${OVERALL_DECISION_LABELS[contested.overall]} » à « ${OVERALL_DECISION_LABELS[revised.overall]} ».`,
    };
  }
  if (!revised.changes) {
    return {
      ok: false,
      field: "outcome",
      message: `Le recours accueilli ne change rien à la décision contestée : cochez ce que le jury accorde sur recours, ou choisissez « ${APPEAL_OUTCOME_LABELS.REJECTED} ».`,
    };
  }
  return { ok: true, overall: revised.overall, items: revised.items };
}

/**
 * From when each item acquired by a decision revised on appeal counts (its validity runs from that day): an item the
 * contested decision had already acquired keeps the contested decision's date — the appeal did not change it —, one
 * the appeal acquired dates from the appeal jury's decision. Items not acquired are absent.
 */
export function acquiredSince(
  contested: { decidedAt: Date; items: ReadonlyArray<{ targetId: string; acquired: boolean }> },
  revised: { decidedAt: Date; items: ReadonlyArray<{ targetId: string; acquired: boolean }> },
): Map<string, Date> {
  const before = new Set(contested.items.filter((i) => i.acquired).map((i) => i.targetId));
  return new Map(revised.items.filter((i) => i.acquired).map((i) => [i.targetId, before.has(i.targetId) ? contested.decidedAt : revised.decidedAt]));
}

/** The minutes' line for one appeal examined by the jury. */
export function appealMinutesLine(appeal: {
  candidate: string;
  contestedOn: Date;
  contestedOverall: OverallDecision;
  receivedAt: Date;
  grounds: string;
  status: AppealStatus;
  outcomeReason: string | null;
  /** The members' declarations for the appellant (decide-appeal waits for them), by name. */
  declarations?: { noLink: readonly string[]; conflicts: readonly string[] };
  revised: { overall: OverallDecision; acquiredCodes: string[] } | null;
}): string {
  const grounds = `Recours de ${appeal.candidate} contre la décision du ${frenchDay(parisDay(appeal.contestedOn))} (${OVERALL_DECISION_LABELS[appeal.contestedOverall].toLowerCase()}), reçu le ${frenchDay(parisDay(appeal.receivedAt))}. Motifs : ${appeal.grounds.trim()}`;
  const { noLink = [], conflicts = [] } = appeal.declarations ?? {};
  const declared = [
    ...(noLink.length ? [`Absence de lien avec le candidat déclarée par : ${noLink.join(", ")}.`] : []),
    ...(conflicts.length
      ? [`Conflit d'intérêts déclaré : ${conflicts.join(", ")}, qui ${conflicts.length > 1 ? "ne prennent" : "ne prend"} pas part à la décision sur ce recours.`]
      : []),
  ];
  const head = declared.length ? `${grounds}${/[.!?…]$/.test(grounds) ? "" : "."} ${declared.join(" ")}` : grounds;
  const ending = /[.!?…]$/.test(head) ? "" : ".";
  if (appeal.status === "REJECTED") return `${head}${ending} Recours rejeté : ${appeal.outcomeReason ?? ""}`.trim();
  if (appeal.status === "UPHELD") {
    const change = appeal.revised
      ? ` Nouvelle décision : ${OVERALL_DECISION_LABELS[appeal.revised.overall].toLowerCase()}${appeal.revised.acquiredCodes.length ? ` (acquis : ${appeal.revised.acquiredCodes.join(", ")})` : ""} ; le document délivré est remplacé.`
      : " La décision est maintenue en l'état.";
    return `${head}${ending} Recours accueilli : ${appeal.outcomeReason ?? ""}.${change}`.replace(/\.\./g, ".");
  }
  return `${head}${ending} En attente de la décision du jury.`;
}
