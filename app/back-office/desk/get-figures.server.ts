/**
 * The figures a CPNE reports on, over a period and optionally one certification: candidates registered and decisions
 * per month, success rate per certification and per bloc, total vs partial deliveries, months from registration to
 * decision. Decisions are the jury's final decisions (`listDecisions`), never a commission's grid: an adjournment counts
 * as a decision of its month but in no rate nor delivery.
 */
import { isIsoMonth } from "~/domain/calendar";
import { dossiersCreatedIn } from "~/back-office/certifications/list-certifications.server";
import { listDecisions } from "~/archive/list-decisions.server";

export type Series = { label: string; value: number }[];
export type Figures = {
  perMonth: Array<{ month: string; candidates: number; decisions: number }>;
  successByCertification: Series;
  successByBloc: Series;
  deliveries: Series;
  delayMonths: Series;
};

const monthKey = (d: Date) => d.toISOString().slice(0, 7);

export type FigureFilter = { certificationId: string | null; from: Date; to: Date };

export async function getFigures(organisationId: string, filter: FigureFilter): Promise<Figures> {
  const [dossiers, decisions] = await Promise.all([
    dossiersCreatedIn(organisationId, filter, filter.certificationId),
    listDecisions(organisationId, filter),
  ]);
  const months: string[] = [];
  for (let d = new Date(Date.UTC(filter.from.getUTCFullYear(), filter.from.getUTCMonth(), 1)); d < filter.to; d.setUTCMonth(d.getUTCMonth() + 1)) {
    months.push(monthKey(d));
  }
  const count = (dates: Date[]) => {
    const perKey = new Map<string, number>();
    for (const date of dates) {
      const key = monthKey(date);
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    return perKey;
  };
  const candidatesPerMonth = count(dossiers.map((d) => d.createdAt));
  const decisionsPerMonth = count(decisions.map((d) => d.decidedAt));
  const perMonth = months.map((month) => ({ month, candidates: candidatesPerMonth.get(month) ?? 0, decisions: decisionsPerMonth.get(month) ?? 0 }));
  const decided = decisions.filter((d) => d.outcome !== "adjourned");
  const rate = (part: number, all: number) => (all === 0 ? 0 : Math.round((part / all) * 100));
  const byCert = new Map<string, { total: number; all: number }>();
  const byBloc = new Map<string, { acquired: number; all: number }>();
  for (const d of decided) {
    const c = byCert.get(d.certificationCode) ?? { total: 0, all: 0 };
    c.all++;
    if (d.outcome === "total") c.total++;
    byCert.set(d.certificationCode, c);
    if (d.blocs.length > 1) {
      for (const b of d.blocs.filter((b) => b.judged)) {
        // An RNCP bloc's code already names its certification (RNCP38544BC01); a CQP's (BC01) does not.
        const key = b.code.startsWith(d.certificationCode) ? b.code : `${d.certificationCode} ${b.code}`;
        const s = byBloc.get(key) ?? { acquired: 0, all: 0 };
        s.all++;
        if (b.acquired) s.acquired++;
        byBloc.set(key, s);
      }
    }
  }
  const delays = decided.map((d) => (d.decidedAt.getTime() - d.registeredAt.getTime()) / (30.44 * 86_400_000));
  const buckets = ["< 3 mois", "3 à 6 mois", "6 à 12 mois", "12 mois et plus"];
  const bucketOf = (m: number) => (m < 3 ? 0 : m < 6 ? 1 : m < 12 ? 2 : 3);
  return {
    perMonth,
    successByCertification: [...byCert].map(([label, s]) => ({ label, value: rate(s.total, s.all) })),
    successByBloc: [...byBloc].map(([label, s]) => ({ label, value: rate(s.acquired, s.all) })),
    deliveries: [
      { label: "Totale", value: decided.filter((d) => d.outcome === "total").length },
      { label: "Partielle", value: decided.filter((d) => d.outcome === "partial").length },
      { label: "Non délivrance", value: decided.filter((d) => d.outcome === "none").length },
    ],
    delayMonths: buckets.map((label, i) => ({ label, value: delays.filter((m) => bucketOf(m) === i).length })),
  };
}

/** The longest period the figures show, in months (ten years). */
export const FIGURE_MAX_MONTHS = 120;

const MONTH_NAMES = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
/** « décembre 2026 » from the month key 2026-12. */
export const monthName = (key: string) => `${MONTH_NAMES[Number(key.slice(5, 7)) - 1]} ${key.slice(0, 4)}`;
/** « de mars 2026 », « d'août 2026 ». */
const fromMonth = (key: string) => (/^[aeiou]/.test(monthName(key)) ? `d'${monthName(key)}` : `de ${monthName(key)}`);

/**
 * The period and certification of the figures from the query string (default: the last 12 months; ten years at most).
 * `notices` says in French what was read otherwise than asked: a month not understood (the default used instead), a
 * period given backwards (« du » after « au »: the two are swapped, never a silent single month).
 */
export function figureFilterFrom(url: URL, now = new Date()): FigureFilter & { fromKey: string; toKey: string; notices: string[] } {
  const month = (v: string | null) => (isIsoMonth(v) ? v : null);
  const notices: string[] = [];
  for (const [name, label] of [["du", "Du"], ["au", "Au"]] as const) {
    const raw = url.searchParams.get(name);
    if (raw && !month(raw)) notices.push(`Le mois « ${label} » demandé n'est pas un mois valide : ${name === "du" ? "le début" : "la fin"} par défaut est appliqué${name === "du" ? "" : "e"}.`);
  }
  let [askedFrom, askedTo] = [month(url.searchParams.get("du")), month(url.searchParams.get("au"))];
  if (askedFrom && askedTo && askedFrom > askedTo) {
    notices.push(`La période était inversée (${fromMonth(askedFrom)} à ${monthName(askedTo)}) : elle est affichée ${fromMonth(askedTo)} à ${monthName(askedFrom)}.`);
    [askedFrom, askedTo] = [askedTo, askedFrom];
  }
  const toKey = askedTo ?? monthKey(now);
  const to = new Date(`${toKey}-01T00:00:00Z`);
  // Twelve months ending with « au » (this month when not given): « au » alone never makes a period ending before it starts.
  const defaultFrom = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 11, 1));
  // At most FIGURE_MAX_MONTHS, ending with « au »: a start typed centuries back (du=1900-01&au=2999-12) made a page of
  // 13,200 months (7 MB); the form then shows the start actually used.
  const earliest = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - (FIGURE_MAX_MONTHS - 1), 1));
  const asked = askedFrom ?? monthKey(defaultFrom);
  const fromKey = new Date(`${asked}-01T00:00:00Z`) < earliest ? monthKey(earliest) : asked;
  const from = new Date(`${fromKey}-01T00:00:00Z`);
  to.setUTCMonth(to.getUTCMonth() + 1);
  return {
    certificationId: url.searchParams.get("certification") || null,
    from,
    to: to > from ? to : new Date(from.getTime() + 31 * 86_400_000),
    fromKey,
    toKey,
    notices,
  };
}
