import { formErrorMap } from "~/domain/form-choice";
import { getCollectionProps, getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { SubmissionKeyField } from "~/components/submission-key-field";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { z } from "zod";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { CommissionResult } from "~/components/signing/commission-result";
import { getCandidate } from "~/back-office/candidates/get-candidate.server";
import { listDossierJuries } from "~/back-office/dossiers/list-dossier-juries.server";
import { DossierJuries } from "~/components/jury/dossier-juries";
import { inputClass, primaryButtonClass } from "~/components/field";
import { DOSSIER_ROUTE_LABELS, DOSSIER_ROUTES, type DossierRoute, type DossierStatus } from "~/domain/completeness";
import { candidateName, formatDateFr, IDENTITY_GAP_LABELS, identityGaps, SEX_LABELS } from "~/domain/identity";
import { createDossier } from "~/back-office/dossiers/create-dossier.server";
import { listCertificationOptions } from "~/back-office/certifications/list-certification-options.server";
import { DossierStatusBadge, FormErrors, sectionClass, secondaryButtonClass } from "../../components/candidates/dossier-ui";
import { readForm } from "~/platform/http/read-form.server";
import { newSubmissionKey, submissionKeyOf } from "~/platform/http/submission-key.server";
import { getCandidateDelivery } from "~/delivery/record-views.server";
import { candidateHolderDeclarations } from "~/archive/cdc/holder-declarations.server";
import { recordDeclaration } from "~/archive/cdc/declaration-status";
import type { RecordDeclarationView } from "~/components/delivery/declaration-status";
import { CandidateAcquisitions } from "~/components/delivery/candidate-acquisitions";
import { RouteErrorBoundary } from "~/components/route-error";
import { formatParisLongDate } from "~/domain/paris-date";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${candidateName(data.candidate)} — Quorum` : "Candidat — Quorum" },
];

const newDossierSchema = z.object({
  certificationId: z.string({ required_error: "Choisissez la certification visée." }),
  route: z.enum(DOSSIER_ROUTES, { errorMap: () => ({ message: "Choisissez le parcours : formation, VAE ou blocs." }) }),
});

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "read:candidate", { candidate: args.params.candidateId ?? "" });
  const candidate = await getCandidate(access.organisationId, args.params.candidateId ?? "");
  const [juries, certifications, delivery, holders] = await Promise.all([
    listDossierJuries(access.organisationId, candidate.dossiers.map((d) => d.id)),
    listCertificationOptions(access.organisationId),
    getCandidateDelivery(access.organisationId, candidate.id, new Date(), candidate.dossiers),
    candidateHolderDeclarations(access.organisationId, candidate.id),
  ]);
  // Per record, where its holder's declaration to the Caisse des Dépôts stands (the declarations page's own status).
  const declarations: Record<string, RecordDeclarationView> = Object.fromEntries(
    delivery.records.flatMap((r): Array<[string, RecordDeclarationView]> => {
      const holder = holders.find((h) => h.decisionId === r.decisionId) ?? null;
      const said = recordDeclaration({ kind: r.kind, duplicate: r.duplicate, revoked: r.revokedAt !== null }, holder);
      if (!said) return [];
      if (said.kind === "none") return [[r.id, said]];
      const { status, gaps, candidateId, certificationId, record, exportedAt } = said.holder;
      return [[r.id, { kind: "holder", status, gaps, candidateId, certificationId, idFlux: record?.idFlux ?? null, exportedAt: exportedAt?.toISOString() ?? null }]];
    }),
  );
  return {
    candidate,
    juries,
    gaps: identityGaps(candidate).map((g) => IDENTITY_GAP_LABELS[g]),
    certifications,
    delivery,
    declarations,
    canManageRecords: access.role === "ADMIN" || access.role === "SECRETARIAT",
    submissionKey: newSubmissionKey(),
  };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:dossier", { candidate: args.params.candidateId ?? "" });
  const form = await readForm(args.request);
  const submission = parseWithZod(form, { schema: newDossierSchema, errorMap: formErrorMap });
  if (submission.status !== "success") return submission.reply();
  const result = await createDossier(
    { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) },
    { candidateId: args.params.candidateId ?? "", ...submission.value },
    submissionKeyOf(form),
  );
  if (!result.ok) return submission.reply({ formErrors: result.formErrors, fieldErrors: result.fieldErrors });
  return redirect(`/dossiers/${result.dossierId}`);
}

function Detail({ label, value }: { label: string; value: string | null | undefined }) {
  return (
    <div>
      <dt className="text-sm text-slate-600">{label}</dt>
      <dd className="whitespace-pre-line font-medium">{value ? value : <span className="font-normal text-slate-500">non renseigné</span>}</dd>
    </div>
  );
}

export default function CandidatePage() {
  const { candidate, gaps, certifications, juries, delivery, declarations, canManageRecords, submissionKey } = useLoaderData<typeof loader>();
  const lastResult = useFormResult<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "new-dossier",
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newDossierSchema }),
  });
  const name = candidateName(candidate);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm text-slate-600">
            <Link to="/candidates" className="underline">
              Candidats
            </Link>{" "}
            / {name}
          </p>
          <h1 className="text-2xl font-semibold text-brand-900">{name}</h1>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Link to={`/archives?candidat=${candidate.id}`} className="text-sm text-brand-700 underline" data-testid="candidate-archive-link">
            Documents signés et délivrés (archives)
          </Link>
          <Link to={`/candidates/${candidate.id}/edit`} className={secondaryButtonClass}>
            Modifier le candidat
          </Link>
        </div>
      </div>

      <section aria-labelledby="identity-title" className={sectionClass}>
        <h2 id="identity-title" className="text-lg font-semibold">
          Identité
        </h2>
        {gaps.length > 0 ? (
          <p role="note" className="mt-2 rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            Identité incomplète pour la Caisse des Dépôts : {gaps.join(", ")}.
          </p>
        ) : null}
        <dl className="mt-3 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <Detail label="Nom de naissance" value={candidate.birthName} />
          <Detail label="Nom d'usage" value={candidate.usageName} />
          <Detail label="Prénoms" value={candidate.givenNames} />
          <Detail label="Sexe" value={candidate.sex === "F" || candidate.sex === "M" ? SEX_LABELS[candidate.sex] : null} />
          <Detail label="Date de naissance" value={candidate.birthDate ? formatDateFr(candidate.birthDate) : null} />
          <Detail label="Lieu de naissance" value={candidate.birthPlace ?? candidate.birthCountry} />
          <Detail label="Code INSEE de naissance" value={candidate.birthCode} />
          <Detail label="Adresse e-mail" value={candidate.email} />
          <Detail label="Téléphone" value={candidate.phone} />
          <Detail label="Adresse postale" value={candidate.postalAddress} />
          <Detail label="Employeur" value={candidate.employer} />
          <Detail
            label="Formateur"
            value={[candidate.trainer?.displayName, candidate.trainerName].filter(Boolean).join(" — ") || null}
          />
        </dl>
      </section>

      <CandidateAcquisitions delivery={delivery} declarations={declarations} canManage={canManageRecords} submissionKey={submissionKey} />

      <section aria-labelledby="dossiers-title" className={sectionClass}>
        <h2 id="dossiers-title" className="text-lg font-semibold">
          Dossiers
        </h2>
        {candidate.dossiers.length === 0 ? (
          <p className="mt-2 text-slate-600">Aucun dossier pour ce candidat.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-200">
            {candidate.dossiers.map((d) => (
              <li key={d.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
                <div className="min-w-0 flex-1 space-y-2">
                  <Link to={`/dossiers/${d.id}`} className="font-medium text-brand-700 hover:underline">
                    {d.certification.title} ({d.certification.code})
                  </Link>
                  <p className="text-sm text-slate-600">
                    {DOSSIER_ROUTE_LABELS[d.route as DossierRoute]} · référentiel version {d.referentialVersion.version} ·
                    ouvert le {formatParisLongDate(d.createdAt)}
                  </p>
                  {d.commission ? <CommissionResult result={d.commission} /> : null}
                  <DossierJuries juries={juries[d.id] ?? []} />
                </div>
                <DossierStatusBadge status={d.status as DossierStatus} />
              </li>
            ))}
          </ul>
        )}

        <h3 className="mt-6 font-semibold">Ouvrir un dossier</h3>
        <Form method="post" className="mt-2 space-y-3" {...getFormProps(form)}>
          <SubmissionKeyField value={submissionKey} />
          <FormErrors id={form.errorId} errors={form.errors} />
          <div className="grid gap-4 md:grid-cols-2">
            <div className="flex flex-col gap-1">
              <label htmlFor={fields.certificationId.id} className="text-sm font-medium text-slate-800">
                Certification visée
              </label>
              <select {...getSelectProps(fields.certificationId)} className={inputClass}>
                <option value="">— Choisir —</option>
                {certifications.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.title} ({c.code}){c.publishedVersion === null ? " — aucune version publiée" : ` — version ${c.publishedVersion}`}
                  </option>
                ))}
              </select>
              <p id={fields.certificationId.errorId} className="min-h-5 text-sm text-red-700" aria-live="polite">
                {fields.certificationId.errors?.[0] ?? ""}
              </p>
            </div>
            <fieldset>
              <legend className="text-sm font-medium text-slate-800">Parcours</legend>
              <div className="mt-1 flex flex-col gap-1">
                {getCollectionProps(fields.route, { type: "radio", options: [...DOSSIER_ROUTES] }).map(({ key, ...props }) => (
                  <label key={key} className="flex items-center gap-2 text-sm">
                    <input {...props} />
                    {DOSSIER_ROUTE_LABELS[props.value as DossierRoute]}
                  </label>
                ))}
              </div>
              <p id={fields.route.errorId} className="min-h-5 text-sm text-red-700" aria-live="polite">
                {fields.route.errors?.[0] ?? ""}
              </p>
            </fieldset>
          </div>
          <p className="text-sm text-slate-600">
            Le dossier est rattaché à la dernière version publiée du référentiel ; une version publiée plus tard ne le
            modifie pas.
          </p>
          <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
            Ouvrir le dossier
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
