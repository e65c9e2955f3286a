/**
 * Days as France counts them, for what a document or a public page states: the Paris day (and year) of an instant,
 * the end of a calendar day in Paris, and French long dates (« 1er juillet 2026 », « 2 juillet 2026 »). Pure, no
 * imports, so any domain module can use it (app/domain/planning.ts has the wall-clock conversions of the planning).
 */
const TIME_ZONE = "Europe/Paris";

/** Built once: creating an Intl.DateTimeFormat costs ~0.3 ms. */
const PARIS_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/**
 * Paris has kept whole-hour offsets changed on a whole UTC hour since 1977 (the clock changes at 01:00 UTC), so every
 * instant of one UTC hour falls on the same Paris day: the day is formatted once per hour seen. Formatting with a time
 * zone costs ~2 µs, and the desk asks it for every decision, acquisition and validity it lists (1.6 % of its CPU).
 */
const HOURS_SAFE_FROM = Date.UTC(1977, 0, 1);
const HOUR_MS = 3_600_000;
const DAY_BY_HOUR = new Map<number, string>();
const DAY_BY_HOUR_MAX = 20_000;

/** The Paris calendar day of an instant, "YYYY-MM-DD" (22:30 UTC on 1 July 2026 is « 2026-07-02 » in Paris). */
export function parisDayOf(instant: Date): string {
  const time = instant.getTime();
  if (!(time >= HOURS_SAFE_FROM)) return PARIS_DAY.format(instant); // earlier offsets, or an invalid date (throws)
  const hour = Math.floor(time / HOUR_MS);
  let day = DAY_BY_HOUR.get(hour);
  if (day === undefined) {
    day = PARIS_DAY.format(instant);
    if (DAY_BY_HOUR.size >= DAY_BY_HOUR_MAX) DAY_BY_HOUR.clear();
    DAY_BY_HOUR.set(hour, day);
  }
  return day;
}

/** The year of an instant in Paris: 23:30 UTC on 31 December 2026 is already 2027 there. */
export function parisYearOf(instant: Date): number {
  return Number(parisDayOf(instant).slice(0, 4));
}

/**
 * The last instant of a calendar day ("YYYY-MM-DD") in Paris: 23:59:59.999 there, 21:59:59.999Z in summer,
 * 22:59:59.999Z in winter (clocks never change at midnight in France).
 */
export function endOfParisDay(day: string): Date {
  let end = END_BY_DAY.get(day);
  if (end === undefined) {
    end = findEndOfParisDay(day);
    if (END_BY_DAY.size >= DAY_BY_HOUR_MAX) END_BY_DAY.clear();
    END_BY_DAY.set(day, end);
  }
  return new Date(end);
}

const END_BY_DAY = new Map<string, number>();

function findEndOfParisDay(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  const nextUtcMidnight = Date.UTC(y, m - 1, d + 1);
  for (const hours of [2, 1]) {
    const start = nextUtcMidnight - hours * 3_600_000;
    if (parisDayOf(new Date(start)) !== day && parisDayOf(new Date(start - 1)) === day) return start - 1;
  }
  throw new Error(`Not a calendar day: ${day}`);
}

const LONG_IN_PARIS = new Intl.DateTimeFormat("fr-FR", { timeZone: TIME_ZONE, day: "numeric", month: "long", year: "numeric" });
const LONG_IN_UTC = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

/** French long date from a formatter's parts, « 1er » for the first day of a month (« le 1er juillet 2026 »). */
function long(formatter: Intl.DateTimeFormat, date: Date): string {
  return formatter
    .formatToParts(date)
    .map((part) => (part.type === "day" && part.value === "1" ? "1er" : part.value))
    .join("");
}

const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

/**
 * « 2 juillet 2026 » from "2026-07-02", as the formatters above write it: lists write dozens of dates per page, and
 * `formatToParts` costs several microseconds and an array of parts each time. Null for what only Intl writes (a year
 * outside four digits).
 */
function longFromIsoDay(day: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const [year, month, date] = [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
  if (year < 1000) return null;
  return `${date === 1 ? "1er" : date} ${MONTHS[month - 1]} ${year}`;
}

/**
 * The Paris day of an instant (an issue, a revocation), written long: « 2 juillet 2026 » for 22:30 UTC on 1 July,
 * « 1er juillet 2026 » for the first of the month.
 */
export function formatParisLongDate(instant: Date | string): string {
  const date = new Date(instant);
  return (date.getTime() >= HOURS_SAFE_FROM && longFromIsoDay(parisDayOf(date))) || long(LONG_IN_PARIS, date);
}

/**
 * A calendar day (a birth date, a decision date, the end of a validity), stored at midnight UTC or written
 * "YYYY-MM-DD", written long: « 10 mars 2031 », « 1er mars 2031 ». Read in UTC: it is a day, not an instant.
 */
export function formatLongDay(day: Date | string): string {
  const date = new Date(day);
  const time = date.getTime();
  return (Number.isFinite(time) && longFromIsoDay(date.toISOString().slice(0, 10))) || long(LONG_IN_UTC, date);
}
