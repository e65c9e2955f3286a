import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { unknownFilterNotice } from "~/domain/safe-text";
import { Form } from "~/components/form";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { listCandidates } from "~/back-office/candidates/list-candidates.server";
import { expiringPartialValidations, listAppealsAwaitingJury, listIncompleteDossiers } from "~/back-office/desk/list-desk-items.server";
import { ListTable } from "~/components/list-table";
import { inputClass, primaryButtonClass } from "~/components/field";
import { AllOrOneOptions, SearchSubmit } from "~/components/search-form";
import { DOSSIER_STATUS_LABELS, DOSSIER_STATUSES, type DossierStatus } from "~/domain/completeness";
import { candidateName, formatDateFr } from "~/domain/identity";
import { formatLongDay } from "~/domain/paris-date";
import { DossierStatusBadge } from "../../components/candidates/dossier-ui";

export const meta: MetaFunction = () => [{ title: "Candidats — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "read:candidate");
  const url = new URL(args.request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const statusParam = url.searchParams.get("statut");
  const status = (DOSSIER_STATUSES as readonly string[]).includes(statusParam ?? "") ? (statusParam as DossierStatus) : null;
  const filtre = url.searchParams.get("filtre");
  const incomplete = filtre === "incomplets" ? await listIncompleteDossiers(access.organisationId) : null;
  const partials = filtre === "validations-partielles" ? await expiringPartialValidations(access.organisationId) : null;
  const appeals = filtre === "recours" ? await listAppealsAwaitingJury(access.organisationId) : null;
  const candidateIds =
    incomplete?.map((d) => d.candidateId) ??
    partials?.map((d) => d.candidateId) ??
    appeals?.flatMap((a) => (a.candidateId ? [a.candidateId] : [])) ??
    null;
  const result = await listCandidates(access.organisationId, { query, status, candidateIds }, Number(url.searchParams.get("page")));
  const partialNotes = Object.fromEntries(
    (partials ?? []).map((p) => [p.candidateId, `${p.certificationCode} : validation partielle (${p.blocs.filter((b) => b.acquired).map((b) => b.code).join(", ")}) valable jusqu'au ${formatLongDay(p.partialValidUntil!)}`]),
  );
  const missing = Object.fromEntries((incomplete ?? []).map((d) => [d.dossierId, d.missing]));
  const notices = [
    ...(filtre && incomplete === null && partials === null && appeals === null ? [unknownFilterNotice(filtre, "tous les candidats sont affichés")] : []),
    ...(statusParam && status === null ? [unknownFilterNotice(statusParam, "les dossiers de tous statuts sont affichés", "statut")] : []),
  ];
  return { ...result, query, status, incomplete: incomplete !== null, partials: partials !== null, appeals: appeals !== null, partialNotes, missing, organisationName: access.organisationName, filtre, notices };
}

export default function Candidates() {
  const { candidates, matching, total, counts, query, status, incomplete, partials, appeals, partialNotes, missing, organisationName, page, pageCount, filtre, notices } =
    useLoaderData<typeof loader>();
  const pageLink = (n: number) => {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (status) params.set("statut", status);
    if (filtre && (incomplete || partials || appeals)) params.set("filtre", filtre);
    params.set("page", String(n));
    return `/candidates?${params.toString()}`;
  };
  const filtered = query !== "" || status !== null || incomplete || partials || appeals;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold text-brand-900">Candidats</h1>
          <p className="text-sm text-slate-600">
            {organisationName} · {total} candidat{total > 1 ? "s" : ""}
          </p>
        </div>
        <Link to="/candidates/new" className={primaryButtonClass}>
          Nouveau candidat
        </Link>
      </div>

      <section aria-labelledby="counts-title">
        <h2 id="counts-title" className="mb-2 text-sm font-semibold text-slate-700">
          Dossiers par statut
        </h2>
        <ul className="flex flex-wrap gap-2 text-sm" data-testid="status-counts">
          {DOSSIER_STATUSES.map((s) => (
            <li key={s}>
              <Link
                to={s === status ? "/candidates" : `/candidates?statut=${s}`}
                aria-current={s === status ? "true" : undefined}
                className="inline-flex items-center gap-2 rounded-full border border-slate-200 bg-white px-3 py-1 hover:bg-slate-100 aria-[current=true]:border-brand-600 aria-[current=true]:bg-brand-50"
              >
                {DOSSIER_STATUS_LABELS[s]} <span className="font-semibold">{counts[s]}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      {notices.map((notice) => (
        <p key={notice} role="status" className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="candidates-notice">
          {notice}
        </p>
      ))}
      {incomplete ? (
        <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="filter-incomplete">
          Filtre : candidats dont un dossier en cours est incomplet ({candidates.length}).
        </p>
      ) : null}
      {partials ? (
        <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="filter-partials">
          Filtre : validations partielles expirant dans les 90 jours ({candidates.length}).
        </p>
      ) : null}
      {appeals ? (
        <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="filter-appeals">
          Filtre : candidats dont un recours attend un jury ({candidates.length}).
        </p>
      ) : null}
      <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
        {incomplete ? <input type="hidden" name="filtre" value="incomplets" /> : null}
        {partials ? <input type="hidden" name="filtre" value="validations-partielles" /> : null}
        {appeals ? <input type="hidden" name="filtre" value="recours" /> : null}
        <label className="flex-1 text-sm font-medium text-slate-800">
          Rechercher par nom
          <input type="search" name="q" defaultValue={query} placeholder="Nom ou prénom" className={`${inputClass} mt-1`} />
        </label>
        <label className="text-sm font-medium text-slate-800">
          Statut d'un dossier
          <select name="statut" defaultValue={status ?? ""} className={`${inputClass} mt-1`}>
            <AllOrOneOptions values={DOSSIER_STATUSES} labels={DOSSIER_STATUS_LABELS} />
          </select>
        </label>
        <SearchSubmit clearTo={filtered ? "/candidates" : null} />
      </Form>

      <ListTable
        caption="Candidats de l'organisation et leurs dossiers"
        columns={["Nom", "Naissance", "Employeur", "Dossiers"]}
        empty={
          candidates.length === 0
            ? filtered
              ? "Aucun candidat ne correspond à votre recherche."
              : "Aucun candidat enregistré pour le moment."
            : null
        }
      >
        {candidates.map((c) => (
          <tr key={c.id}>
            <td className="px-4 py-2">
              <Link to={`/candidates/${c.id}`} className="font-medium text-brand-700 hover:underline">
                {candidateName(c)}
              </Link>
            </td>
            <td className="px-4 py-2 text-slate-700">{c.birthDate ? formatDateFr(c.birthDate) : "—"}</td>
            <td className="px-4 py-2 text-slate-700">{c.employer ?? "—"}</td>
            <td className="px-4 py-2">
              {partialNotes[c.id] ? <p className="mb-1 text-xs text-amber-800">{partialNotes[c.id]}</p> : null}
              {c.dossiers.length === 0 ? (
                <span className="text-slate-500">Aucun dossier</span>
              ) : (
                <ul className="space-y-1">
                  {c.dossiers.map((d) => (
                    <li key={d.id} className="flex flex-wrap items-center gap-2">
                      <Link to={`/dossiers/${d.id}`} className="text-brand-700 hover:underline" title={d.certification.title}>
                        {d.certification.code}
                      </Link>
                      <DossierStatusBadge status={d.status as DossierStatus} />
                      {missing[d.id] ? <span className="text-xs text-amber-800">Manque : {missing[d.id].join(" ; ")}</span> : null}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
      {pageCount > 1 ? (
        <nav aria-label="Pages" className="flex items-center gap-4 text-sm">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Précédente</Link> : null}
          <span>
            Page {page} sur {pageCount} ({matching} candidat{matching > 1 ? "s" : ""})
          </span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>Suivante →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
