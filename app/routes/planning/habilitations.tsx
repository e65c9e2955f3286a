import { formErrorMap } from "~/domain/form-choice";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { unknownFilterNotice } from "~/domain/safe-text";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { z } from "zod";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { labelCells, STACKED_TABLE_CLASS } from "~/components/list-table";
import { Field, inputClass, primaryButtonClass, OptionSelect } from "~/components/field";
import { addDays, addYears, formatDateKeyFr, isDateKey } from "~/domain/planning";
import { createHabilitation } from "~/back-office/planning/create-habilitation.server";
import { listHabilitations, type HabilitationRowState } from "~/back-office/planning/list-habilitations.server";
import { renewHabilitation } from "~/back-office/planning/renew-habilitation.server";
import { ErrorList, Notice, secondaryButtonClass, sectionClass } from "../../components/planning/planning-form";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";


const HABILITATION_COLUMNS = ["Personne", "Certification", "Du", "Au", "État", "Renouveler"];
export const meta: MetaFunction = () => [{ title: "Habilitations — Quorum" }];

const dateField = (message: string) =>
  z.string({ required_error: message }).refine(isDateKey, "Date invalide (jj/mm/aaaa).");

const createSchema = z.object({
  userId: z.string({ required_error: "Choisissez la personne." }).min(1, "Choisissez la personne."),
  certificationId: z
    .string({ required_error: "Choisissez la certification." })
    .min(1, "Choisissez la certification."),
  validFrom: dateField("Saisissez le début de validité."),
  validUntil: dateField("Saisissez la fin de validité."),
});

const renewSchema = z.object({
  id: z.string().min(1),
  validUntil: dateField("Saisissez la nouvelle échéance."),
});

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:planning");
  const url = new URL(args.request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const filtre = url.searchParams.get("filtre");
  const expiring = filtre === "expirent";
  const list = await listHabilitations(access.organisationId, new Date(), { query, expiringWithinDays: expiring ? 60 : null });
  // Only what the actions redirect with: « ?fait=n'importe » said « Habilitation enregistrée. » when nothing was.
  const fait = url.searchParams.get("fait");
  const done = fait === "renouvellement" || fait === "creation" ? fait : null;
  const notices = filtre && !expiring ? [unknownFilterNotice(filtre, "toutes les habilitations sont affichées")] : [];
  return { ...list, query, expiring, done, notices };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:planning");
  const formData = await readForm(args.request);
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  if (formData.get("intent") === "renew") {
    const parsed = renewSchema.safeParse({ id: formData.get("id"), validUntil: formData.get("validUntil") || undefined }, { errorMap: formErrorMap });
    const id = String(formData.get("id") ?? "");
    if (!parsed.success) {
      return data({ intent: "renew" as const, id, errors: parsed.error.issues.map((i) => i.message) }, { status: 400 });
    }
    const result = await renewHabilitation(parsed.data.id, { validUntil: parsed.data.validUntil }, actor);
    if (!result.ok) {
      const errors = [...(result.formErrors ?? []), ...Object.values(result.fieldErrors ?? {}).flat()];
      return data({ intent: "renew" as const, id, errors }, { status: 400 });
    }
    return redirect("/habilitations?fait=renouvellement");
  }
  const submission = parseWithZod(formData, { schema: createSchema, errorMap: formErrorMap });
  if (submission.status !== "success") return data({ intent: "create" as const, result: submission.reply() }, { status: 400 });
  const result = await createHabilitation(submission.value, actor);
  if (!result.ok) {
    return data(
      {
        intent: "create" as const,
        result: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }),
      },
      { status: 400 },
    );
  }
  return redirect("/habilitations?fait=creation");
}

const STATE_BADGES: Record<HabilitationRowState, { label: string; className: string }> = {
  valid: { label: "Valide", className: "bg-emerald-100 text-emerald-800" },
  expired: { label: "Expirée", className: "bg-red-50 text-red-700" },
  notYetValid: { label: "À venir", className: "bg-sky-100 text-sky-800" },
};

