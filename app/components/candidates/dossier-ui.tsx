/** Small pieces of UI shared by the candidate and dossier pages (not a route). */
import { DOSSIER_STATUS_LABELS, type DossierStatus } from "~/domain/completeness";

const STATUS_CLASSES: Record<DossierStatus, string> = {
  DRAFT: "bg-slate-100 text-slate-700",
  REGISTERED: "bg-sky-100 text-sky-800",
  POSITIONED: "bg-sky-100 text-sky-800",
  IN_TRAINING: "bg-indigo-100 text-indigo-800",
  IN_EVALUATION: "bg-amber-100 text-amber-900",
  COMPLETE: "bg-emerald-100 text-emerald-800",
  ON_AGENDA: "bg-violet-100 text-violet-800",
  DECIDED: "bg-slate-200 text-slate-800",
  WITHDRAWN: "bg-red-50 text-red-700",
};

export function DossierStatusBadge({ status }: { status: DossierStatus }) {
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${STATUS_CLASSES[status]}`}>
      {DOSSIER_STATUS_LABELS[status]}
    </span>
  );
}

export { FormErrors } from "../field";

export const sectionClass = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";
export const secondaryButtonClass =
  "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";
export const dangerButtonClass =
  "rounded border border-red-300 bg-white px-3 py-1 text-sm text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50";
