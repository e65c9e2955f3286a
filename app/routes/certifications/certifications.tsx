import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { inputClass } from "~/components/field";
import { secondaryButtonClass } from "~/components/candidates/dossier-ui";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { listCertifications } from "~/back-office/certifications/list-certifications.server";
import { primaryButtonClass } from "~/components/field";
import { ListTable } from "~/components/list-table";
import { CERTIFICATION_KIND_SHORT_LABELS } from "~/domain/certification";
import { formatDay } from "../../components/certifications/certification-ui";

export const meta: MetaFunction = () => [{ title: "Certifications — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification");
  const query = (new URL(args.request.url).searchParams.get("q") ?? "").slice(0, 100);
  return { certifications: await listCertifications(access.organisationId, query), query, organisationName: access.organisationName };
}

export default function Certifications() {
  const { certifications, query, organisationName } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold text-brand-900">Certifications</h1>
          <p className="text-sm text-slate-600">
            {organisationName} · {certifications.length} certification{certifications.length > 1 ? "s" : ""}, leurs
            règles d'évaluation et leurs référentiels versionnés
          </p>
        </div>
        <Link to="/certifications/new" className={primaryButtonClass}>
          Nouvelle certification
        </Link>
      </div>
      <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <label className="flex-1 text-sm font-medium text-slate-800">
          Rechercher une certification
          <input type="search" name="q" defaultValue={query} placeholder="Intitulé, code ou n° RNCP / RS" className={`${inputClass} mt-1`} />
        </label>
        <button type="submit" className={secondaryButtonClass}>
          Rechercher
        </button>
      </Form>
      <ListTable
        caption="Certifications de l'organisation"
        columns={["Intitulé", "Code", "Type", "Niveau", "Référentiel"]}
        empty={
          certifications.length === 0
            ? query
              ? `Aucune certification ne correspond à « ${query} ».`
              : "Aucune certification pour le moment. Créez-en une, puis importez ou saisissez son référentiel."
            : null
        }
      >
        {certifications.map((c) => (
          <tr key={c.id}>
            <td className="px-4 py-2">
              <Link to={`/certifications/${c.id}`} className="font-medium text-brand-700 hover:underline">
                {c.title}
              </Link>
            </td>
            <td className="px-4 py-2 font-mono text-slate-700">
              {c.code}
              {c.registrationCode ? <span className="block text-xs text-slate-600">Enregistrement : {c.registrationCode}</span> : null}
            </td>
            <td className="px-4 py-2 text-slate-700">{CERTIFICATION_KIND_SHORT_LABELS[c.kind]}</td>
            <td className="px-4 py-2 text-slate-700">{c.nationalLevel ?? "—"}</td>
            <td className="px-4 py-2 text-slate-700">
              {c.latestPublished ? (
                <span>
                  version {c.latestPublished.version} publiée le {formatDay(c.latestPublished.publishedAt!)}
                </span>
              ) : (
                <span className="text-slate-500">aucune version publiée</span>
              )}
              {c.draft ? <span className="ml-2 text-amber-800">· brouillon v{c.draft.version} en cours</span> : null}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
