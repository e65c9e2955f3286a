import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/platform/auth/guards.server";
import { SessionList } from "~/components/session-list";
import { listVisibleSessions } from "~/live/sessions/queries.server";

export const meta: MetaFunction = () => [{ title: "Tableau de bord — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const { sessions, managesSessions } = await listVisibleSessions(user.id);
  const now = Date.now();
  const upcoming = sessions.filter((s) => s.endsAt.getTime() >= now);
  return {
    user,
    managesSessions,
    mine: upcoming.filter((s) => s.seatRole !== null),
    organisation: managesSessions ? upcoming : [],
  };
}

export default function Dashboard() {
  const { user, managesSessions, mine, organisation } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold text-brand-900">Bonjour {user.displayName}</h1>
      {managesSessions ? (
        <section aria-labelledby="org-sessions">
          <h2 id="org-sessions" className="mb-3 text-lg font-semibold">
            Sessions à venir de votre organisation
          </h2>
          <SessionList sessions={organisation} empty="Aucune session à venir n'est planifiée." />
        </section>
      ) : null}
      {mine.length > 0 || !managesSessions ? (
        <section aria-labelledby="my-sessions">
          <h2 id="my-sessions" className="mb-3 text-lg font-semibold">
            Les sessions où je siège
          </h2>
          <SessionList sessions={mine} empty="Vous ne siégez dans aucune session à venir." />
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
