import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form, useFormResult } from "~/components/form";
import { parseIsoDay } from "~/domain/calendar";
import { auditMeta } from "~/platform/audit/record-audit.server";
import { requireOrgMember } from "~/platform/auth/guards.server";
import { refusalOf } from "~/platform/app-error";
import { readForm } from "~/platform/http/read-form.server";
import { searchArchive } from "~/archive/documents/search-archive.server";
import { checkArchivedDocument } from "~/archive/documents/check-archived-document.server";
import { updateRetention } from "~/archive/documents/update-retention.server";
import type { Verification } from "~/archive/documents/verify-archived-document.server";
import { mayReadArchivedKind } from "~/domain/archive-scope";
import { ARCHIVE_DECISIONS, ARCHIVE_DECISION_LABELS, ARCHIVE_KINDS, archiveKindLabel } from "~/archive/documents/archive-kinds";
import { inputClass } from "~/components/field";
import { formatDateTime } from "~/components/format";
import { formatDateFr } from "~/domain/identity";
import { formatParisLongDate } from "~/domain/paris-date";
import { secondaryButtonClass } from "~/components/candidates/dossier-ui";
import { RouteErrorBoundary } from "~/components/route-error";
import { unknownFilterNotice } from "~/domain/safe-text";

/** A form sent while the server cannot be reached keeps its page and what was typed (app/components/form.tsx). */
export { clientAction, shouldRevalidate } from "~/components/form";

export const meta: MetaFunction = () => [{ title: "Archives — Quorum" }];


export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgMember(args);
  const url = new URL(args.request.url);
  const p = (name: string) => url.searchParams.get(name)?.slice(0, 100) || null;
  const params = Object.fromEntries(url.searchParams);
  // A date not understood is not applied, and a period given backwards is swapped: each said in French above the list,
  // never a silent « Aucun document » nor a silent list of everything.
  const notices: string[] = [];
  const day = (name: "du" | "au", label: string) => {
    const raw = p(name);
    const date = parseIsoDay(raw);
    if (raw && !date) notices.push(`La date « ${label} » demandée n'est pas une date valide : elle n'est pas appliquée.`);
    return date;
  };
  let [from, to] = [day("du", "Produit du"), day("au", "au")];
  if (from && to && from > to) {
    notices.push(`La période était inversée (du ${formatDateFr(from)} au ${formatDateFr(to)}) : les documents produits du ${formatDateFr(to)} au ${formatDateFr(from)} sont affichés.`);
    [from, to] = [to, from];
    [params.du, params.au] = [params.au!, params.du!];
  }
  // A type or a decision the archive does not know is said and not applied (an unknown type listed no document at all).
  const kind = p("type");
  if (kind && !(ARCHIVE_KINDS as readonly string[]).includes(kind)) {
    notices.push(unknownFilterNotice(kind, "les documents de tous types sont affichés", "type de document"));
    delete params.type;
  } else if (kind && !mayReadArchivedKind({ manages: access.manages }, kind)) {
    // A kind that exists but is the secretariat's: said so (it listed nothing, silently), and the member's documents shown.
    notices.push(`Les documents « ${archiveKindLabel(kind)} » sont réservés au secrétariat et à l'administration : les documents de délibération des sessions où vous avez siégé sont affichés.`);
    delete params.type;
  }
  const decision = p("decision");
  if (decision && !(ARCHIVE_DECISIONS as readonly string[]).includes(decision)) {
    notices.push(unknownFilterNotice(decision, "les documents de toutes décisions sont affichés", "décision"));
    delete params.decision;
  }
  const filter = {
    query: p("q") ?? "",
    certificationId: p("certification"),
    sessionId: p("session"),
    candidateId: p("candidat"),
    kind: params.type ? kind : null,
    decision: params.decision ? decision : null,
    from,
    to: to ? new Date(to.getTime() + 86_400_000) : null,
    page: Number(p("page") ?? 1) || 1,
  };
  const viewer = { userId: access.user.id, organisationId: access.organisationId, manages: access.manages };
  const result = await searchArchive(viewer, filter);
  // A certification or a session none of the viewer's documents relates to (unknown, another organisation's, or
  // without a document yet): said, rather than an empty list under a filter that shows « Toutes ».
  if (filter.certificationId && !result.certifications.some((c) => c.id === filter.certificationId)) {
    notices.push("Aucun document archivé ne se rapporte à la certification demandée (inconnue, ou sans document à ce jour) : choisissez-en une dans la liste.");
  }
  if (filter.sessionId && !result.sessions.some((s) => s.id === filter.sessionId)) {
    notices.push("Aucun document archivé ne se rapporte à la session demandée (inconnue, ou sans document auquel vous avez accès) : choisissez-en une dans la liste.");
  }
  return { ...result, manages: access.manages, params, notices };
}

