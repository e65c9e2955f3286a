/**
 * Planning rules: wall-clock times in Europe/Paris (stored in UTC), candidate slots inside the session and
 * without overlaps, commission phase durations, convocation notice, and the planning forms' Zod schemas
 * (French messages). Pure, no I/O.
 */
import { z } from "zod";
import { parsePhaseDurations, PHASE_LABELS, PHASES as COMMISSION_PHASES, type Phase, type PhaseDurations } from "./commission";
import { isIsoDay } from "./calendar";
import { printableText } from "./safe-text";
import { choiceOf } from "./form-choice";
import type { DossierStatus } from "./completeness";

export const PLANNING_TIME_ZONE = "Europe/Paris";

/**
 * The phases of a candidate's passage before a commission and their durations are those of the live commission
 * (app/domain/commission.ts, stored in Session.phaseDurations with the same keys): re-exported for planning.
 */
export const PHASES = COMMISSION_PHASES.map((key) => ({ key, label: PHASE_LABELS[key] }));
export type PhaseKey = Phase;
export type { PhaseDurations };

export const DEFAULT_PHASE_DURATIONS: PhaseDurations = parsePhaseDurations({});

/** The stored JSON read back as phase durations (the defaults when it is missing or invalid). */
export function readPhaseDurations(value: unknown): PhaseDurations {
  return parsePhaseDurations(value);
}

export function totalPhaseMinutes(durations: PhaseDurations): number {
  return PHASES.reduce((sum, { key }) => sum + durations[key], 0);
}

/* ------------------------------------------------------------------ time zone */

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isDateKey(value: string): boolean {
  return isIsoDay(value);
}

export function isTimeOfDay(value: string): boolean {
  return TIME_RE.test(value);
}

const partsFormatter = new Intl.DateTimeFormat("en-GB", {
  timeZone: PLANNING_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});

