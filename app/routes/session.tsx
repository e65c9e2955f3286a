import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { candidateName, COLLEGE_LABELS, formatDateTime, formatTime, SESSION_KIND_LABELS } from "~/components/format";
import { LiveSession } from "~/components/live-session";
import { canScore, gridDocumentName, SEAT_LABELS } from "~/domain/access";
import { loadSlotContext, slotState } from "~/commission/slot-context.server";
import { prisma } from "~/db/db.server";
import { parsePhaseDurations } from "~/domain/commission";
import { getSessionForViewer } from "~/sessions/queries.server";
import { PrepareSessionLink } from "./planning-form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.session.title} — Quorum` : "Session — Quorum" },
];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const { session, seat, referential } = await getSessionForViewer(user.id, args.params.sessionId ?? "");
  const slotParam = new URL(args.request.url).searchParams.get("candidat");
  const slot = session.slots.find((s) => s.id === slotParam) ?? session.slots[0] ?? null;
  const ctx = slot && referential ? await loadSlotContext(prisma, session.id, slot.id) : null;
  return {
    slotState: ctx ? slotState(ctx) : null,
    signers: ctx ? ctx.signers.map((s) => ({ userId: s.userId, displayName: s.displayName })) : [],
    durations: parsePhaseDurations(session.phaseDurations),
    user,
    session,
    seat,
    referential,
    slot,
    documentName: slot ? gridDocumentName(session.id, slot.id) : null,
  };
}

export default function SessionRoom() {
  const { user, session, seat, referential, slot, documentName, slotState, signers, durations } =
    useLoaderData<typeof loader>();
  const passageUrl = slot ? `/sessions/${session.id}/passages/${slot.id}` : null;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-600">
          <Link to="/sessions" className="underline">
            Sessions
          </Link>{" "}
          / {SESSION_KIND_LABELS[session.kind]}
        </p>
        <h1 className="text-2xl font-semibold text-brand-900">{session.title}</h1>
        <PrepareSessionLink sessionId={session.id} />
        <p className="text-slate-700">
          {formatDateTime(session.startsAt)} – {formatTime(session.endsAt)} ·{" "}
          {session.remote ? `à distance (${session.remoteMeans ?? "Quorum"})` : session.place}
        </p>
        {referential ? (
          <p className="text-sm text-slate-600">
            {referential.certification.title} ({referential.certification.code}) — référentiel version{" "}
            {referential.version}
          </p>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
        <aside className="space-y-6">
          <section aria-labelledby="agenda-title" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="agenda-title" className="font-semibold">
              Ordre de passage
            </h2>
            {session.slots.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">Aucun candidat inscrit.</p>
            ) : (
              <ol className="mt-2 space-y-1 text-sm">
                {session.slots.map((s) => (
                  <li key={s.id}>
                    <Link
                      to={`?candidat=${s.id}`}
                      aria-current={s.id === slot?.id ? "true" : undefined}
                      className="block rounded px-2 py-1 hover:bg-slate-100 aria-[current=true]:bg-brand-50 aria-[current=true]:font-semibold"
                    >
                      {formatTime(s.startsAt)} · {candidateName(s.candidate)}
                    </Link>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section aria-labelledby="members-title" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="members-title" className="font-semibold">
              Membres
            </h2>
            <ul className="mt-2 space-y-1 text-sm" data-testid="members">
              {session.members.map((m) => (
                <li key={m.userId}>
                  {m.user.displayName}{" "}
                  <span className="text-slate-500">
                    — {SEAT_LABELS[m.role]}
                    {m.college ? `, ${COLLEGE_LABELS[m.college]}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </aside>

        <section aria-labelledby="grid-title" className="min-w-0">
          {!seat ? (
            <p className="rounded border border-slate-200 bg-white p-4 text-slate-700" role="note">
              Vous ne siégez pas dans cette session : la salle en direct est réservée à ses membres.
            </p>
          ) : (
            <LiveSession
              key={documentName ?? "none"}
              sessionId={session.id}
              user={user}
              documentName={documentName}
              canScore={canScore(seat.role)}
              isPresident={seat.role === "PRESIDENT"}
              candidate={slot ? candidateName(slot.candidate) : null}
              referential={referential}
              slotState={slotState}
              signers={signers}
              durations={durations}
              actionUrl={passageUrl}
              pdfUrl={passageUrl ? `${passageUrl}/grille.pdf` : null}
            />
          )}
        </section>
      </div>
    </div>
  );
}
