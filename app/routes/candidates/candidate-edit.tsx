import { parseWithZod } from "@conform-to/zod";
import { formErrorMap } from "~/domain/form-choice";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useFormResult } from "~/components/form";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { getCandidate } from "~/back-office/candidates/get-candidate.server";
import { listTrainerOptions } from "~/back-office/candidates/list-trainer-options.server";
import { updateCandidate } from "~/back-office/candidates/update-candidate.server";
import { candidateFormDefaults, candidateFormSchema, candidateName, isoDateInParis } from "~/domain/identity";
import { CandidateForm, refusedCandidateForm } from "../../components/candidates/candidate-form";
import { Breadcrumb } from "~/components/breadcrumb";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Modifier ${candidateName(data.candidate)} — Quorum` : "Modifier un candidat — Quorum" },
];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:candidate", { candidate: args.params.candidateId ?? "" });
  const candidate = await getCandidate(access.organisationId, args.params.candidateId ?? "");
  return { candidate, defaults: candidateFormDefaults(candidate), trainers: await listTrainerOptions(access.organisationId) };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:candidate", { candidate: args.params.candidateId ?? "" });
  const submission = parseWithZod(await readForm(args.request), {
    schema: candidateFormSchema(isoDateInParis(new Date())),
    errorMap: formErrorMap,
  });
  if (submission.status !== "success") return submission.reply();
  const candidateId = args.params.candidateId ?? "";
  const result = await updateCandidate(
    { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) },
    candidateId,
    submission.value,
  );
  if (!result.ok) return refusedCandidateForm(submission, result);
  return redirect(`/candidates/${candidateId}`);
}

export default function EditCandidate() {
  const { candidate, defaults, trainers } = useLoaderData<typeof loader>();
  const lastResult = useFormResult<typeof action>();
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <Breadcrumb
        items={[
          { to: "/candidates", label: "Candidats" },
          { to: `/candidates/${candidate.id}`, label: candidateName(candidate) },
          { label: "Modifier" },
        ]}
      />
      <h1 className="text-2xl font-semibold text-brand-900">Modifier le candidat</h1>
      <CandidateForm lastResult={lastResult} defaultValue={defaults} trainers={trainers} submitLabel="Enregistrer les modifications" />
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
