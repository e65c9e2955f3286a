import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Form } from "~/components/form";
import { requireOrgMember } from "~/platform/auth/guards.server";
import { hasPermission } from "~/domain/permissions";
import { SessionList } from "~/components/session-list";
import { BarChart, monthBars } from "~/components/charts";
import { inputClass } from "~/components/field";
import { secondaryButtonClass } from "~/components/candidates/dossier-ui";
import { listVisibleSessions } from "~/live/sessions/queries.server";
import { getDesk } from "~/back-office/desk/get-desk.server";
import { figureFilterFrom } from "~/back-office/desk/get-figures.server";

export const meta: MetaFunction = () => [{ title: "Tableau de bord — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const access = await requireOrgMember(args);
  const now = Date.now();
  // Upcoming only: bound by the current minute (a query naming the instant would be compiled at every request).
  const url = new URL(args.request.url);
  const filter = figureFilterFrom(url);
  // The sessions and the desk are read at the same time.
  const [{ sessions, managesSessions }, desk] = await Promise.all([
    listVisibleSessions(access.user.id, { endingFrom: new Date(Math.floor(now / 60_000) * 60_000) }),
    access.manages ? getDesk(access.organisationId, filter) : null,
  ]);
  const upcoming = sessions.filter((s) => s.endsAt.getTime() >= now);
  return {
    user: access.user,
    managesSessions,
    mine: upcoming.filter((s) => s.seatRole !== null),
    // Only the active organisation's: a seat in another of her organisations is hers (below), not this one's.
    organisation: managesSessions ? upcoming.filter((s) => s.organisation.id === access.organisationId) : [],
    organisationId: access.organisationId,
    // A link to a page of the administration (« Membres ») only for those who may open it.
    todos: desk?.todos.map((t) => (t.links ? { ...t, links: t.links.filter((l) => !l.permission || hasPermission(access.role, l.permission)) } : t)) ?? null,
    figures: desk?.figures ?? null,
    certifications: desk?.certifications.map((c) => ({ id: c.id, label: `${c.title} (${c.code})` })) ?? [],
    filter: { certificationId: filter.certificationId ?? "", du: filter.fromKey, au: filter.toKey },
    notices: [
      ...filter.notices,
      ...(desk && filter.certificationId && !desk.certifications.some((c) => c.id === filter.certificationId)
        ? ["La certification demandée n'existe pas dans cette organisation : aucun chiffre ne s'y rapporte. Choisissez-en une dans la liste."]
        : []),
    ],
  };
}

export default function Dashboard() {
  const { user, managesSessions, mine, organisation, organisationId, todos, figures, certifications, filter, notices } = useLoaderData<typeof loader>();
  const csvQuery = new URLSearchParams({ du: filter.du, au: filter.au, ...(filter.certificationId ? { certification: filter.certificationId } : {}) });
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold text-brand-900">Bonjour {user.displayName}</h1>
      {todos ? (
        <section aria-labelledby="todo-title">
          <h2 id="todo-title" className="mb-3 text-lg font-semibold">
            À faire
          </h2>
          <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="todos">
            {todos.map((t) => (
              <li key={t.key} className="rounded-lg border border-slate-200 bg-white p-4" data-testid={`todo-${t.key}`}>
                <div className="flex items-baseline justify-between gap-2">
                  {t.href ? (
                    <Link to={t.href} className="font-medium text-brand-700 hover:underline" >
                      {t.label}
                    </Link>
                  ) : (
                    <span className="font-medium">{t.label}</span>
                  )}
                  <span className="text-2xl font-semibold" data-testid="todo-count">
                    {t.count}
                  </span>
                </div>
                {t.soon ? <p className="text-xs text-slate-500">Bientôt : cette étape n'est pas encore dans Quorum.</p> : null}
                {t.detail ? <p className="mt-1 text-sm text-slate-600">{t.detail}</p> : null}
                {t.links?.length ? (
                  <p className="mt-1 flex flex-wrap gap-x-4 text-sm" data-testid="todo-links">
                    {t.links.map((l) => (
                      <Link key={l.href} to={l.href} className="text-brand-700 underline">
                        {l.label}
                      </Link>
                    ))}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {figures ? (
        <section aria-labelledby="figures-title" className="space-y-4">
          <h2 id="figures-title" className="text-lg font-semibold">
            Chiffres
          </h2>
          <Form method="get" className="grid items-end gap-3 text-sm sm:grid-cols-[2fr_1fr_1fr_auto_auto]">
            <label>
              Certification
              <select name="certification" defaultValue={filter.certificationId} className={`${inputClass} mt-1`}>
                <option value="">Toutes</option>
                {certifications.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Du (mois)
              <input type="month" name="du" defaultValue={filter.du} className={`${inputClass} mt-1`} />
            </label>
            <label>
              Au (mois)
              <input type="month" name="au" defaultValue={filter.au} className={`${inputClass} mt-1`} />
            </label>
            <button type="submit" className={secondaryButtonClass}>
              Afficher
            </button>
            <a href={`/chiffres.csv?${csvQuery.toString()}`} className="py-1.5 text-brand-700 underline">
              Exporter les chiffres (CSV)
            </a>
          </Form>
          {notices.map((notice) => (
            <p key={notice} role="status" className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="figures-notice">
              {notice}
            </p>
          ))}
          <div className="grid gap-4 xl:grid-cols-2">
            <BarChart
              title="Candidats inscrits et décisions par mois"
              series={["Candidats inscrits", "Décisions"]}
              bars={monthBars(figures.perMonth, (m) => m.month, (m) => [m.candidates, m.decisions])}
            />
            <BarChart
              title="Taux de réussite (délivrance totale) par certification"
              series={["Réussite"]}
              unit=" %"
              max={100}
              bars={figures.successByCertification.map((s) => ({ label: s.label, values: [s.value] }))}
            />
            <BarChart
              title="Taux d'acquisition par bloc"
              series={["Blocs acquis"]}
              unit=" %"
              max={100}
              bars={figures.successByBloc.map((s) => ({ label: s.label, values: [s.value] }))}
            />
            <BarChart
              title="Délivrances totales et partielles"
              series={["Décisions"]}
              bars={figures.deliveries.map((s) => ({ label: s.label, values: [s.value] }))}
            />
            <BarChart
              title="Délai entre l'inscription et la décision"
              series={["Candidats"]}
              bars={figures.delayMonths.map((s) => ({ label: s.label, values: [s.value] }))}
            />
          </div>
        </section>
      ) : null}
      {managesSessions ? (
        <section aria-labelledby="org-sessions">
          <h2 id="org-sessions" className="mb-3 text-lg font-semibold">
            Sessions à venir de votre organisation
          </h2>
          <SessionList sessions={organisation} empty="Aucune session à venir n'est planifiée." activeOrganisationId={organisationId} />
        </section>
      ) : null}
      {mine.length > 0 || !managesSessions ? (
        <section aria-labelledby="my-sessions">
          <h2 id="my-sessions" className="mb-3 text-lg font-semibold">
            Les sessions où je siège
          </h2>
          <SessionList sessions={mine} empty="Vous ne siégez dans aucune session à venir." activeOrganisationId={organisationId} />
        </section>
      ) : null}
      <p>
        <Link to="/sessions" className="text-brand-700 underline">
          Toutes les sessions, y compris passées
        </Link>
      </p>
    </div>
  );
}