export default function Habilitations() {
  const { habilitations, people, certifications, today, done, query, expiring, notices } = useLoaderData<typeof loader>();
  const actionData = useFormResult<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "create-habilitation",
    lastResult: actionData?.intent === "create" ? actionData.result : undefined,
    defaultValue: { validFrom: today, validUntil: addDays(addYears(today, 1), -1) },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createSchema }),
  });
  const creating = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">Habilitations</h1>
        <p className="text-sm text-slate-600">
          Évaluateurs et membres de jury habilités par certification. Une personne ne peut siéger comme président(e),
          vice-président(e) ou membre que si son habilitation couvre la date de la session.
        </p>
      </div>
      {done ? (
        <Notice tone="success">{done === "renouvellement" ? "Habilitation renouvelée." : "Habilitation enregistrée."}</Notice>
      ) : null}

      <section aria-labelledby="list-title" className={sectionClass}>
        <h2 id="list-title" className="text-lg font-semibold">
          Habilitations enregistrées
        </h2>
        {notices.map((notice) => (
          <p key={notice} role="status" className="mt-2 rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="habilitations-notice">
            {notice}
          </p>
        ))}
        {expiring ? (
          <p className="mt-2 rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="habilitations-filter">
            Filtre : habilitations expirant dans les 60 jours.
          </p>
        ) : null}
        <Form method="get" role="search" className="mt-3 flex flex-wrap items-end gap-3">
          {expiring ? <input type="hidden" name="filtre" value="expirent" /> : null}
          <label className="flex-1 text-sm font-medium text-slate-800">
            Rechercher (personne ou certification)
            <input type="search" name="q" defaultValue={query} className={`${inputClass} mt-1`} />
          </label>
          <button type="submit" className={secondaryButtonClass}>
            Rechercher
          </button>
        </Form>
        {habilitations.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600" data-testid="habilitations-empty">
            {/* A filtered list that is empty says what it looked for: « Aucune habilitation enregistrée. » under the
                desk's filter read as if the organisation had none. */}
            {query
              ? `Aucune habilitation${expiring ? " expirant dans les 60 jours" : ""} ne correspond à « ${query} ».`
              : expiring
                ? "Aucune habilitation n'expire dans les 60 jours."
                : "Aucune habilitation enregistrée."}
          </p>
        ) : (
          <div className="mt-3 overflow-x-auto">
            <table className={`w-full text-left text-sm ${STACKED_TABLE_CLASS}`} data-testid="habilitations">
              <thead className="border-b border-slate-200 text-slate-600 max-sm:sr-only">
                <tr>
                  {HABILITATION_COLUMNS.map((column) => (
                    <th key={column} scope="col" className="py-2 pr-3 font-medium">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {labelCells(habilitations.map((h) => {
                  const badge = STATE_BADGES[h.state];
                  const errors = actionData?.intent === "renew" && actionData.id === h.id ? actionData.errors : null;
                  const errorId = `renew-error-${h.id}`;
                  const nextStart = h.validUntil >= today ? addDays(h.validUntil, 1) : today;
                  return (
                    <tr key={h.id} className="align-top">
                      <td className="py-2 pr-3">
                        {h.person}
                        <br />
                        <span className="text-slate-500">{h.email}</span>
                      </td>
                      <td className="py-2 pr-3">{h.certification}</td>
                      <td className="py-2 pr-3">{formatDateKeyFr(h.validFrom)}</td>
                      <td className="py-2 pr-3">{formatDateKeyFr(h.validUntil)}</td>
                      <td className="py-2 pr-3">
                        <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${badge.className}`}>
                          {badge.label}
                        </span>
                      </td>
                      <td className="py-2">
                        {h.renewable ? (
                          <Form method="post" className="flex flex-wrap items-end gap-2">
                            <input type="hidden" name="intent" value="renew" />
                            <input type="hidden" name="id" value={h.id} />
                            <label className="text-xs text-slate-700">
                              Nouvelle échéance
                              <input
                                type="date"
                                name="validUntil"
                                defaultValue={addDays(addYears(nextStart, 1), -1)}
                                aria-invalid={errors ? true : undefined}
                                aria-describedby={errors ? errorId : undefined}
                                className={`${inputClass} mt-1`}
                                aria-label={`Nouvelle échéance pour ${h.person}`}
                              />
                            </label>
                            <button type="submit" className={secondaryButtonClass}>
                              Renouveler
                            </button>
                            {errors ? (
                              <p id={errorId} role="alert" className="w-full text-sm text-red-700">
                                {errors.join(" ")}
                              </p>
                            ) : null}
                          </Form>
                        ) : (
                          <span className="text-xs text-slate-500">Renouvelée</span>
                        )}
                      </td>
                    </tr>
                  );
                }), HABILITATION_COLUMNS)}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="create-title" className={sectionClass}>
        <h2 id="create-title" className="text-lg font-semibold">
          Habiliter une personne
        </h2>
        <Form method="post" className="mt-3 space-y-2" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="create" />
          <ErrorList id={form.errorId} errors={form.errors} />
          <div className="grid gap-x-4 md:grid-cols-2">
            <Field label="Personne" errorId={fields.userId.errorId} errors={fields.userId.errors}>
              <OptionSelect field={fields.userId} options={people} />
            </Field>
            <Field label="Certification" errorId={fields.certificationId.errorId} errors={fields.certificationId.errors}>
              <OptionSelect field={fields.certificationId} options={certifications} />
            </Field>
            <Field label="Valable du" errorId={fields.validFrom.errorId} errors={fields.validFrom.errors}>
              <input {...getInputProps(fields.validFrom, { type: "date" })} className={inputClass} />
            </Field>
            <Field label="Valable jusqu'au (inclus)" errorId={fields.validUntil.errorId} errors={fields.validUntil.errors}>
              <input {...getInputProps(fields.validUntil, { type: "date" })} className={inputClass} />
            </Field>
          </div>
          <button type="submit" className={primaryButtonClass} disabled={creating}>
            {creating ? "Enregistrement…" : "Enregistrer l'habilitation"}
          </button>
        </Form>
      </section>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