export async function action(args: ActionFunctionArgs) {
  const access = await requireOrgMember(args);
  const form = await readForm(args.request);
  const documentId = String(form.get("documentId") ?? "");
  const viewer = { userId: access.user.id, organisationId: access.organisationId, manages: access.manages };
  const actor = { userId: access.user.id, organisationId: access.organisationId, ...auditMeta(args.request, args.context) };
  if (form.get("intent") === "retention") {
    try {
      const { retentionYears } = await updateRetention({ ...actor, manages: access.manages }, { years: String(form.get("retentionYears") ?? "") });
      return { retention: { ok: true as const, message: `Durée de conservation enregistrée : ${retentionYears} ans.` } };
    } catch (error) {
      const refusal = refusalOf(error);
      const message = [...refusal.formErrors, ...(refusal.fieldErrors.retentionYears ?? [])].join(" ");
      return data({ retention: { ok: false as const, message } }, { status: refusal.status });
    }
  }
  try {
    const verification = await checkArchivedDocument(viewer, actor, documentId);
    return { documentId, verification };
  } catch (error) {
    const refusal = refusalOf(error);
    return data({ documentId, refusal: refusal.formErrors.join(" ") }, { status: refusal.status });
  }
}

export default function Archives() {
  const { entries, total, page, pageCount, sessions, certifications, kinds, retentionYears, params, manages, notices } = useLoaderData<typeof loader>();
  // A member is offered only the kinds they may open (the archive's rule), the secretariat every kind.
  const kindOptions = [...new Set<string>([...ARCHIVE_KINDS, ...kinds])].filter((k) => mayReadArchivedKind({ manages }, k));
  const actionData = useFormResult<typeof action>();
  const verified = actionData && "documentId" in actionData ? (actionData as VerifyResult) : undefined;
  const retention = actionData && "retention" in actionData ? actionData.retention : undefined;
  const pageLink = (n: number) => `/archives?${new URLSearchParams({ ...params, page: String(n) }).toString()}`;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">Archives</h1>
        <p className="text-sm text-slate-600">
          {manages
            ? "Tous les documents signés ou délivrés de l'organisation."
            : "Les documents de délibération (grilles signées, fiches de décision, procès-verbaux) des sessions où vous avez siégé. Les lettres, parchemins et attestations adressés aux candidats restent au secrétariat."}{" "}
          Les documents ne sont jamais supprimés ; durée de conservation : {retentionYears} ans.
        </p>
        {manages ? (
          <Form method="post" className="mt-3 flex flex-wrap items-end gap-3 text-sm">
            <input type="hidden" name="intent" value="retention" />
            <label className="font-medium text-slate-800">
              Durée de conservation (années)
              <input
                type="number"
                name="retentionYears"
                min={5}
                max={100}
                defaultValue={retentionYears}
                className={`${inputClass} mt-1 w-32`}
                aria-invalid={retention && !retention.ok ? true : undefined}
                aria-describedby={retention ? "retention-message" : undefined}
              />
            </label>
            <button type="submit" className={secondaryButtonClass}>
              Enregistrer
            </button>
            {retention ? (
              <p id="retention-message" role={retention.ok ? "status" : "alert"} className={retention.ok ? "text-emerald-800" : "text-red-800"}>
                {retention.message}
              </p>
            ) : null}
          </Form>
        ) : null}
      </div>
      <Form method="get" role="search" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-3">
        {params.candidat ? <input type="hidden" name="candidat" value={params.candidat} /> : null}
        <label className="text-sm font-medium text-slate-800">
          Candidat (nom de naissance, d'usage ou prénom)
          <input type="search" name="q" defaultValue={params.q ?? ""} className={`${inputClass} mt-1`} />
        </label>
        <FilterSelect
          label="Certification"
          name="certification"
          value={params.certification}
          all="Toutes"
          options={certifications.map((c) => ({ value: c.id, label: `${c.title} (${c.code})` }))}
        />
        <FilterSelect
          label="Session"
          name="session"
          value={params.session}
          all="Toutes"
          options={sessions.map((s) => ({ value: s.id, label: `${s.title} — ${formatDateFr(s.startsAt)}` }))}
        />
        <FilterSelect
          label="Type de document"
          name="type"
          value={params.type}
          all="Tous"
          options={kindOptions.map((k) => ({ value: k, label: archiveKindLabel(k) }))}
        />
        <FilterSelect
          label="Décision"
          name="decision"
          value={params.decision}
          all="Toutes"
          options={ARCHIVE_DECISIONS.map((d) => ({ value: d, label: ARCHIVE_DECISION_LABELS[d] }))}
        />
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
      {notices.map((notice) => (
        <p key={notice} role="status" className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="archive-notice">
          {notice}
        </p>
      ))}
      {params.candidat ? (
        // From a candidate's page (« Documents signés et délivrés »): the list said nowhere whose documents it showed.
        <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="archive-candidate-filter">
          {`Filtre : documents de ${entries.find((e) => e.candidate)?.candidate ?? "ce candidat"}.`}{" "}
          <Link to="/archives" className="underline">
            Tout afficher
          </Link>
        </p>
      ) : null}
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
      {entries.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4 text-slate-700">Aucun document ne correspond à votre recherche.</p>
      ) : (
        <ul className="space-y-3" aria-label="Documents archivés">
          {entries.map((e) => (
            <li key={e.id} data-testid="archive-entry" className="rounded-lg border border-slate-200 bg-white p-4">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0 space-y-1">
                  <h2 className="font-semibold text-brand-900">
                    {e.kindLabel}
                    {e.record ? <span className="font-normal text-slate-700"> n° {e.record.number}</span> : null}
                    {e.record?.revoked ? <span className="ml-2 rounded bg-red-50 px-2 text-sm text-red-800">Révoqué</span> : null}
                  </h2>
                  <p className="text-sm text-slate-700">
                    {e.candidate ? <span className="font-medium">{e.candidate}</span> : null}
                    {e.candidate && e.session ? " — " : null}
                    {e.session ? (
                      <Link to={`/archives?session=${e.session.id}`} className="text-brand-700 hover:underline">
                        {e.session.title} ({formatParisLongDate(e.session.startsAt)})
                      </Link>
                    ) : null}
                  </p>
                  <p className="text-xs text-slate-600">
                    {e.certification ? `${e.certification.title} (${e.certification.code}) — ` : ""}produit le {formatDateTime(e.createdAt)} —
                    conservé {e.retentionYears} ans, jusqu'au {formatParisLongDate(e.retentionUntil)}
                  </p>
                  <p className="break-all font-mono text-xs text-slate-700">SHA-256 : {e.sha256}</p>
                  {e.record?.credentialSha256 ? (
                    <p className="break-all font-mono text-xs text-slate-700">Badge numérique, SHA-256 : {e.record.credentialSha256}</p>
                  ) : null}
                </div>
                <div className="flex flex-wrap items-center gap-3">
                  <a href={`/archives/${e.id}/document.pdf`} className="text-sm text-brand-700 underline">
                    Télécharger le PDF
                  </a>
                  {e.record?.credentialSha256 ? (
                    <a href={`/archives/${e.id}/badge.json`} className="text-sm text-brand-700 underline">
                      Badge numérique (JSON)
                    </a>
                  ) : null}
                  <Form method="post">
                    <input type="hidden" name="documentId" value={e.id} />
                    <button type="submit" className={secondaryButtonClass}>
                      Vérifier
                    </button>
                  </Form>
                </div>
              </div>
              {verified?.documentId === e.id ? <VerificationResult result={verified} /> : null}
            </li>
          ))}
        </ul>
      )}
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

type VerifyResult =
  | { documentId: string; verification: Verification; refusal?: undefined }
  | { documentId: string; refusal: string; verification?: undefined };

function sealSentence(seal: Verification["seal"]): string {
  switch (seal.state) {
    case "valid":
      return `Cachet électronique valide, apposé par ${seal.signer}${seal.signedAt ? ` le ${formatDateTime(seal.signedAt)}` : ""}${
        seal.demoCertificate ? " (certificat de démonstration)" : ""
      }.`;
    case "absent":
      return "Ce document n'est pas scellé (pas de cachet électronique) : seule son empreinte peut être vérifiée.";
    case "invalid":
      return "Le cachet électronique n'est pas valide.";
    case "unchecked":
      return "Le cachet électronique n'a pas pu être vérifié.";
  }
}

/** One of the search's drop-down filters: « Toutes » (or « Tous ») first, then its options. */
function FilterSelect(props: { label: string; name: string; value: string | undefined; all: string; options: { value: string; label: string }[] }) {
  return (
    <label className="text-sm font-medium text-slate-800">
      {props.label}
      <select name={props.name} defaultValue={props.value ?? ""} className={`${inputClass} mt-1`}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function VerificationResult({ result }: { result: VerifyResult }) {
  if (!result.verification) {
    return (
      <p role="alert" className="mt-3 text-sm text-red-800" data-testid="verify-result">
        {result.refusal}
      </p>
    );
  }
  const v = result.verification;
  return v.intact ? (
    <div role="status" className="mt-3 rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="verify-result">
      <p className="font-semibold">Intact : l'empreinte recalculée est identique à celle enregistrée.</p>
      <p>{sealSentence(v.seal)}</p>
    </div>
  ) : (
    <div role="alert" className="mt-3 rounded bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="verify-result">
      <p className="font-semibold">Non intact</p>
      <ul className="list-disc pl-4">
        {v.problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      {v.seal.state !== "invalid" ? <p>{sealSentence(v.seal)}</p> : null}
      <p className="break-all font-mono text-xs">Empreinte enregistrée : {v.storedSha256}</p>
      <p className="break-all font-mono text-xs">Empreinte recalculée : {v.computedSha256}</p>
    </div>
  );
}

/** Errors of this page, its action's included, inside the layout with its header (app/components/route-error.tsx). */
export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
