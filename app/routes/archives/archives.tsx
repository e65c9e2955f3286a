import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgMember } from "~/platform/auth/guards.server";
import { refusalOf } from "~/platform/app-error";
import { searchArchive } from "~/archive/documents/search-archive.server";
import { checkArchivedDocument } from "~/archive/documents/check-archived-document.server";
import { ARCHIVE_KINDS, ARCHIVE_KIND_LABELS } from "~/archive/documents/archive-kinds";
import { ListTable } from "~/components/list-table";
import { inputClass } from "~/components/field";
import { formatDateTime } from "~/components/format";
import { formatDateFr } from "~/domain/identity";
import { secondaryButtonClass } from "~/components/candidates/dossier-ui";

export const meta: MetaFunction = () => [{ title: "Archives — Quorum" }];

const day = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null);

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgMember(args);
  const url = new URL(args.request.url);
  const p = (name: string) => url.searchParams.get(name)?.slice(0, 100) || null;
  const filter = {
    query: p("q") ?? "",
    certificationId: p("certification"),
    sessionId: p("session"),
    kind: p("type"),
    from: day(p("du")),
    to: day(p("au")) ? new Date(day(p("au"))!.getTime() + 86_400_000) : null,
    page: Number(p("page") ?? 1) || 1,
  };
  const viewer = { userId: access.user.id, organisationId: access.organisationId, manages: access.manages };
  const result = await searchArchive(viewer, filter);
  return { ...result, manages: access.manages, params: Object.fromEntries(url.searchParams) };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgMember(args);
  const form = await args.request.formData();
  const documentId = String(form.get("documentId") ?? "");
  const viewer = { userId: access.user.id, organisationId: access.organisationId, manages: access.manages };
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  try {
    const verification = await checkArchivedDocument(viewer, actor, documentId);
    return { documentId, verification };
  } catch (error) {
    const refusal = refusalOf(error);
    return data({ documentId, refusal: refusal.formErrors.join(" ") }, { status: refusal.status });
  }
}

export default function Archives() {
  const { entries, total, page, pageCount, sessions, certifications, retentionYears, params, manages } = useLoaderData<typeof loader>();
  const verified = useActionData<typeof action>();
  const pageLink = (n: number) => `/archives?${new URLSearchParams({ ...params, page: String(n) }).toString()}`;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">Archives</h1>
        <p className="text-sm text-slate-600">
          {manages
            ? "Tous les documents signés ou délivrés de l'organisation."
            : "Les documents des sessions où vous avez siégé."}{" "}
          Les documents ne sont jamais supprimés ; durée de conservation : {retentionYears} ans.
        </p>
      </div>
      <Form method="get" role="search" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3">
        <label className="text-sm font-medium text-slate-800">
          Candidat (nom de naissance, d'usage ou prénom)
          <input type="search" name="q" defaultValue={params.q ?? ""} className={`${inputClass} mt-1`} />
        </label>
        <label className="text-sm font-medium text-slate-800">
          Certification
          <select name="certification" defaultValue={params.certification ?? ""} className={`${inputClass} mt-1`}>
            <option value="">Toutes</option>
            {certifications.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title} ({c.code})
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-800">
          Session
          <select name="session" defaultValue={params.session ?? ""} className={`${inputClass} mt-1`}>
            <option value="">Toutes</option>
            {sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title} — {formatDateFr(s.startsAt)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-800">
          Type de document
          <select name="type" defaultValue={params.type ?? ""} className={`${inputClass} mt-1`}>
            <option value="">Tous</option>
            {ARCHIVE_KINDS.map((k) => (
              <option key={k} value={k}>
                {ARCHIVE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium text-slate-800">
          Produit du
          <input type="date" name="du" defaultValue={params.du ?? ""} className={`${inputClass} mt-1`} />
        </label>
        <label className="text-sm font-medium text-slate-800">
          au
          <input type="date" name="au" defaultValue={params.au ?? ""} className={`${inputClass} mt-1`} />
        </label>
        <div className="flex items-end gap-3">
          <button type="submit" className={secondaryButtonClass}>
            Rechercher
          </button>
          <Link to="/archives" className="py-1.5 text-sm text-brand-700 underline">
            Effacer les filtres
          </Link>
        </div>
      </Form>
      {params.session ? (
        <p>
          <a href={`/archives/sessions/${params.session}/dossier.zip`} className="text-brand-700 underline" data-testid="session-zip">
            Télécharger tout le dossier de cette session (ZIP avec manifeste SHA-256)
          </a>
        </p>
      ) : null}
      <p className="text-sm text-slate-600" data-testid="archive-total">
        {total} document{total > 1 ? "s" : ""}
      </p>
      <ListTable
        caption="Documents archivés"
        columns={["Document", "Candidat", "Session et certification", "Empreinte et conservation", "Actions"]}
        empty={entries.length === 0 ? "Aucun document ne correspond à votre recherche." : null}
      >
        {entries.map((e) => (
          <tr key={e.id} data-testid="archive-entry">
            <td className="px-4 py-2">
              <div className="font-medium">{e.kindLabel}</div>
              <div className="text-xs text-slate-600">{formatDateTime(e.createdAt)}</div>
            </td>
            <td className="px-4 py-2">{e.candidate}</td>
            <td className="px-4 py-2">
              <Link to={`/archives?session=${e.session.id}`} className="text-brand-700 hover:underline">
                {e.session.title}
              </Link>
              {e.certification ? <div className="text-xs text-slate-600">{e.certification.code}</div> : null}
            </td>
            <td className="px-4 py-2 text-xs">
              <div className="break-all font-mono" title="SHA-256">
                SHA-256 : {e.sha256}
              </div>
              <div className="text-slate-600">
                Conservé {e.retentionYears} ans, jusqu'au {formatDateFr(e.retentionUntil)}
              </div>
            </td>
            <td className="px-4 py-2">
              <div className="flex flex-col gap-2">
                <a href={`/archives/${e.id}/document.pdf`} className="text-brand-700 underline">
                  Télécharger le PDF
                </a>
                <Form method="post">
                  <input type="hidden" name="documentId" value={e.id} />
                  <button type="submit" className={secondaryButtonClass}>
                    Vérifier
                  </button>
                </Form>
                {verified?.documentId === e.id ? (
                  "verification" in verified && verified.verification ? (
                    verified.verification.intact ? (
                      <p role="status" className="rounded bg-emerald-50 px-2 py-1 text-sm text-emerald-800" data-testid="verify-result">
                        Intact : l'empreinte recalculée est identique
                        {verified.verification.seal.state === "unchecked" ? " (sceau présent, non vérifié ici)" : ""}.
                      </p>
                    ) : (
                      <div role="alert" className="rounded bg-red-50 px-2 py-1 text-sm text-red-800" data-testid="verify-result">
                        <p className="font-semibold">Non intact</p>
                        <ul className="list-disc pl-4">
                          {verified.verification.problems.map((p) => (
                            <li key={p}>{p}</li>
                          ))}
                        </ul>
                        <p className="break-all font-mono text-xs">Recalculée : {verified.verification.computedSha256}</p>
                      </div>
                    )
                  ) : (
                    <p role="alert" className="text-sm text-red-800">
                      {"refusal" in verified ? verified.refusal : null}
                    </p>
                  )
                ) : null}
              </div>
            </td>
          </tr>
        ))}
      </ListTable>
      {pageCount > 1 ? (
        <nav aria-label="Pages" className="flex items-center gap-4 text-sm">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Précédente</Link> : null}
          <span>
            Page {page} sur {pageCount}
          </span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>Suivante →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
