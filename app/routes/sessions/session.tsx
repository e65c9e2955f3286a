import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { requireUser } from "~/platform/auth/guards.server";
import { Breadcrumb } from "~/components/breadcrumb";
import { candidateName, COLLEGE_LABELS, countOf, formatDateTime, formatTime, SESSION_KIND_LABELS } from "~/components/format";
import { LiveSession } from "~/components/live/live-session";
import { canScore, evidenceDownloadRefusal, gridReadOnlyReason, gridSigningRefusal, SEAT_LABELS } from "~/domain/access";
import { DOSSIER_ROUTE_LABELS, DOSSIER_STATUS_LABELS, evidenceKindLabel } from "~/domain/completeness";
import { getSessionRoom } from "~/live/sessions/get-session-room.server";
import { knownSessionKind } from "~/live/sessions/session-kind.server";
import { SESSION_NOT_FOUND } from "~/live/sessions/queries.server";
import { AppError } from "~/platform/app-error";
import { PrepareSessionLink } from "~/components/planning/planning-form";
import { JuryRoom } from "~/components/jury/jury-room";
import { RenderFailed } from "~/components/signing/render-failed";
import { useRefreshWhile } from "~/components/use-refresh-while";
import { getJuryRoom, type JuryRoom as JuryRoomData } from "~/live/jury/get-jury-room.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.session.title} — Quorum` : "Session — Quorum" },
];

