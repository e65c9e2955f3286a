import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/platform/auth/guards.server";
import { SessionList } from "~/components/session-list";
import { listVisibleSessions } from "~/live/sessions/queries.server";
import { PlanSessionButton } from "../../components/planning/planning-form";

export const meta: MetaFunction = () => [{ title: "Sessions — Quorum" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const { sessions } = await listVisibleSessions(user.id);
  const now = Date.now();
  return {
    upcoming: sessions.filter((s) => s.endsAt.getTime() >= now),
    past: sessions.filter((s) => s.endsAt.getTime() < now).reverse(),
  };
}

export default function Sessions() {
  const { upcoming, past } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold text-brand-900">Sessions</h1>
        <PlanSessionButton />
      </div>
      <section aria-labelledby="upcoming">
        <h2 id="upcoming" className="mb-3 text-lg font-semibold">
          À venir et en cours
        </h2>
        <SessionList sessions={upcoming} empty="Aucune session à venir." />
      </section>
      <section aria-labelledby="past">
        <h2 id="past" className="mb-3 text-lg font-semibold">
          Passées
        </h2>
        <SessionList sessions={past} empty="Aucune session passée." />
      </section>
    </div>
  );
}
