import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { reservedListNotice, unknownFilterNotice } from "~/domain/safe-text";
import { Form } from "~/components/form";
import { requireOrgMember } from "~/platform/auth/guards.server";
import {
  listConvocationsToSend,
  listDecisionsAwaitingValidation,
  recordsToIssue,
  decisionsToNotify,
  listSessionsAwaitingSignatures,
  listMinutesToFinalise,
  sheetsToSign,
} from "~/back-office/desk/list-desk-items.server";
import { inputClass } from "~/components/field";
import { secondaryButtonClass } from "~/components/candidates/dossier-ui";
import { SessionList } from "~/components/session-list";
import { listPastSessions, listVisibleSessions } from "~/live/sessions/queries.server";
import { PlanSessionButton } from "../../components/planning/planning-form";

export const meta: MetaFunction = () => [{ title: "Sessions — Quorum" }];

/** The desk's lists of sessions (`?filtre=`), each the secretariat's: what it says, and the sessions it keeps. */
const SESSION_FILTERS = {
  convocations: {
    label: "Sessions dont des convocations restent à envoyer (ou tardives pour un jury)",
    ids: async (organisationId: string) => (await listConvocationsToSend(organisationId)).map((s) => s.id),
  },
  signatures: {
    label: "Sessions avec des grilles ou un procès-verbal en attente de signatures",
    ids: async (organisationId: string) => (await listSessionsAwaitingSignatures(organisationId)).map((s) => s.id),
  },
  "proces-verbaux": {
    label: "Jurys dont la séance est levée et le procès-verbal pas encore finalisé",
    ids: async (organisationId: string) => (await listMinutesToFinalise(organisationId)).map((s) => s.id),
  },
  delivrances: {
    label: "Sessions dont des décisions attendent leur parchemin ou attestation",
    ids: async (organisationId: string) => [...new Set((await recordsToIssue(organisationId)).map((r) => r.sessionId))],
  },
  fiches: {
    label: "Jurys dont des fiches de décision attendent la signature du président",
    ids: async (organisationId: string) => [...new Set((await sheetsToSign(organisationId)).map((r) => r.sessionId))],
  },
  validation: {
    label: "Jurys dont les décisions attendent la validation de la CPNE",
    ids: async (organisationId: string) => (await listDecisionsAwaitingValidation(organisationId)).map((v) => v.sessionId),
  },
  notifications: {
    label: "Jurys dont des candidats restent à notifier de leur décision",
    ids: async (organisationId: string) => (await decisionsToNotify(organisationId)).map((n) => n.sessionId),
  },
} satisfies Record<string, { label: string; ids: (organisationId: string) => Promise<string[]> }>;
type SessionFilterKey = keyof typeof SESSION_FILTERS;

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgMember(args);
  const url = new URL(args.request.url);
  const query = (url.searchParams.get("q") ?? "").slice(0, 100);
  const filtre = url.searchParams.get("filtre");
  // Every filter of this list is the secretariat's (who manages the sessions): a member sent to one is told so, and sees
  // his own sessions — never told the filter « n'est pas reconnu » when it is only not his.
  const known = filtre !== null && Object.hasOwn(SESSION_FILTERS, filtre) ? SESSION_FILTERS[filtre as SessionFilterKey] : null;
  const filter = known && access.manages ? { key: filtre!, label: known.label, ids: await known.ids(access.organisationId) } : null;
  // Upcoming and ongoing in full; the past a page at a time, most recent first (bound by the minute, as the dashboard).
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const selection = { query, ids: filter?.ids ?? null };
  const [{ sessions: upcoming }, past] = await Promise.all([
    listVisibleSessions(access.user.id, { ...selection, endingFrom: now }),
    listPastSessions(access.user.id, selection, now, Number(url.searchParams.get("page"))),
  ]);
  return {
    query,
    filter: filter ? { key: filter.key, label: filter.label } : null,
    notices: !filtre || filter ? [] : [known ? reservedListNotice(known.label, "les sessions où vous siégez sont affichées") : unknownFilterNotice(filtre, "toutes les sessions sont affichées")],
    upcoming,
    past: past.sessions,
    pastPages: { page: past.page, pageCount: past.pageCount, matching: past.matching },
    organisationId: access.organisationId,
  };
}

export default function Sessions() {
  const { upcoming, past, pastPages, query, filter, notices, organisationId } = useLoaderData<typeof loader>();
  const pageLink = (n: number) => {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    if (filter) params.set("filtre", filter.key);
    params.set("page", String(n));
    return `/sessions?${params}#past`;
  };
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold text-brand-900">Sessions</h1>
        <PlanSessionButton />
      </div>
      {notices.map((notice) => (
        <p key={notice} role="status" className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="sessions-notice">
          {notice}
        </p>
      ))}
      {filter ? (
        <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="sessions-filter">
          Filtre : {filter.label}.{" "}
          <Link to="/sessions" className="underline">
            Tout afficher
          </Link>
        </p>
      ) : null}
      <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
        {filter ? <input type="hidden" name="filtre" value={filter.key} /> : null}
        <label className="flex-1 text-sm font-medium text-slate-800">
          Rechercher une session
          <input type="search" name="q" defaultValue={query} placeholder="Intitulé ou lieu" className={`${inputClass} mt-1`} />
        </label>
        <button type="submit" className={secondaryButtonClass}>
          Rechercher
        </button>
      </Form>
      <section aria-labelledby="upcoming">
        <h2 id="upcoming" className="mb-3 text-lg font-semibold">
          À venir et en cours
        </h2>
        <SessionList sessions={upcoming} empty={query ? `Aucune session à venir ne correspond à « ${query} ».` : "Aucune session à venir."} activeOrganisationId={organisationId} />
      </section>
      <section aria-labelledby="past">
        <h2 id="past" className="mb-3 text-lg font-semibold">
          Passées
        </h2>
        <SessionList sessions={past} empty={query ? `Aucune session passée ne correspond à « ${query} ».` : "Aucune session passée."} activeOrganisationId={organisationId} />
        {pastPages.pageCount > 1 ? (
          <nav aria-label="Pages des sessions passées" className="mt-3 flex items-center gap-4 text-sm">
            {pastPages.page > 1 ? <Link to={pageLink(pastPages.page - 1)}>← Plus récentes</Link> : null}
            <span>
              Page {pastPages.page} sur {pastPages.pageCount} ({pastPages.matching} sessions passées)
            </span>
            {pastPages.page < pastPages.pageCount ? <Link to={pageLink(pastPages.page + 1)}>Plus anciennes →</Link> : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}