function parisFields(instant: Date) {
  const parts: Record<string, string> = {};
  for (const p of partsFormatter.formatToParts(instant)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of Paris from UTC at `instant`, in milliseconds (+1 h in winter, +2 h in summer). */
function parisOffsetMs(instant: Date): number {
  const f = parisFields(instant);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The UTC instant of a Paris wall-clock time ("2026-03-12", "09:30"), or null when the input is malformed or the
 * time does not exist (the hour skipped when clocks go forward). An ambiguous time (clocks going back) resolves to
 * its first occurrence (summer time).
 */
export function parisLocalToUtc(date: string, time: string): Date | null {
  if (!isDateKey(date) || !isTimeOfDay(time)) return null;
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  // Try both offsets around the wall time, keep the earliest candidate that reads back as the same wall time.
  const candidates = [parisOffsetMs(new Date(wall - 3 * 3_600_000)), parisOffsetMs(new Date(wall + 3 * 3_600_000))]
    .map((offset) => wall - offset)
    .sort((a, b) => a - b);
  for (const candidate of candidates) {
    const back = toParisParts(new Date(candidate));
    if (back.date === date && back.time === time) return new Date(candidate);
  }
  return null;
}

/** The Paris calendar date ("YYYY-MM-DD") and wall-clock time ("HH:MM") of an instant. */
export function toParisParts(instant: Date): { date: string; time: string } {
  const f = parisFields(instant);
  const pad = (n: number) => String(n).padStart(2, "0");
  return { date: `${f.year}-${pad(f.month)}-${pad(f.day)}`, time: `${pad(f.hour)}:${pad(f.minute)}` };
}

export function parisDateKey(instant: Date): string {
  return toParisParts(instant).date;
}

/** A date-only value (stored as midnight UTC, e.g. a habilitation's end date) as "YYYY-MM-DD". */
export function utcDateKey(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/** A date-only "YYYY-MM-DD" as the midnight-UTC Date used to store it. */
export function dateKeyToUtc(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** "2026-03-12" → "12/03/2026". */
export function formatDateKeyFr(date: string): string {
  const [y, m, d] = date.split("-");
  return `${d}/${m}/${y}`;
}

/** Adds whole days to a "YYYY-MM-DD" date. */
export function addDays(date: string, days: number): string {
  const d = dateKeyToUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return utcDateKey(d);
}

/** Adds whole years to a "YYYY-MM-DD" date (29 February becomes 28 February in a common year). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const target = new Date(Date.UTC(y + years, m - 1, 1));
  const lastDay = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return utcDateKey(target);
}

/* ------------------------------------------------------------------ sessions and slots */

export type Interval = { startsAt: Date; endsAt: Date };

/** French error for a session's times, or null. */
export function checkSessionTimes(session: Interval): string | null {
  if (session.endsAt.getTime() <= session.startsAt.getTime()) {
    return "L'heure de fin doit être après l'heure de début.";
  }
  return null;
}

export type ExistingSlot = Interval & { id: string; candidateName: string };

/**
 * French error for a candidate slot, or null: it ends after it starts, falls inside the session's hours and
 * overlaps no other slot (back-to-back slots are allowed). `ignoreSlotId`: the slot being moved.
 */
export function checkSlotTiming(
  slot: Interval,
  session: Interval,
  others: readonly ExistingSlot[],
  ignoreSlotId?: string,
): string | null {
  const start = slot.startsAt.getTime();
  const end = slot.endsAt.getTime();
  if (end <= start) return "L'heure de fin du créneau doit être après son heure de début.";
  if (start < session.startsAt.getTime() || end > session.endsAt.getTime()) {
    const from = toParisParts(session.startsAt).time;
    const to = toParisParts(session.endsAt).time;
    return `Le créneau doit se situer dans les horaires de la session (${from} – ${to}).`;
  }
  for (const other of others) {
    if (other.id === ignoreSlotId) continue;
    if (start < other.endsAt.getTime() && other.startsAt.getTime() < end) {
      const from = toParisParts(other.startsAt).time;
      const to = toParisParts(other.endsAt).time;
      return `Ce créneau chevauche celui de ${other.candidateName} (${from} – ${to}).`;
    }
  }
  return null;
}

/**
 * Whether a dossier may be booked a commission passage (an evaluation before a commission), as a French refusal, or
 * null. A commission evaluates a dossier before its jury: once the dossier is on a jury's agenda (evaluated, waiting
 * for or under deliberation) or decided, a new passage would evaluate it behind the jury's back. The legitimate ways
 * back before a commission are elsewhere: the jury sends the dossier back (an ajournement returns it to evaluation or
 * training: app/domain/jury-decision.ts), the secretariat takes it off the agenda of a jury not yet held (it returns
 * to « Complet »), or, after a decision (a partial validation, a non-delivery), the candidate's new attempt at the
 * blocs still missing, which is a new dossier.
 */
export function commissionPassageRefusal(dossier: {
  status: DossierStatus;
  candidateName: string;
  /** The jury whose agenda holds the dossier, when it is on one (the latest). */
  jury?: { title: string } | null;
}): string | null {
  const who = dossier.candidateName;
  switch (dossier.status) {
    case "WITHDRAWN":
      return `Le dossier de ${who} est clos (abandon) : pas de passage en commission.`;
    case "DECIDED":
      return `Le jury a déjà rendu sa décision sur le dossier de ${who} : pas de nouveau passage en commission pour ce dossier. Pour une nouvelle tentative (blocs restant à acquérir), ouvrez un nouveau dossier.`;
    case "ON_AGENDA":
      return `Le dossier de ${who} est déjà évalué et inscrit à l'ordre du jour du jury${dossier.jury ? ` « ${dossier.jury.title} »` : ""} : pas de nouveau passage en commission. Si une nouvelle évaluation est nécessaire, retirez d'abord le dossier de l'ordre du jour (avant le jury), ou laissez le jury l'ajourner.`;
    default:
      return null;
  }
}

/** Slots that would no longer fit a session whose times change, as French messages (empty when all fit). */
export function slotsOutsideSession(session: Interval, slots: readonly ExistingSlot[]): string[] {
  return slots
    .filter((s) => s.startsAt.getTime() < session.startsAt.getTime() || s.endsAt.getTime() > session.endsAt.getTime())
    .map(
      (s) =>
        `Le créneau de ${s.candidateName} (${toParisParts(s.startsAt).time} – ${toParisParts(s.endsAt).time}) ne tiendrait plus dans la session.`,
    );
}

/** The first free start after the last slot (or the session start), for pre-filling the slot form. */
export function nextSlotStart(session: Interval, slots: readonly Interval[]): Date {
  let latest = session.startsAt.getTime();
  for (const s of slots) latest = Math.max(latest, s.endsAt.getTime());
  return new Date(latest);
}

/* ------------------------------------------------------------------ convocations */

/** A jury should be convened at least this many days ahead. */
export const JURY_NOTICE_DAYS = 15;

export const SHORT_NOTICE_WARNING = "Attention : le jury se tient dans moins de 15 jours";

/** True when a jury is convened less than JURY_NOTICE_DAYS (×24 h) before it starts. Commissions: never. */
export function isShortNotice(kind: "COMMISSION" | "JURY", startsAt: Date, now: Date): boolean {
  if (kind !== "JURY") return false;
  return startsAt.getTime() - now.getTime() < JURY_NOTICE_DAYS * 24 * 3_600_000;
}

/* ------------------------------------------------------------------ forms (shared by client and server) */

const requiredText = (message: string, max = 200) =>
  z.string({ required_error: message }).trim().min(1, message).max(max, `${max} caractères au plus.`).superRefine(printableText());

const dateField = z
  .string({ required_error: "Saisissez la date." })
  .refine(isDateKey, "Date invalide (jj/mm/aaaa).");
const timeField = (message: string) =>
  z.string({ required_error: message }).refine(isTimeOfDay, "Heure invalide (hh:mm).");
const minutesField = z
  .number({ required_error: "Indiquez une durée en minutes.", invalid_type_error: "Indiquez une durée en minutes." })
  .int("Un nombre entier de minutes.")
  .min(1, "Une minute au moins.")
  .max(240, "240 minutes au plus.");

export const SESSION_MODES = ["remote", "onsite"] as const;

const sessionDetails = {
  title: requiredText("Saisissez l'intitulé de la session."),
  date: dateField,
  startTime: timeField("Saisissez l'heure de début."),
  endTime: timeField("Saisissez l'heure de fin."),
  mode: choiceOf(SESSION_MODES, "Choisissez : à distance ou en présentiel."),
  place: z.string().trim().max(300, "300 caractères au plus.").superRefine(printableText()).optional(),
  remoteMeans: z.string().trim().max(200, "200 caractères au plus.").superRefine(printableText()).optional(),
  ACCUEIL: minutesField.optional(),
  PRESENTATION: minutesField.optional(),
  QUESTIONS: minutesField.optional(),
  EVALUATION: minutesField.optional(),
  SIGNATURE: minutesField.optional(),
};

type DetailsValue = {
  startTime: string;
  endTime: string;
  mode: (typeof SESSION_MODES)[number];
  place?: string;
  remoteMeans?: string;
};

function refineDetails(value: DetailsValue, ctx: z.RefinementCtx) {
  if (value.mode === "onsite" && !value.place) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["place"], message: "Indiquez le lieu de la session." });
  }
  if (value.mode === "remote" && !value.remoteMeans) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["remoteMeans"],
      message: "Indiquez le moyen utilisé (par exemple : visioconférence).",
    });
  }
  if (isTimeOfDay(value.startTime) && isTimeOfDay(value.endTime) && value.endTime <= value.startTime) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["endTime"],
      message: "L'heure de fin doit être après l'heure de début.",
    });
  }
}

