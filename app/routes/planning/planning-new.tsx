import { formErrorMap } from "~/domain/form-choice";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useFormResult } from "~/components/form";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { addDays, DEFAULT_PHASE_DURATIONS, parisDateKey, sessionCreateSchema } from "~/domain/planning";
import { listPlanningOptions } from "~/back-office/planning/list-planning-options.server";
import { planSession } from "~/back-office/planning/plan-session.server";
import { SessionDetailsForm } from "../../components/planning/planning-form";
import { Breadcrumb } from "~/components/breadcrumb";
import { readForm } from "~/platform/http/read-form.server";
import { newSubmissionKey, submissionKeyOf } from "~/platform/http/submission-key.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Planifier une session — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:planning");
  const options = await listPlanningOptions(access.organisationId);
  return { ...options, defaultDate: addDays(parisDateKey(new Date()), 21), submissionKey: newSubmissionKey() };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:planning");
  const form = await readForm(args.request);
  const submission = parseWithZod(form, { schema: sessionCreateSchema, errorMap: formErrorMap });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await planSession(
    submission.value,
    { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) },
    { submissionKey: submissionKeyOf(form) },
  );
  if (!result.ok) {
    return data(submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }), { status: 400 });
  }
  return redirect(`/sessions/${result.sessionId}/planning`);
}

export default function PlanSession() {
  const { certifications, defaultDate, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useFormResult<typeof action>();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Breadcrumb items={[{ to: "/sessions", label: "Sessions" }, { label: "Planifier" }]} />
      <h1 className="text-2xl font-semibold text-brand-900">Planifier une session</h1>
      {certifications.length === 0 ? (
        <p className="rounded border border-slate-200 bg-white p-4 text-slate-700">
          Aucune certification n'est encore enregistrée pour votre organisation : créez-en une avant de planifier une
          session.
        </p>
      ) : (
        <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <SessionDetailsForm
            lastResult={lastResult}
            certifications={certifications}
            defaults={{
              kind: "COMMISSION",
              date: defaultDate,
              startTime: "09:00",
              endTime: "12:00",
              mode: "remote",
              remoteMeans: "Quorum (visioconférence et grille partagée)",
              phases: DEFAULT_PHASE_DURATIONS,
            }}
            submitLabel="Planifier la session"
            submissionKey={submissionKey}
          />
        </section>
      )}
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
