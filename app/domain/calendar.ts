/**
 * Calendar days (« aaaa-mm-jj ») and months (« aaaa-mm ») typed by people — a form's date field, a filter in a query
 * string — read strictly. A day that does not exist (31 février, a 13th month) or a year outside 1900–2999 is not a day:
 * `new Date("2026-02-31")` would silently be 3 March, `new Date("2026-13-01")` an Invalid Date reaching the database,
 * and a year 10000 a timestamp PostgreSQL cannot read.
 */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2999;

/** The day at midnight UTC, or null when `value` is not a real calendar day « aaaa-mm-jj » (any year). */
export function calendarDay(value: string | null | undefined): Date | null {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC reads years 0–99 as 1900–1999: the year read back tells those apart too.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/** The day at midnight UTC, or null when `value` is not a real calendar day between 1900 and 2999. */
export function parseIsoDay(value: string | null | undefined): Date | null {
  const date = calendarDay(value);
  const year = date?.getUTCFullYear() ?? 0;
  return date && year >= FIRST_YEAR && year <= LAST_YEAR ? date : null;
}

/** Whether `value` is a real calendar day « aaaa-mm-jj » between 1900 and 2999. */
export function isIsoDay(value: string | null | undefined): value is string {
  return parseIsoDay(value) !== null;
}

/** Whether `value` is a month « aaaa-mm » (01–12) between 1900 and 2999. */
export function isIsoMonth(value: string | null | undefined): value is string {
  return isIsoDay(value && /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : null);
}
