import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData, useNavigation } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { getCertification } from "~/back-office/certifications/get-certification.server";
import { importErrorsOf, importReferential } from "~/back-office/certifications/import-referential.server";
import { primaryButtonClass } from "~/components/field";
import { formatImportError, MAX_IMPORT_BYTES, type ImportError } from "~/domain/referential-import";
import { Breadcrumb } from "~/components/breadcrumb";
import { sectionClass } from "../../components/certifications/certification-ui";
import { readForm } from "~/platform/http/read-form.server";
import { FileSizeError, useFileSizeLimit } from "~/components/file-size-limit";
import { RouteErrorBoundary } from "~/components/route-error";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `Importer un référentiel — ${d.certification.title} — Quorum` : "Importer un référentiel — Quorum" },
];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const certification = await getCertification(access.organisationId, args.params.certificationId ?? "");
  const draft = certification.versions.find((v) => !v.publishedAt) ?? null;
  return {
    certification: { id: certification.id, code: certification.code, title: certification.title },
    draftVersion: draft?.version ?? null,
  };
}

type ImportFeedback = { fileName: string | null; errors: ImportError[] };
const TOO_LARGE = `le fichier dépasse ${MAX_IMPORT_BYTES / 1_000_000} Mo, la taille maximale d'un référentiel`;
const refuse = (fileName: string | null, message: string, status = 400) =>
  data<ImportFeedback>({ fileName, errors: [{ path: "", message }] }, { status });

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification", { certification: args.params.certificationId ?? "" });
  const certificationId = args.params.certificationId ?? "";
  const length = Number(args.request.headers.get("content-length") ?? "0");
  if (length > MAX_IMPORT_BYTES + 64_000) {
    return refuse(null, TOO_LARGE, 413);
  }
  const formData = await readForm(args.request);
  const file = formData.get("file");
  if (!(file instanceof File) || file.size === 0) return refuse(null, "choisissez un fichier JSON à importer");
  if (file.size > MAX_IMPORT_BYTES) return refuse(file.name, TOO_LARGE, 413);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    return refuse(file.name, "le fichier n'est pas un texte UTF-8 (un export JSON de Quorum est attendu)");
  }
  const result = await importReferential(
    { organisationId: access.organisationId, userId: access.user.id, ...auditMeta(args.request, args.context) },
    certificationId,
    { name: file.name, text },
  );
  if (!result.ok) return data<ImportFeedback>({ fileName: file.name, errors: importErrorsOf(result) }, { status: 400 });
  return redirect(`/certifications/${certificationId}/versions/${result.versionId}?importee=1`);
}

export default function ImportReferential() {
  const { certification, draftVersion } = useLoaderData<typeof loader>();
  const feedback = useFormResult<typeof action>() as ImportFeedback | undefined;
  const navigation = useNavigation();
  const fileLimit = useFileSizeLimit(MAX_IMPORT_BYTES, `Le fichier dépasse ${MAX_IMPORT_BYTES / 1_000_000} Mo, la taille maximale d'un référentiel : choisissez un autre fichier.`);
  const base = `/certifications/${certification.id}`;
  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb
          items={[
            { to: "/certifications", label: "Certifications" },
            { to: base, label: certification.code },
            { label: "Importer un référentiel" },
          ]}
        />
        <h1 className="text-2xl font-semibold text-brand-900">Importer un référentiel</h1>
        <p className="text-sm text-slate-600">
          {certification.title} — le fichier devient une nouvelle version en brouillon, à vérifier puis publier. Un
          fichier invalide est refusé en entier, avec la liste de ses erreurs.
        </p>
      </div>

      {feedback?.errors.length ? (
        <div role="alert" aria-labelledby="import-errors-title" className="rounded border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          <h2 id="import-errors-title" className="font-semibold wrap-anywhere">
            Import refusé{feedback.fileName ? ` (${feedback.fileName})` : ""} : {feedback.errors.length} erreur
            {feedback.errors.length > 1 ? "s" : ""}, rien n'a été importé.
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-5" data-testid="import-errors">
            {feedback.errors.map((e, i) => (
              <li key={`${e.path}-${i}`}>
                <code>{formatImportError(e)}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {draftVersion !== null ? (
        <p className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="note">
          La version {draftVersion} est encore un brouillon : publiez-la ou supprimez-la avant d'importer.
        </p>
      ) : null}

      <section className={sectionClass}>
        <Form method="post" encType="multipart/form-data" className="space-y-3">
          <div className="flex flex-col gap-1">
            <label htmlFor="file" className="text-sm font-medium text-slate-800">
              Fichier JSON du référentiel (1 Mo au plus)
            </label>
            <input
              id="file"
              name="file"
              type="file"
              accept="application/json,.json"
              required
              className="text-sm"
              onChange={fileLimit.onChange}
              aria-invalid={fileLimit.error ? true : undefined}
              aria-describedby={fileLimit.error ? "file-size-error" : undefined}
            />
            <FileSizeError id="file-size-error" error={fileLimit.error} />
          </div>
          <button type="submit" className={primaryButtonClass} disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Import…" : "Importer"}
          </button>
        </Form>
      </section>

      <section className={sectionClass} aria-labelledby="format-title">
        <h2 id="format-title" className="text-lg font-semibold">
          Format attendu
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Celui des exports de Quorum (bouton « Exporter en JSON » d'une version). Chaque bloc a un code (
          {certification.code.startsWith("RNCP") ? `${certification.code}BC01…` : "D1, BC01…"}), un intitulé et des
          compétences ; chaque compétence un code unique dans la version, un énoncé, des conditions, des modalités et au
          moins un critère.
        </p>
        <pre className="mt-2 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">{`{
  "format": "quorum-referential",
  "formatVersion": 1,
  "certification": { "code": "${certification.code}" },
  "notes": "Ce qui change dans cette version",
  "blocs": [
    {
      "code": "${certification.code.startsWith("RNCP") ? `${certification.code}BC01` : "BC01"}",
      "title": "Intitulé du bloc",
      "competences": [
        {
          "code": "C1",
          "statement": "Énoncé de la compétence",
          "conditions": "Conditions de réalisation",
          "modalities": ["SITUATION_PROFESSIONNELLE", "GRILLE_TUTEUR"],
          "criteria": [
            { "statement": "Critère observable", "mandatory": true },
            { "statement": "Critère mesurable", "measurable": true, "expected": "Seuil attendu" }
          ]
        }
      ]
    }
  ]
}`}</pre>
        <p className="mt-2 text-sm">
          <Link to={base} className="text-brand-700 underline">
            Revenir à la certification
          </Link>
        </p>
      </section>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
