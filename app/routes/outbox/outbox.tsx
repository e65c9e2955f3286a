import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { requireOrgPermission } from "~/platform/auth/guards.server";
import { formatDateTime } from "~/components/format";
import { inputClass } from "~/components/field";
import { listOutbox } from "~/platform/mail/list-outbox.server";
import { OUTBOX_STATE_LABELS, OUTBOX_STATES, outboxStateOf } from "~/platform/mail/outbox-states";
import { shownValue } from "~/domain/safe-text";
import { AllOrOneOptions, SearchSubmit } from "~/components/search-form";
import { Notice, sectionClass } from "../../components/planning/planning-form";

export const meta: MetaFunction = () => [{ title: "Courriels — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgPermission(args, "read:outbox");
  const url = new URL(args.request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const requested = url.searchParams.get("etat") ?? "";
  const state = outboxStateOf(requested);
  // An unknown state (an edited or old address) is said, never a silent list of every e-mail under « Tous ».
  const notices =
    requested !== "" && state === null
      ? [`L'état « ${shownValue(requested)} » demandé n'existe pas : tous les courriels sont affichés. Choisissez un état dans la liste (${OUTBOX_STATES.map((s) => OUTBOX_STATE_LABELS[s].toLowerCase()).join(", ")}).`]
      : [];
  return { ...(await listOutbox(access.organisationId, { query, state }, Number(url.searchParams.get("page")))), query, state, notices };
}

export function deliveryLabel(e: { sentAt: string | Date | null; error: string | null }, smtp: boolean): string {
  if (e.sentAt) return `Envoyé le ${formatDateTime(e.sentAt)}`;
  if (e.error) return "Échec de l'envoi";
  return smtp ? "En attente d'envoi" : "Non envoyé (SMTP non configuré)";
}

export default function Outbox() {
  const { emails, smtp, matching, page, pageCount, query, state, notices } = useLoaderData<typeof loader>();
  const filtered = query !== "" || state !== null;
  const pageLink = (n: number) => {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (state) params.set("etat", state);
    params.set("page", String(n));
    return `/outbox?${params}`;
  };
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-brand-900">Courriels</h1>
        <p className="text-sm text-slate-600">Les courriels écrits par Quorum pour votre organisation (convocations…).</p>
      </div>
      {!smtp ? (
        <Notice tone="info">
          Aucun serveur SMTP n'est configuré (variable SMTP_URL) : les courriels restent ici, à lire et à transmettre.
        </Notice>
      ) : null}
      <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <label className="min-w-full flex-1 text-sm font-medium text-slate-800 sm:min-w-0">
          Rechercher un destinataire ou un objet
          <input type="search" name="q" defaultValue={query} placeholder="Adresse, nom de session, « convocation »…" className={`${inputClass} mt-1`} />
        </label>
        <label className="text-sm font-medium text-slate-800">
          État
          <select name="etat" defaultValue={state ?? ""} className={`${inputClass} mt-1`}>
            <AllOrOneOptions values={OUTBOX_STATES} labels={OUTBOX_STATE_LABELS} />
          </select>
        </label>
        <SearchSubmit clearTo={filtered ? "/outbox" : null} clearLabel="Tout afficher" />
      </Form>
      {notices.map((notice) => (
        <p key={notice} role="status" className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="outbox-notice">
          {notice}
        </p>
      ))}
      <section aria-labelledby="outbox-title" className={sectionClass}>
        <h2 id="outbox-title" className="sr-only">
          Liste des courriels
        </h2>
        {emails.length === 0 ? (
          <p className="text-sm text-slate-600">{filtered
            ? "Aucun courriel ne correspond à votre recherche."
            : "Aucun courriel pour l'instant. Les convocations envoyées depuis la planification d'une session, les notifications de décision et les invitations de nouveaux membres apparaîtront ici."}</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="outbox">
            {emails.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <div>
                  <Link to={`/outbox/${e.id}`} className="font-medium text-brand-700 hover:underline">
                    {e.subject}
                  </Link>
                  <p className="text-sm text-slate-600">
                    À {e.to} · écrit le {formatDateTime(e.createdAt)}
                    {e.hasIcs ? " · avec invitation .ics" : ""}
                  </p>
                </div>
                <span
                  className={`rounded-full px-3 py-1 text-xs ${
                    e.sentAt ? "bg-emerald-100 text-emerald-800" : e.error ? "bg-red-50 text-red-700" : "bg-slate-100 text-slate-700"
                  }`}
                >
                  {deliveryLabel(e, smtp)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {pageCount > 1 ? (
        <nav aria-label="Pages" className="flex items-center gap-4 text-sm">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Plus récents</Link> : null}
          <span>
            Page {page} sur {pageCount} ({matching} courriel{matching > 1 ? "s" : ""})
          </span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>Plus anciens →</Link> : null}
        </nav>
      ) : null}
    </div>
  );
}