/**
 * The jury room keeps itself current (it refetches its read model on every `jury:event`): its commands, posted to
 * the jury's resource route, do not re-run this page's loader.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction?.endsWith("/jury") ? false : defaultShouldRevalidate;

export async function loader(args: LoaderFunctionArgs) {
  // The room's first read starts while the sign-in is read; the guard is awaited before anything read is looked at, so
  // a visitor who is not signed in gets the login page whatever the session (never a 404 that would tell it exists).
  const signedIn = requireUser(args);
  const sessionId = args.params.sessionId ?? "";
  // A jury gets the jury room (attendance, quorum, agenda, deliberation) and nothing of the commission's room, which
  // it does not show (the page's data is serialised into the HTML and parsed by the browser: ~8 kB less); a
  // commission its live grid. A jury seen before goes straight to its room (its kind never changes), which
  // answers 404 unless seated or managing, as the commission's room does.
  const juryPage = async () => {
    const reading = getJuryRoom(sessionId, signedIn.then((user) => user.id));
    reading.catch(() => {}); // looked at once the guard has passed
    const user = await signedIn;
    const juryRoom = await reading.catch((error: unknown) => {
      if (error instanceof AppError && error.code === "NOT_FOUND") throw data(SESSION_NOT_FOUND, { status: 404 });
      throw error;
    });
    return { kind: "jury" as const, user, session: { title: juryRoom.session.title }, juryRoom };
  };
  if (knownSessionKind(sessionId) === "JURY") return juryPage();
  const slotParam = new URL(args.request.url).searchParams.get("candidat");
  const reading = getSessionRoom(signedIn.then((user) => user.id), sessionId, slotParam); // 404 unless seated or managing
  reading.catch(() => {}); // looked at once the guard has passed
  const user = await signedIn;
  const room = await reading;
  if (room.session.kind === "JURY") return juryPage();
  // What the commission's room shows of the session (not its référentiel again, its scheme or its bookkeeping).
  const { id, kind, title, startsAt, endsAt, remote, remoteMeans, place, slots, members } = room.session;
  return {
    kind: "commission" as const,
    user,
    ...room,
    session: { id, kind, title, startsAt, endsAt, remote, remoteMeans, place, slots, members },
  };
}

export default function SessionPage() {
  const data = useLoaderData<typeof loader>();
  if (data.kind === "jury") return <JuryRoom initialRoom={data.juryRoom as unknown as JuryRoomData} user={data.user} />;
  return <CommissionRoom room={data} />;
}

function CommissionRoom({ room }: { room: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { kind: "commission" }> }) {
  const { user, session, seat, manages, referential, slot, documentName, slotState, signers, durations, dossier, declaredConflict, reopenRefusal } = room;
  const passageUrl = slot ? `/sessions/${session.id}/passages/${slot.id}` : null;
  // Another candidate of the agenda is loading: the passage still shown takes no click meanwhile (a quick click on
  // « Je déclare… » just after choosing the next candidate declared for the previous one).
  const navigation = useNavigation();
  const location = useLocation();
  const switching =
    navigation.state === "loading" && navigation.location.pathname === location.pathname && navigation.location.search !== location.search;
  // A signed grid whose PDF is still being produced (just signed, or its render relaunched after a failure): the page
  // reads itself again until the agenda's « PDF en préparation… » becomes the link, or says the render failed — for
  // every viewer, seated or not (the live room only follows the passage it shows).
  const unreachableNotice = useRefreshWhile(session.slots.some((s) => s.gridStatus === "SIGNED" && s.documents.length === 0 && !s.pdfFailure));
  return (
    <div className="space-y-6">
      <div>
        <Breadcrumb items={[{ to: "/sessions", label: "Sessions" }, { label: SESSION_KIND_LABELS[session.kind] }]} />
        <h1 className="text-2xl font-semibold text-brand-900">{session.title}</h1>
        {unreachableNotice}
        <PrepareSessionLink sessionId={session.id} />
        <p>
          <Link to={`/sessions/${session.id}/proces-verbal`} className="text-sm underline">
            Procès-verbal de la séance
          </Link>
          {" · "}
          <Link to={`/archives?session=${session.id}`} className="text-sm underline" data-testid="session-archive-link">
            Documents signés de la session (archives)
          </Link>
        </p>
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

      {/* On a phone the room (who is connected, the phases, the grid) comes after the agenda, the members and the dossier
          (some 1,000 px down): one tap to it. */}
      {seat && documentName ? (
        <p className="lg:hidden">
          <a href="#presence-title" className="inline-block py-1.5 text-sm font-medium text-brand-700 underline" data-testid="to-grid">
            Aller à la grille d'évaluation
          </a>
        </p>
      ) : null}
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
                      {formatTime(s.startsAt)} · {candidateName(s.candidate, { givenNames: "first" })}
                    </Link>
                    {s.gridStatus === "SIGNED" ? (
                      <div className="px-2 text-xs text-slate-600" data-testid="slot-signed">
                        Grille signée ·{" "}
                        {s.documents.length > 0 ? (
                          <a href={`/sessions/${session.id}/passages/${s.id}/grille.pdf`} className="text-brand-700 underline" download>
                            PDF
                          </a>
                        ) : s.pdfFailure ? (
                          <RenderFailed failure={s.pdfFailure} kind="grid" documentId={s.id} canRetry={manages} />
                        ) : (
                          "PDF en préparation…"
                        )}
                      </div>
                    ) : null}
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
          {slot ? (
            <section aria-labelledby="dossier-title" className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
              <h2 id="dossier-title" className="font-semibold">
                Dossier du candidat
              </h2>
              {!dossier ? (
                <p className="mt-2 text-slate-600">Aucun dossier rattaché à ce passage.</p>
              ) : (
                <dl className="mt-2 space-y-1" data-testid="dossier">
                  <div>
                    <dt className="inline font-medium">Parcours : </dt>
                    <dd className="inline">{DOSSIER_ROUTE_LABELS[dossier.route]}</dd>
                  </div>
                  <div>
                    <dt className="inline font-medium">État : </dt>
                    <dd className="inline">{DOSSIER_STATUS_LABELS[dossier.status]}</dd>
                  </div>
                  <div>
                    <dt className="inline font-medium">Positionnement : </dt>
                    <dd className="inline">
                      {dossier.positionedAt
                        ? `${countOf(dossier.positioning.acquired, "compétence déjà acquise", "compétences déjà acquises")}, ${dossier.positioning.toAcquire} à acquérir`
                        : "non réalisé"}
                    </dd>
                  </div>
                  <div>
                    <dt className="inline font-medium">Avis de l'entreprise : </dt>
                    <dd className="inline">
                      {dossier.companyOpinionFavourable == null
                        ? "non recueilli"
                        : `${dossier.companyOpinionFavourable ? "favorable" : "défavorable"}${dossier.companyOpinion ? ` — « ${dossier.companyOpinion} »` : ""}`}
                    </dd>
                  </div>
                  <div>
                    <dt className="font-medium">Pièces</dt>
                    <dd>
                      {dossier.evidenceWithheld ? (
                        <span className="text-slate-600" data-testid="evidence-withheld">
                          {dossier.evidenceWithheld}
                        </span>
                      ) : dossier.evidence.length === 0 ? (
                        <span className="text-slate-600">aucune pièce</span>
                      ) : (
                        <ul className="list-disc pl-5">
                          {dossier.evidence.map((e) => {
                            // A piece the viewer may not download (an observer and an identity document) is named,
                            // with why, instead of a link that would lead to the refusal.
                            const withheld = evidenceDownloadRefusal(seat?.role ?? null, e.kind, {
                              observersMayDownloadIdentity: !!referential?.certification.scheme.observersMayDownloadIdentity,
                            });
                            return (
                              <li key={e.id} className="wrap-anywhere">
                                {withheld ? (
                                  e.fileName
                                ) : (
                                  <a className="text-brand-700 underline" href={`/sessions/${session.id}/passages/${slot.id}/pieces/${e.id}`}>
                                    {e.fileName}
                                  </a>
                                )}{" "}
                                <span className="text-slate-500">
                                  ({evidenceKindLabel(e.kind)}, {Math.ceil(e.size / 1024)} Ko)
                                </span>
                                {withheld ? (
                                  <span className="block text-xs text-slate-600" data-testid="evidence-piece-withheld">
                                    {withheld}
                                  </span>
                                ) : null}
                              </li>
                            );
                          })}
                        </ul>
                      )}
                    </dd>
                  </div>
                </dl>
              )}
            </section>
          ) : null}
        </aside>

        <div className={`min-w-0 ${switching ? "pointer-events-none opacity-60" : ""}`} aria-busy={switching || undefined}>
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
              readOnlyReason={gridReadOnlyReason({ trainsCandidate: slot?.candidate.trainerId === user.id, declaredConflict })}
              signRefusal={gridSigningRefusal({ trainsCandidate: slot?.candidate.trainerId === user.id, declaredConflict })}
              reopenRefusal={reopenRefusal}
              isPresident={seat.role === "PRESIDENT"}
              candidate={slot ? candidateName(slot.candidate, { givenNames: "first" }) : null}
              referential={referential}
              slotState={slotState}
              signers={signers}
              durations={durations}
              actionUrl={passageUrl}
              pdfUrl={passageUrl ? `${passageUrl}/grille.pdf` : null}
              seatOrder={session.members.map((m) => m.userId)}
            />
          )}
        </div>
      </div>
    </div>
  );
}

