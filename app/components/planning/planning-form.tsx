/**
 * UI shared by the planning pages (not a route): the session details form (create and edit), alerts, classes.
 */
import { getCollectionProps, getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import { SubmissionKeyField } from "~/components/submission-key-field";
import { parseWithZod } from "@conform-to/zod";
import { Link, useNavigation, useRouteLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import type { ReactNode } from "react";
import type { z } from "zod";
import { Field, inputClass, primaryButtonClass, OptionSelect } from "~/components/field";
import { PHASES, sessionCreateSchema, sessionUpdateSchema, type PhaseDurations } from "~/domain/planning";

export const sectionClass = "rounded-lg border border-slate-200 bg-white p-5 shadow-sm";
export const secondaryButtonClass =
  "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";
export const dangerButtonClass =
  "rounded border border-red-300 bg-white px-3 py-1 text-sm text-red-700 hover:bg-red-50 disabled:cursor-not-allowed disabled:opacity-50";

/** Errors of a whole form, announced to screen readers. */
export function ErrorList({ id, errors, title }: { id?: string; errors?: string[] | null; title?: string }) {
  if (!errors?.length) return null;
  return (
    <div role="alert" id={id} className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {title ? <p className="font-semibold">{title}</p> : null}
      {errors.length === 1 && !title ? (
        <p>{errors[0]}</p>
      ) : (
        <ul className="list-disc space-y-0.5 pl-5">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ tone, children, testId }: { tone: "info" | "warning" | "success"; children: ReactNode; testId?: string }) {
  const classes = {
    info: "border-sky-200 bg-sky-50 text-sky-900",
    warning: "border-amber-300 bg-amber-50 text-amber-900",
    success: "border-emerald-200 bg-emerald-50 text-emerald-900",
  }[tone];
  return (
    <div role={tone === "warning" ? "alert" : "status"} data-testid={testId} className={`rounded border px-3 py-2 text-sm ${classes}`}>
      {children}
    </div>
  );
}

/** Field errors of a multi-message field (e.g. an incomplete dossier's missing items). */
export function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  return (
    <div id={id} className="min-h-5 text-sm text-red-700" aria-live="polite" role={errors?.length ? "alert" : undefined}>
      {errors?.length === 1 ? <p>{errors[0]}</p> : null}
      {errors && errors.length > 1 ? (
        <>
          <p>{errors[0]}</p>
          <ul className="list-disc pl-5">
            {errors.slice(1).map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export type SessionFormDefaults = {
  kind?: "COMMISSION" | "JURY";
  title?: string;
  certificationId?: string;
  date?: string;
  startTime?: string;
  endTime?: string;
  mode?: "remote" | "onsite";
  place?: string | null;
  remoteMeans?: string | null;
  phases?: PhaseDurations;
};

/**
 * The session's details. `certifications` given → creation form (type and certification chosen here);
 * otherwise the edit form of a session whose type is `kind`.
 */
export function SessionDetailsForm({
  lastResult,
  defaults,
  certifications,
  kind,
  submitLabel,
  intent,
  submissionKey,
}: {
  lastResult: SubmissionResult<string[]> | null | undefined;
  defaults: SessionFormDefaults;
  certifications?: Array<{ id: string; label: string; published: boolean }>;
  kind?: "COMMISSION" | "JURY";
  submitLabel: string;
  intent?: string;
  /** The creation form's submission key (sent twice, one session is planned). */
  submissionKey?: string;
}) {
  const creating = certifications !== undefined;
  const navigation = useNavigation();
  // One field set for both forms: the edit form simply has no type nor certification.
  const [form, fields] = useForm<z.input<typeof sessionCreateSchema>>({
    id: "session-details",
    lastResult,
    defaultValue: {
      kind: defaults.kind,
      title: defaults.title,
      certificationId: defaults.certificationId,
      date: defaults.date,
      startTime: defaults.startTime,
      endTime: defaults.endTime,
      mode: defaults.mode ?? "remote",
      place: defaults.place ?? "",
      remoteMeans: defaults.remoteMeans ?? "",
      ...Object.fromEntries(PHASES.map(({ key }) => [key, String(defaults.phases?.[key] ?? "")])),
    },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        // Same fields minus type and certification: typed as the creation schema for Conform.
        schema: creating ? sessionCreateSchema : (sessionUpdateSchema as unknown as typeof sessionCreateSchema),
      }),
  });
  const currentKind = creating ? (fields.kind?.value as "COMMISSION" | "JURY" | undefined) : kind;
  const mode = (fields.mode.value as "remote" | "onsite" | undefined) ?? "remote";
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === (intent ?? null);

  return (
    <Form method="post" className="space-y-4" {...getFormProps(form)}>
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}
      {submissionKey ? <SubmissionKeyField value={submissionKey} /> : null}
      <ErrorList id={form.errorId} errors={form.errors} />
      {creating ? (
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Type de session</legend>
          <div className="mt-1 flex flex-wrap gap-6">
            {getCollectionProps(fields.kind, { type: "radio", options: ["COMMISSION", "JURY"] }).map(({ key, ...props }) => (
              <label key={key} className="flex items-center gap-2 text-sm">
                <input {...props} />
                {props.value === "COMMISSION" ? "Commission d'évaluation" : "Jury paritaire"}
              </label>
            ))}
          </div>
          <p id={fields.kind.errorId} className="min-h-5 text-sm text-red-700" aria-live="polite">
            {fields.kind.errors?.[0] ?? ""}
          </p>
        </fieldset>
      ) : null}
      <Field label="Intitulé" errorId={fields.title.errorId} errors={fields.title.errors}>
        <input {...getInputProps(fields.title, { type: "text" })} className={inputClass} />
      </Field>
      {creating ? (
        <Field
          label="Certification (version publiée la plus récente du référentiel)"
          errorId={fields.certificationId.errorId}
          errors={fields.certificationId.errors}
        >
          <OptionSelect field={fields.certificationId} options={certifications} />
        </Field>
      ) : null}
      <div className="grid gap-x-4 md:grid-cols-3">
        <Field label="Date" errorId={fields.date.errorId} errors={fields.date.errors}>
          <input {...getInputProps(fields.date, { type: "date" })} className={inputClass} />
        </Field>
        <Field label="Heure de début (Paris)" errorId={fields.startTime.errorId} errors={fields.startTime.errors}>
          <input {...getInputProps(fields.startTime, { type: "time" })} className={inputClass} />
        </Field>
        <Field label="Heure de fin (Paris)" errorId={fields.endTime.errorId} errors={fields.endTime.errors}>
          <input {...getInputProps(fields.endTime, { type: "time" })} className={inputClass} />
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Modalité</legend>
        <div className="mt-1 flex flex-wrap gap-6">
          {getCollectionProps(fields.mode, { type: "radio", options: ["remote", "onsite"] }).map(({ key, ...props }) => (
            <label key={key} className="flex items-center gap-2 text-sm">
              <input {...props} />
              {props.value === "remote" ? "À distance" : "En présentiel"}
            </label>
          ))}
        </div>
        <p id={fields.mode.errorId} className="min-h-5 text-sm text-red-700" aria-live="polite">
          {fields.mode.errors?.[0] ?? ""}
        </p>
      </fieldset>
      {mode === "onsite" ? (
        <Field label="Lieu" errorId={fields.place.errorId} errors={fields.place.errors}>
          <input {...getInputProps(fields.place, { type: "text" })} className={inputClass} />
        </Field>
      ) : (
        <Field
          label="Moyen utilisé (par exemple : visioconférence)"
          errorId={fields.remoteMeans.errorId}
          errors={fields.remoteMeans.errors}
        >
          <input {...getInputProps(fields.remoteMeans, { type: "text" })} className={inputClass} />
        </Field>
      )}
      {currentKind === "COMMISSION" ? (
        <fieldset className="rounded border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium text-slate-800">Durée des phases pour chaque candidat (minutes)</legend>
          <div className="grid gap-x-3 sm:grid-cols-5">
            {PHASES.map(({ key, label }) => {
              const field = fields[key];
              return (
                <Field key={key} label={label} errorId={field.errorId} errors={field.errors}>
                  <input {...getInputProps(field, { type: "number" })} min={1} max={240} className={inputClass} />
                </Field>
              );
            })}
          </div>
        </fieldset>
      ) : null}
      <button type="submit" className={primaryButtonClass} disabled={busy}>
        {busy ? "Enregistrement…" : submitLabel}
      </button>
    </Form>
  );
}

/** Whether the signed-in user may plan sessions (root loader's permissions; the server checks again). */
export function useCanPlan(): boolean {
  const root = useRouteLoaderData("root") as { permissions?: string[] } | undefined;
  return root?.permissions?.includes("write:planning") ?? false;
}

/** "Planifier une session", for the users who may plan (sessions list). */
export function PlanSessionButton() {
  if (!useCanPlan()) return null;
  return (
    <Link to="/sessions/new" className={`${primaryButtonClass} inline-block`}>
      Planifier une session
    </Link>
  );
}

/** "Préparer la session", for the users who may plan (session page). */
export function PrepareSessionLink({ sessionId }: { sessionId: string }) {
  if (!useCanPlan()) return null;
  return (
    <Link to={`/sessions/${sessionId}/planning`} className={`${secondaryButtonClass} inline-block`}>
      Préparer la session
    </Link>
  );
}
