import { formErrorMap } from "~/domain/form-choice";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useFormResult } from "~/components/form";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { createCandidate } from "~/back-office/candidates/create-candidate.server";
import { listTrainerOptions } from "~/back-office/candidates/list-trainer-options.server";
import { candidateFormSchema, isoDateInParis } from "~/domain/identity";
import { CandidateForm, refusedCandidateForm } from "../../components/candidates/candidate-form";
import { readForm } from "~/platform/http/read-form.server";
import { newSubmissionKey, submissionKeyOf } from "~/platform/http/submission-key.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Nouveau candidat — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:candidate");
  return { trainers: await listTrainerOptions(access.organisationId), submissionKey: newSubmissionKey() };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:candidate");
  const form = await readForm(args.request);
  const submission = parseWithZod(form, { schema: candidateFormSchema(isoDateInParis(new Date())), errorMap: formErrorMap });
  if (submission.status !== "success") return submission.reply();
  const result = await createCandidate(
    { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) },
    submission.value,
    submissionKeyOf(form),
  );
  if (!result.ok) return refusedCandidateForm(submission, result);
  return redirect(`/candidates/${result.candidateId}`);
}

export default function NewCandidate() {
  const { trainers, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useFormResult<typeof action>();
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <p className="text-sm text-slate-600">
        <Link to="/candidates" className="underline">
          Candidats
        </Link>{" "}
        / Nouveau
      </p>
      <h1 className="text-2xl font-semibold text-brand-900">Nouveau candidat</h1>
      <CandidateForm lastResult={lastResult} trainers={trainers} submitLabel="Enregistrer le candidat" submissionKey={submissionKey} />
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