export const sessionCreateSchema = z
  .object({
    kind: choiceOf(["COMMISSION", "JURY"], "Choisissez le type de session : commission d'évaluation ou jury paritaire."),
    certificationId: z.string({ required_error: "Choisissez la certification." }).min(1, "Choisissez la certification."),
    ...sessionDetails,
  })
  .superRefine(refineDetails);

export const sessionUpdateSchema = z.object(sessionDetails).superRefine(refineDetails);

export type SessionCreateInput = z.infer<typeof sessionCreateSchema>;
export type SessionUpdateInput = z.infer<typeof sessionUpdateSchema>;

/** The phase durations of a form value (defaults where left empty). */
export function phaseDurationsFrom(value: Partial<Record<PhaseKey, number | undefined>>): PhaseDurations {
  const result = { ...DEFAULT_PHASE_DURATIONS };
  for (const { key } of PHASES) {
    const v = value[key];
    if (typeof v === "number") result[key] = v;
  }
  return result;
}

export const slotFormSchema = z.object({
  dossierId: z.string({ required_error: "Choisissez le candidat." }).min(1, "Choisissez le candidat."),
  startTime: timeField("Saisissez l'heure de début du créneau."),
  endTime: timeField("Saisissez l'heure de fin du créneau.").optional(),
});
