/** Small pieces of UI shared by the certification and référentiel pages (not a route). */
import type { ReactNode } from "react";
import { formatDayTime } from "~/domain/format";
import { formatLongDay } from "~/domain/paris-date";

export const sectionClass = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";
export const secondaryButtonClass =
  "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";
export const dangerButtonClass =
  "rounded border border-red-300 bg-white px-3 py-1 text-sm text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50";
export const smallInputClass =
  "w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-900 shadow-sm aria-[invalid=true]:border-red-500";

export { FormErrors } from "../field";

export function Notice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="rounded border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
      {children}
    </p>
  );
}

export function VersionBadge({ publishedAt }: { publishedAt: string | Date | null }) {
  return publishedAt ? (
    <span className="inline-block rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800">
      Publiée
    </span>
  ) : (
    <span className="inline-block rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">Brouillon</span>
  );
}

/** A calendar date stored at midnight UTC (decision dates). */
/** « 1er février 2024 »: a day (read in UTC, as stored). */
export const formatDay = (value: string | Date) => formatLongDay(value);
/** « 1er décembre 2026 à 9 h 04 » (Paris). */
export const formatMoment = formatDayTime;
export { countOf } from "~/domain/format";
