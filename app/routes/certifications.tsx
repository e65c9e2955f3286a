import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireOrgPermission } from "~/auth/guards.server";
import { listCertifications } from "~/certifications/list-certifications.server";
import { primaryButtonClass } from "~/components/field";
import { CERTIFICATION_KIND_SHORT_LABELS } from "~/domain/certification";
import { formatDay } from "./certification-ui";

export const meta: MetaFunction = () => [{ title: "Certifications — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "write:certification");
  return { certifications: await listCertifications(access.organisationId), organisationName: access.organisationName };
}

export default function Certifications() {
  const { certifications, organisationName } = useLoaderData<typeof loader>();
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
      {certifications.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">
          Aucune certification pour le moment. Créez-en une, puis importez ou saisissez son référentiel.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Certifications de l'organisation</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Intitulé
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Code
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Type
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Niveau
                </th>
                <th scope="col" className="px-4 py-2 font-semibold">
                  Référentiel
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {certifications.map((c) => (
                <tr key={c.id}>
                  <td className="px-4 py-2">
                    <Link to={`/certifications/${c.id}`} className="font-medium text-brand-700 hover:underline">
                      {c.title}
                    </Link>
                  </td>
                  <td className="px-4 py-2 font-mono text-slate-700">{c.code}</td>
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
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
