import { formErrorMap } from "~/domain/form-choice";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { createDraftVersion } from "~/back-office/certifications/create-draft-version.server";
import { getCertification } from "~/back-office/certifications/get-certification.server";
import { updateCertification, CODE_FROZEN } from "~/back-office/certifications/update-certification.server";
import { CERTIFICATION_KIND_LABELS, needsRegistrationCode, registryOf } from "~/domain/certification";
import { describeScheme } from "~/domain/scheme";
import { CertificationForm, certificationDefaults, certificationFormSchema } from "../../components/certifications/certification-form";
import { Breadcrumb } from "~/components/breadcrumb";
import {
  FormErrors,
  Notice,
  VersionBadge,
  formatDay,
  formatMoment,
  secondaryButtonClass,
  sectionClass,
  countOf,
} from "../../components/certifications/certification-ui";
import { readForm } from "~/platform/http/read-form.server";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.certification.title} — Quorum` : "Certification — Quorum" },
];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const certification = await getCertification(access.organisationId, args.params.certificationId ?? "");
  return {
    certification,
    schemeLines: certification.scheme ? describeScheme(certification.scheme) : null,
    codeLocked: certification.versions.length > 0 ? CODE_FROZEN : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const certificationId = args.params.certificationId ?? "";
  const actor = { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) };
  const formData = await readForm(args.request);
  const intent = formData.get("intent");

  if (intent === "new-version") {
    const result = await createDraftVersion(actor, certificationId);
    if (!result.ok) return { intent: "new-version" as const, error: result.formErrors[0] ?? null, identity: null };
    return redirect(`/certifications/${certificationId}/versions/${result.versionId}`);
  }

  const submission = parseWithZod(formData, { schema: certificationFormSchema, errorMap: formErrorMap });
  if (submission.status !== "success") return { intent: "identity" as const, error: null, identity: submission.reply() };
  const result = await updateCertification(actor, certificationId, submission.value);
  if (!result.ok) {
    return {
      intent: "identity" as const,
      error: null,
      identity: submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors }),
    };
  }
  return redirect(`/certifications/${certificationId}?enregistre=1`);
}

export default function CertificationPage() {
  const { certification, schemeLines, codeLocked } = useLoaderData<typeof loader>();
  const actionData = useFormResult<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const creatingVersion = navigation.state === "submitting" && navigation.formData?.get("intent") === "new-version";
  const draft = certification.versions.find((v) => !v.publishedAt) ?? null;
  const base = `/certifications/${certification.id}`;

  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb items={[{ to: "/certifications", label: "Certifications" }, { label: certification.code }]} />
        <h1 className="text-2xl font-semibold text-brand-900">{certification.title}</h1>
        <p className="text-slate-700">
          <span className="font-mono">{certification.code}</span> · {CERTIFICATION_KIND_LABELS[certification.kind]}
          {certification.nationalLevel ? ` · niveau ${certification.nationalLevel}` : ""}
        </p>
        {certification.registrationCode ? (
          <p className="text-slate-700" data-testid="certification-registration">
            Enregistrement RNCP ou RS : <span className="font-mono">{certification.registrationCode}</span>
            {registryOf(certification.registrationCode) ? ` (${registryOf(certification.registrationCode)})` : ""}
          </p>
        ) : needsRegistrationCode(certification.code) ? (
          <p className="text-slate-700" data-testid="certification-registration">
            Enregistrement RNCP ou RS : non renseigné —{" "}
            <a href="#certification-registrationCode" className="text-brand-700 hover:underline">
              le saisir dans l'identité de la certification
            </a>
          </p>
        ) : null}
      </div>
      {searchParams.get("cree") ? <Notice>Certification créée. Définissez ses règles d'évaluation et son référentiel.</Notice> : null}
      {searchParams.get("enregistre") ? <Notice>Modifications enregistrées.</Notice> : null}
      {searchParams.get("regles") ? <Notice>Règles d'évaluation enregistrées.</Notice> : null}
      {searchParams.get("brouillonSupprime") ? <Notice>Brouillon du référentiel supprimé.</Notice> : null}

      <section aria-labelledby="versions-title" className={sectionClass}>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="versions-title" className="text-lg font-semibold">
            Référentiel
          </h2>
          <div className="flex flex-wrap gap-2">
            <Form method="post">
              <input type="hidden" name="intent" value="new-version" />
              <button type="submit" className={secondaryButtonClass} disabled={creatingVersion || draft !== null}>
                {creatingVersion ? "Création…" : "Nouvelle version (copie de la dernière)"}
              </button>
            </Form>
            <Link to={`${base}/import`} className={secondaryButtonClass}>
              Importer un fichier JSON
            </Link>
          </div>
        </div>
        {draft ? (
          <p className="mt-2 text-sm text-slate-600">
            Un brouillon (version {draft.version}) est en cours : publiez-le ou supprimez-le avant d'en créer un autre.
          </p>
        ) : null}
        {actionData?.intent === "new-version" ? <FormErrors errors={actionData.error ? [actionData.error] : null} /> : null}
        {certification.versions.length === 0 ? (
          <p className="mt-3 text-slate-700">
            Aucune version du référentiel. Créez une version vide à compléter, ou importez un fichier.
          </p>
        ) : (
          <table className="mt-3 w-full text-left text-sm">
            <caption className="sr-only">Versions du référentiel</caption>
            <thead className="border-b border-slate-200 text-slate-700">
              <tr>
                <th scope="col" className="py-2 pr-4 font-semibold">
                  Version
                </th>
                <th scope="col" className="py-2 pr-4 font-semibold">
                  État
                </th>
                <th scope="col" className="py-2 pr-4 font-semibold">
                  Blocs
                </th>
                <th scope="col" className="py-2 pr-4 font-semibold">
                  Utilisée par
                </th>
                <th scope="col" className="py-2 font-semibold">
                  Export
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {certification.versions.map((v) => (
                <tr key={v.id}>
                  <td className="py-2 pr-4">
                    <Link to={`${base}/versions/${v.id}`} className="font-medium text-brand-700 hover:underline">
                      Version {v.version}
                    </Link>
                  </td>
                  <td className="py-2 pr-4">
                    <VersionBadge publishedAt={v.publishedAt} />{" "}
                    <span className="text-slate-600">
                      {v.publishedAt ? `le ${formatDay(v.publishedAt)}` : `créé le ${formatMoment(v.createdAt)}`}
                    </span>
                  </td>
                  <td className="py-2 pr-4 text-slate-700">{v._count.blocs}</td>
                  <td className="py-2 pr-4 text-slate-700">
                    {countOf(v._count.sessions, "session")}, {countOf(v._count.dossiers, "dossier")}
                  </td>
                  <td className="py-2">
                    <a href={`${base}/versions/${v.id}/export`} className="text-brand-700 underline" download>
                      JSON
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="scheme-title" className={sectionClass}>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="scheme-title" className="text-lg font-semibold">
            Règles d'évaluation
          </h2>
          <Link to={`${base}/scheme`} className={secondaryButtonClass}>
            Modifier les règles
          </Link>
        </div>
        {schemeLines ? (
          <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm md:grid-cols-[14rem_1fr]">
            {schemeLines.map((line) => (
              <div key={line.label} className="contents">
                <dt className="font-medium text-slate-700">{line.label}</dt>
                <dd className="text-slate-900">{line.value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <div role="alert" className="mt-3 rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            <p>Les règles enregistrées sont invalides ; enregistrez-les de nouveau :</p>
            <ul className="list-disc pl-5">
              {certification.schemeIssues.map((issue) => (
                <li key={`${issue.path}-${issue.message}`}>
                  {issue.path} : {issue.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section aria-labelledby="identity-title" className={sectionClass}>
        <h2 id="identity-title" className="text-lg font-semibold">
          Identité de la certification
        </h2>
        <p className="mb-3 text-sm text-slate-600">
          Mentions obligatoires des parchemins
          {certification.decisionDate ? ` · décision de France Compétences du ${formatDay(certification.decisionDate)}` : ""}.
        </p>
        <CertificationForm
          lastResult={actionData?.intent === "identity" ? actionData.identity : undefined}
          defaultValue={certificationDefaults(certification)}
          submitLabel="Enregistrer"
          codeLocked={codeLocked ?? undefined}
        />
      </section>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
