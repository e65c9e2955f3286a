import { formErrorMap } from "~/domain/form-choice";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useFormResult } from "~/components/form";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { createCertification } from "~/back-office/certifications/create-certification.server";
import { CertificationForm, certificationFormSchema } from "../../components/certifications/certification-form";
import { Breadcrumb } from "~/components/breadcrumb";
import { sectionClass } from "../../components/certifications/certification-ui";
import { readForm } from "~/platform/http/read-form.server";
import { newSubmissionKey, submissionKeyOf } from "~/platform/http/submission-key.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Nouvelle certification — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireOrgPermission(args, "write:certification");
  return { submissionKey: newSubmissionKey() };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification");
  const form = await readForm(args.request);
  const submission = parseWithZod(form, { schema: certificationFormSchema, errorMap: formErrorMap });
  if (submission.status !== "success") return submission.reply();
  const result = await createCertification(
    { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) },
    submission.value,
    submissionKeyOf(form),
  );
  if (!result.ok) return submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors });
  return redirect(`/certifications/${result.certificationId}?cree=1`);
}

export default function NewCertification() {
  const lastResult = useFormResult<typeof action>();
  const { submissionKey } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb items={[{ to: "/certifications", label: "Certifications" }, { label: "Nouvelle" }]} />
        <h1 className="text-2xl font-semibold text-brand-900">Nouvelle certification</h1>
        <p className="text-sm text-slate-600">
          Les mentions qui figureront sur les parchemins et attestations. Les règles d'évaluation partent des usages du
          type choisi ; vous les ajusterez ensuite.
        </p>
      </div>
      <section className={sectionClass}>
        <CertificationForm lastResult={lastResult} submitLabel="Créer la certification" submissionKey={submissionKey} />
      </section>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
