import { getSelectProps } from "@conform-to/react";
import type { ReactNode } from "react";

/** A labelled form field with its French error under it, wired for screen readers. */
export function Field({
  label,
  errorId,
  errors,
  children,
}: {
  label: ReactNode;
  errorId: string;
  errors?: string[];
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label className="text-sm font-medium text-slate-800">
        {label}
        <div className="mt-1">{children}</div>
      </label>
      <p id={errorId} className="min-h-5 text-sm text-red-700" aria-live="polite">
        {errors?.[0] ?? ""}
      </p>
    </div>
  );
}

export const inputClass =
  "w-full rounded border border-slate-300 bg-white px-3 py-2 text-slate-900 shadow-sm aria-[invalid=true]:border-red-500";
export const primaryButtonClass =
  "rounded bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-60";

/** A select of `{ id, label }` choices with an empty « — Choisir — » first option, wired to a Conform field. */
export function OptionSelect({
  field,
  options,
}: {
  field: Parameters<typeof getSelectProps>[0];
  options: ReadonlyArray<{ id: string; label: string }>;
}) {
  return (
    <select {...getSelectProps(field)} className={inputClass}>
      <option value="">— Choisir —</option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** The form-level errors of a form (one alert, one line per message): the one definition for every form. */
export function FormErrors({ id, errors }: { id?: string; errors?: string[] | null }) {
  if (!errors?.length) return null;
  return (
    <div role="alert" id={id} className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}
