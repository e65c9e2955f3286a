/**
 * The live paritary jury (`/sessions/:id` for a jury): quorum and parity always visible, émargement, proxies, the
 * agenda of complete dossiers, and for the chosen candidate the dossier, the commission's grids, the conformity
 * check, the deliberation (phases, votes, decision) and the co-edited préconisations. Every action is a POST to the
 * jury's resource route; the room refetches its read model on each `jury:event` and after each reconnection.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "@remix-run/react";
import { useCanPlan } from "~/components/planning/planning-form";
import type { JuryRoom as Room } from "~/live/jury/get-jury-room.server";
import { COLLEGE_LABELS, formatDateTime, formatTime } from "~/components/format";
import { COLLEGE_CELLS } from "~/domain/college";
import { FormErrors, inputClass } from "~/components/field";
import { SEAT_LABELS } from "~/domain/access";
import { JURY_PHASE_LABELS, OVERALL_DECISION_LABELS, type JuryPhase, type OverallDecision } from "~/domain/jury-decision";
import { CandidatePanel } from "./candidate-panel";
import { DecisionSheetSignals } from "./decision-sheet-panel";
import { Deliberation } from "./deliberation";
import { secondaryButtonClass, smallPrimaryClass, type Viewer } from "./shared";
import { useJuryCommand, useJuryRoom } from "./use-jury-room";


export const SESSION_STATUS_LABELS = { PLANNED: "Séance non ouverte", OPEN: "Séance en cours", CLOSED: "Séance close" } as const;
const ATTENDANCE_LABELS = { present: "Présent·e", represented: "Représenté·e", absent: "Absent·e" } as const;
const ATTENDANCE_STYLES = {
  present: "bg-emerald-100 text-emerald-900",
  represented: "bg-sky-100 text-sky-900",
  absent: "bg-slate-200 text-slate-800",
} as const;


/**
 * The president's confirmation before closing the sitting, which cannot be undone: what becomes impossible, then « Oui,
 * lever la séance » (the server refuses a close without it: app/live/jury/close-jury-session.server.ts) or « Annuler ».
 * While the room shows why the server would refuse the close (`blockers`: candidates without a decision, a vote under
 * way), it says so instead, with nothing to confirm.
 */
function CloseConfirmation({
  busy,
  blockers,
  onConfirm,
  onCancel,
}: {
  busy: boolean;
  blockers: string[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => confirm.current?.focus(), []);
  const blocked = blockers.length > 0;
  return (
    <div
      role="alertdialog"
      aria-labelledby="close-confirmation-title"
      aria-describedby="close-confirmation-text"
      className="max-w-2xl space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
      data-testid="close-confirmation"
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
    >
      <p id="close-confirmation-title" className="font-semibold">
        {blocked ? "La séance ne peut pas encore être levée" : "Lever la séance ?"}
      </p>
      {blocked ? (
        <ul id="close-confirmation-text" className="list-disc pl-5">
          {blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      ) : (
        <p id="close-confirmation-text">
          {`La séance ne pourra plus être rouverte : les arrivées et départs, les procurations, les votes, les décisions et les recours ne pourront plus être enregistrés ni modifiés. Le procès-verbal pourra ensuite être finalisé et signé.`}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {blocked ? (
          <button ref={confirm} type="button" className={secondaryButtonClass} onClick={onCancel}>
            Fermer
          </button>
        ) : (
          <>
            <button ref={confirm} type="button" className={smallPrimaryClass} disabled={busy} onClick={onConfirm}>
              Oui, lever la séance
            </button>
            <button type="button" className={secondaryButtonClass} onClick={onCancel}>
              Annuler
            </button>
          </>
        )}
      </div>
    </div>
  );
}

/** Why the sitting cannot close yet, as far as the room knows (the server checks again, appeals included). */
function closeBlockers(room: Room): string[] {
  // A candidate reported to a later jury is not deliberated here: no decision awaited.
  const undecided = room.agenda.filter((a) => !a.decision && !a.postponed).map((a) => a.candidate.name);
  const voting = room.agenda.some((a) => a.polls.some((p) => p.state === "STARTED"));
  return [
    ...(undecided.length > 0
      ? [`${undecided.length > 1 ? "Ces candidats n'ont" : "Ce candidat n'a"} pas encore de décision : ${undecided.join(", ")}.`]
      : []),
    ...(voting ? ["Un vote est en cours : clôturez-le avant de lever la séance."] : []),
  ];
}

export function JuryRoom({ initialRoom, user }: { initialRoom: Room; user: Viewer }) {
  const { room, socket, unreachable, refresh, reread } = useJuryRoom(initialRoom);
  const firstOpen = room.agenda.find((a) => !a.decision && !a.postponed) ?? room.agenda[0];
  const [selectedId, setSelectedId] = useState<string | null>(firstOpen?.agendaItemId ?? null);
  const item = room.agenda.find((a) => a.agendaItemId === selectedId) ?? firstOpen ?? null;
  const names = new Map(room.members.map((m) => [m.userId, m.displayName]));
  const viewerRole = room.viewer.role;
  const presiding = room.presidingId === user.id;
  // The president or vice-president (the server says which one presides) or the secretary opens the sitting; a member
  // is told who will, rather than offered a button the server refuses.
  const opensSitting = viewerRole === "PRESIDENT" || viewerRole === "VICE_PRESIDENT" || viewerRole === "SECRETARY";
  const sessionCommand = useJuryCommand(room.session.id, refresh);
  // « Lever la séance » first asks (irreversible): the confirmation says what closing makes impossible.
  const [confirmingClose, setConfirmingClose] = useState(false);
  const selectCandidate = useCallback((id: string) => {
    setSelectedId(id);
    // On a phone the candidate is shown below the agenda and the attendance: bring it into view (under the sticky
    // quorum bar) and move the focus to it, or the tap would seem to do nothing.
    requestAnimationFrame(() => {
      const panel = document.getElementById("candidate-title");
      if (!panel) return;
      const bar = document.querySelector("[data-testid=quorum]")?.getBoundingClientRect().bottom ?? 0;
      const top = panel.getBoundingClientRect().top;
      if (top < bar || top > window.innerHeight - 80) window.scrollTo({ top: window.scrollY + top - bar - 12 });
      panel.focus({ preventScroll: true });
    });
  }, []);
  const sheetSignals = useMemo(
    () => ({ sheets: socket.sheetSignals, joins: socket.joins, decisions: socket.juryEvent?.version ?? 0 }),
    [socket.sheetSignals, socket.joins, socket.juryEvent],
  );

  return (
    <DecisionSheetSignals.Provider value={sheetSignals}>
      <div className="space-y-4" data-testid="jury-room">
      <header className="space-y-1">
        <p className="text-sm text-slate-600">
          <Link to="/sessions" className="underline">
            Sessions
          </Link>{" "}
          / Jury paritaire
        </p>
        <h1 className="text-2xl font-semibold text-brand-900">{room.session.title}</h1>
        {room.session.certification ? (
          <p className="text-sm text-slate-700">
            {room.session.certification.title} ({room.session.certification.code})
          </p>
        ) : null}
        <p className="text-sm text-slate-700">
          Prévue le {formatDateTime(room.session.startsAt)} – {formatTime(room.session.endsAt)} ·{" "}
          {room.session.remote ? `à distance (${room.session.remoteMeans ?? "Quorum"})` : room.session.place}
        </p>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2 text-sm">
          <span className="rounded bg-slate-100 px-2 py-0.5 font-medium" data-testid="session-status">
            {SESSION_STATUS_LABELS[room.session.status]}
            {room.session.actualStartAt ? ` · ouverte à ${formatTime(room.session.actualStartAt)}` : ""}
            {room.session.actualEndAt ? ` · close à ${formatTime(room.session.actualEndAt)}` : ""}
          </span>
          <MyPresence room={room} user={user} onDone={refresh} />
          {room.session.status === "PLANNED" && opensSitting ? (
            <button type="button" className={smallPrimaryClass} disabled={sessionCommand.busy} onClick={() => sessionCommand.submit({ intent: "start" })}>
              Ouvrir la séance
            </button>
          ) : room.session.status === "PLANNED" && viewerRole ? (
            <span className="text-slate-700">La présidence ouvrira la séance.</span>
          ) : null}
          {presiding && room.session.status === "OPEN" && !confirmingClose ? (
            <button type="button" className={secondaryButtonClass} disabled={sessionCommand.busy} onClick={() => setConfirmingClose(true)}>
              Lever la séance
            </button>
          ) : null}
          <ConnectionBadge status={socket.status} closed={room.session.status === "CLOSED"} />
        </div>
        {presiding && room.session.status === "OPEN" && confirmingClose ? (
          <CloseConfirmation
            busy={sessionCommand.busy}
            blockers={closeBlockers(room)}
            onConfirm={() => {
              setConfirmingClose(false);
              sessionCommand.submit({ intent: "close", confirm: "yes" });
            }}
            onCancel={() => setConfirmingClose(false)}
          />
        ) : null}
        {unreachable ? (
          <p role="status" className="rounded bg-amber-100 px-2 py-1 text-sm text-amber-900" data-testid="room-unreachable">
            Pas de connexion au serveur : la séance affichée peut ne plus être à jour. Elle sera relue dès le retour du réseau.
          </p>
        ) : null}
        <FormErrors errors={sessionCommand.formErrors} />
        <nav aria-label="Documents de la séance" className="flex flex-wrap gap-x-4 text-sm">
          <Link to={`/sessions/${room.session.id}/proces-verbal`} className="inline-block py-1.5 underline">
            Procès-verbal de la séance
          </Link>
          <DeliveryLink sessionId={room.session.id} />
          <Link to={`/sessions/${room.session.id}/recours`} className="inline-block py-1.5 underline">
            Recours examinés
          </Link>
        </nav>
      </header>

      <QuorumBar room={room} item={item} names={names} />

      <RecusalDeadlocks room={room} user={user} onDone={refresh} />

      {!viewerRole ? (
        <p className="rounded border border-slate-200 bg-white p-3 text-sm text-slate-700" role="note">
          Vous suivez ce jury pour le secrétariat : vous enregistrez au besoin les arrivées et départs des membres ; le reste
          est en lecture seule.
        </p>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-[19rem_minmax(0,1fr)]">
        <aside className="space-y-4">
          <Agenda room={room} selectedId={item?.agendaItemId ?? null} onSelect={selectCandidate} />
          <Attendance room={room} user={user} names={names} onDone={refresh} />
        </aside>
        <div className="min-w-0 space-y-4" aria-live="off">
          {item ? (
            <>
              <CandidatePanel room={room} item={item} user={user} onDone={refresh} reread={reread} />
              {item.postponed ? (
                <p className="rounded border border-slate-200 bg-white p-4 text-slate-800" role="note" data-testid="postponed">
                  {postponedText(item.postponed)}
                </p>
              ) : (
                <Deliberation key={item.agendaItemId} room={room} item={item} user={user} names={names} onDone={refresh} />
              )}
            </>
          ) : (
            <p className="rounded border border-slate-200 bg-white p-4 text-slate-700">Aucun candidat à l'ordre du jour.</p>
          )}
        </div>
      </div>
      </div>
    </DecisionSheetSignals.Provider>
  );
}

/** The room's link to the server; once the sitting is closed, « En direct » would read as a sitting still under way. */
function ConnectionBadge({ status, closed }: { status: string; closed: boolean }) {
  const label =
    status === "connected"
      ? closed
        ? "Séance levée · à jour"
        : "En direct"
      : status === "connecting"
        ? "Connexion…"
        : status === "refused"
          ? "Accès refusé"
          : "Hors ligne : reconnexion…";
  return (
    <span className={`rounded px-2 py-0.5 text-xs ${status === "connected" ? "bg-emerald-50 text-emerald-900" : "bg-amber-100 text-amber-900"}`} data-testid="live-status">
      {label}
    </span>
  );
}

/**
 * Who presides, as the header says it: the sitting's chair, unless the candidate on screen is conducted by someone
 * else (the president recused for him: the vice-president; both chairs recused: nobody).
 */
export function presidingText(room: Pick<Room, "presidingId">, item: Pick<Room["agenda"][number], "presidingId"> | null, names: Map<string, string>): string {
  const sitting = room.presidingId ? (names.get(room.presidingId) ?? "") : "personne (président et vice-président absents)";
  if (!item || item.presidingId === room.presidingId) return `Préside : ${sitting}`;
  const here = item.presidingId ? (names.get(item.presidingId) ?? "") : "personne (président et vice-président récusés ou absents)";
  return `Préside pour ce candidat : ${here} · séance : ${sitting}`;
}

/** What the room says of a candidate reported to a later jury, with why (the recusals that left nobody to deliberate). */
export function postponedText(postponed: { at: string; reason: string }): string {
  return `Reporté à un jury ultérieur (${postponed.reason.replace(/\.\s*$/, "")}) : dossier non délibéré dans cette séance, reporté à ${formatTime(postponed.at)}, rendu au secrétariat pour l'ordre du jour d'un autre jury.`;
}

/**
 * The candidates whom recusals alone keep from being deliberated in this jury, said before any vote: who is recused
 * and why, what resolves it, and for those who plan sessions, the way to the jury's planning while the sitting is not
 * open (seat a member, withdraw the dossier). Once the sitting is open, whoever presides it may report such a candidate
 * to a later jury (« Reporter à un jury ultérieur », confirmed: irreversible); a reported candidate is said so.
 */
function RecusalDeadlocks({ room, user, onDone }: { room: Room; user: Viewer; onDone: () => void }) {
  const canPlan = useCanPlan();
  const command = useJuryCommand(room.session.id, onDone);
  const [confirming, setConfirming] = useState<string | null>(null);
  const blocked = room.agenda.filter((a) => a.deadlock || a.postponed);
  if (blocked.length === 0) return null;
  const planning = canPlan && room.session.status === "PLANNED" ? `/sessions/${room.session.id}/planning` : null;
  const mayPostpone = room.session.status === "OPEN" && room.presidingId === user.id;
  return (
    <section aria-labelledby="deadlocks-title" className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900" data-testid="recusal-deadlocks">
      <h2 id="deadlocks-title" className="font-semibold">
        {blocked.length > 1 ? "Candidats qui ne peuvent pas être délibérés dans ce jury" : "Un candidat ne peut pas être délibéré dans ce jury"}
      </h2>
      {blocked.map((a) =>
        a.postponed ? (
          <div key={a.agendaItemId} className="mt-2" data-testid="recusal-deadlock">
            <p className="font-medium">
              {a.candidate.name} : {postponedText(a.postponed)}
            </p>
          </div>
        ) : (
          <div key={a.agendaItemId} className="mt-2" data-testid="recusal-deadlock">
            <p className="font-medium">{a.candidate.name} : personne ne peut délibérer sur ce candidat dans ce jury.</p>
            <ul className="list-disc pl-5">
              {a.deadlock!.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <p>{a.deadlock!.remedy}</p>
            {planning ? (
              <p className="mt-1 flex flex-wrap gap-x-4">
                <Link to={`${planning}#members-title`} className="inline-block py-1 underline">
                  Faire siéger un membre
                </Link>
                <Link to={`${planning}#agenda-title`} className="inline-block py-1 underline">
                  Retirer le dossier de l&apos;ordre du jour
                </Link>
              </p>
            ) : null}
            {mayPostpone && confirming !== a.agendaItemId ? (
              <p className="mt-2">
                <button type="button" className={secondaryButtonClass} disabled={command.busy} onClick={() => setConfirming(a.agendaItemId)}>
                  Reporter à un jury ultérieur
                </button>
              </p>
            ) : null}
            {mayPostpone && confirming === a.agendaItemId ? (
              <div
                role="alertdialog"
                aria-labelledby={`postpone-${a.agendaItemId}-title`}
                aria-describedby={`postpone-${a.agendaItemId}-text`}
                className="mt-2 max-w-2xl space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-amber-950"
                data-testid="postpone-confirmation"
                onKeyDown={(event) => {
                  if (event.key === "Escape") setConfirming(null);
                }}
              >
                <p id={`postpone-${a.agendaItemId}-title`} className="font-semibold">
                  Reporter {a.candidate.name} à un jury ultérieur ?
                </p>
                <p id={`postpone-${a.agendaItemId}-text`}>
                  Le candidat ne sera pas délibéré dans cette séance, et ce report ne peut pas être annulé : son dossier retourne au
                  secrétariat pour être inscrit à l&apos;ordre du jour d&apos;un autre jury. Le procès-verbal le dira, avec les récusations.
                </p>
                <div className="flex flex-wrap gap-2">
                  <button
                    type="button"
                    className={smallPrimaryClass}
                    disabled={command.busy}
                    onClick={() => {
                      setConfirming(null);
                      command.submit({ intent: "postpone", agendaItemId: a.agendaItemId, confirm: "yes" });
                    }}
                  >
                    Oui, reporter
                  </button>
                  <button type="button" className={secondaryButtonClass} onClick={() => setConfirming(null)}>
                    Annuler
                  </button>
                </div>
              </div>
            ) : null}
          </div>
        ),
      )}
      <FormErrors errors={command.formErrors} />
    </section>
  );
}

/**
 * Quorum and parity, always visible (sticky), with the French reasons when missing. On a phone the bar keeps to two short
 * lines — the state with the way to one's ballot, then the colleges' counts — and the rest (who presides, the rule's
 * minimums, the last change, the vote's question, the reasons) unfolds under « Détails » (« Pourquoi ? » when the quorum
 * is missing): unfolded, it covered a fifth of the screen while a vote was open.
 */
function QuorumBar({ room, item, names }: { room: Room; item: Room["agenda"][number] | null; names: Map<string, string> }) {
  const { quorum } = room;
  const last = room.quorumEvents.at(-1);
  const [detailsShown, setDetailsShown] = useState(false);
  if (room.session.status === "CLOSED") return <ClosedSittingBar room={room} />;
  const poll = pollAwaitingBallot(room, item);
  // What a phone shows only once « Détails » is unfolded (always shown on a wider screen).
  const folded = detailsShown ? "" : "max-md:hidden";
  return (
    <section
      aria-label="Quorum"
      className={`sticky top-0 z-10 rounded-lg border p-3 text-sm shadow-sm max-md:py-1.5 ${quorum.met ? "border-emerald-300 bg-emerald-50" : "border-red-300 bg-red-50"}`}
      data-testid="quorum"
    >
      <div role="status" aria-live="polite" className="flex flex-wrap items-baseline gap-x-4 gap-y-1 max-md:gap-y-0">
        <strong className={`max-md:basis-full max-md:pr-36 ${quorum.met ? "text-emerald-900" : "text-red-900"}`} data-testid="quorum-state">
          {quorum.met ? "Quorum atteint" : "Quorum non atteint"}
        </strong>
        <span className="max-md:min-w-0 max-md:basis-full max-md:truncate" data-testid="quorum-counts">
          <span className="max-md:hidden">{COLLEGE_LABELS.EMPLOYER}</span>
          <span className="md:hidden">{COLLEGE_CELLS.EMPLOYER}</span> : {quorum.perCollege.EMPLOYER.counted} ·{" "}
          <span className="max-md:hidden">{COLLEGE_LABELS.EMPLOYEE}</span>
          <span className="md:hidden">{COLLEGE_CELLS.EMPLOYEE}</span> : {quorum.perCollege.EMPLOYEE.counted} · Total : {quorum.total.counted}
          <span className="max-md:hidden">
            {" "}
            (minimum {room.juryRules.minPerCollege} par collège, {room.juryRules.minTotal} au total
            {room.juryRules.equalColleges ? ", parité exigée" : ""})
          </span>
        </span>
        {detailsShown ? (
          <span className="md:hidden">
            Minimum {room.juryRules.minPerCollege} par collège, {room.juryRules.minTotal} au total
            {room.juryRules.equalColleges ? ", parité exigée" : ""}
          </span>
        ) : null}
        <span className={folded} data-testid="presiding">
          {presidingText(room, item, names)}
        </span>
        {last ? (
          <span className={`text-slate-700 ${folded}`} data-testid="quorum-last-event">
            {quorumEventLabel(room.quorumEvents, room.quorumEvents.length - 1)} à {formatTime(last.at)}
          </span>
        ) : null}
      </div>
      {/* On a phone: the way to one's ballot and the details' switch, beside the state. */}
      <div className="absolute right-3 top-1.5 flex items-baseline gap-3 md:hidden">
        {poll ? (
          <a href={`#poll-${poll.id}`} className="font-medium text-brand-900 underline" title={`Vote ouvert : ${poll.question}`} data-testid="vote-link">
            Voter
          </a>
        ) : null}
        <button
          type="button"
          className={`underline ${quorum.met ? "text-emerald-900" : "text-red-900"}`}
          aria-expanded={detailsShown}
          onClick={() => setDetailsShown((shown) => !shown)}
        >
          {quorum.reasons.length > 0 ? "Pourquoi ?" : "Détails"}
        </button>
      </div>
      {item && item.recused.length > 0 && !item.quorum.met ? (
        <p className="mt-1 font-medium text-red-900" data-testid="candidate-quorum-lost">
          Quorum non atteint pour ce candidat (membres récusés non comptés) : ni vote ni décision.
        </p>
      ) : null}
      {poll ? (
        <p className={`mt-1 font-medium text-brand-900 ${folded}`} data-testid="vote-call">
          Vote ouvert : {poll.question}.{" "}
          <a href={`#poll-${poll.id}`} className="inline-block py-1 underline">
            Voter
          </a>
        </p>
      ) : null}
      {quorum.reasons.length > 0 ? (
        <ul className={`mt-1 list-disc pl-5 text-red-900 ${folded}`} data-testid="quorum-reasons">
          {quorum.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/**
 * A vote open on the candidate shown, where the viewer still has a ballot to cast: said in the sticky bar with a link
 * to it, since the vote sits below the dossier and the grids (far below on a phone).
 */
function pollAwaitingBallot(room: Room, item: Room["agenda"][number] | null) {
  const viewerId = room.viewer.userId;
  return item?.polls.find((p) => p.state === "STARTED" && p.entitled.some((r) => r.actingUserId === viewerId && !p.votedUserIds.includes(r.userId))) ?? null;
}

function Agenda({ room, selectedId, onSelect }: { room: Room; selectedId: string | null; onSelect: (id: string) => void }) {
  return (
    <section aria-labelledby="agenda-title" className="rounded-lg border border-slate-200 bg-white p-3">
      <h2 id="agenda-title" className="font-semibold">
        Ordre du jour
      </h2>
      <ol className="mt-2 space-y-1 text-sm">
        {room.agenda.map((a) => (
          <li key={a.agendaItemId}>
            <button
              type="button"
              onClick={() => onSelect(a.agendaItemId)}
              aria-current={a.agendaItemId === selectedId ? "true" : undefined}
              className="block w-full rounded px-2 py-1 text-left hover:bg-slate-100 aria-[current=true]:bg-brand-50 aria-[current=true]:font-semibold"
            >
              {a.position}. {a.candidate.name}
              <span className="block text-xs font-normal text-slate-600">
                {a.decision
                  ? `Décision : ${OVERALL_DECISION_LABELS[a.decision.overall as OverallDecision]}`
                  : a.postponed
                    ? "Reporté à un jury ultérieur"
                    : JURY_PHASE_LABELS[a.phase as JuryPhase]}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The viewer's own arrival and departure, at the top of the room: the first thing a member does, and what the
 * president is asked before opening the sitting (on a phone the émargement list is far below).
 */
function MyPresence({ room, user, onDone }: { room: Room; user: Viewer; onDone: () => void }) {
  const command = useJuryCommand(room.session.id, onDone);
  const me = room.members.find((m) => m.userId === user.id);
  if (!me || room.session.status === "CLOSED") return null;
  const present = me.attendance === "present" || room.attendance.filter((a) => a.userId === me.userId).at(-1)?.kind === "ARRIVED";
  return (
    <>
      {present ? (
        <button type="button" className={secondaryButtonClass} disabled={command.busy} onClick={() => command.submit({ intent: "leave" })}>
          Je quitte la séance
        </button>
      ) : (
        <button type="button" className={smallPrimaryClass} disabled={command.busy} onClick={() => command.submit({ intent: "arrive" })}>
          J'arrive (émarger)
        </button>
      )}
      {command.formErrors.length > 0 ? (
        <div className="basis-full">
          <FormErrors errors={command.formErrors} />
        </div>
      ) : null}
    </>
  );
}

/** Émargement: who is present, represented or absent, with the server's times; arrival / departure buttons. */
function Attendance({ room, user, names, onDone }: { room: Room; user: Viewer; names: Map<string, string>; onDone: () => void }) {
  const command = useJuryCommand(room.session.id, onDone);
  // The one presiding the sitting and the organisation's secretariat record the others' arrivals and departures (the
  // server decides, as the command does): nobody else is offered a button the server refuses.
  const recordsOthers = room.viewer.recordsAttendanceOfOthers;
  const closed = room.session.status === "CLOSED";
  const lastOf = (userId: string) => [...room.attendance].reverse().find((a) => a.userId === userId);
  const holderOf = (userId: string) => room.proxies.find((p) => p.giverId === userId && p.valid)?.holderId;

  return (
    <section aria-labelledby="attendance-title" className="rounded-lg border border-slate-200 bg-white p-3">
      <h2 id="attendance-title" className="font-semibold">
        Émargement
      </h2>
      <FormErrors errors={command.formErrors} />
      <ul className="mt-2 space-y-2 text-sm" data-testid="attendance">
        {room.members.map((m) => {
          const last = lastOf(m.userId);
          const holder = holderOf(m.userId);
          const status = (m.attendance ?? "absent") as keyof typeof ATTENDANCE_LABELS;
          const present = last?.kind === "ARRIVED";
          return (
            <li key={m.userId} className="flex flex-wrap items-center justify-between gap-1" data-testid={`attendance-${m.userId}`}>
              <span>
                {m.displayName}
                <span className="block text-xs text-slate-600">
                  {SEAT_LABELS[m.role]}
                  {m.college ? ` · ${COLLEGE_LABELS[m.college]}` : ""}
                </span>
              </span>
              <span className="flex items-center gap-1">
                <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${ATTENDANCE_STYLES[present ? "present" : status]}`} data-testid="attendance-status">
                  {present ? ATTENDANCE_LABELS.present : ATTENDANCE_LABELS[status]}
                  {last ? ` (${last.kind === "ARRIVED" ? "arrivée" : "départ"} ${formatTime(last.at)})` : ""}
                  {holder && !present ? ` par ${names.get(holder)}` : ""}
                </span>
                {recordsOthers && m.userId !== user.id && !closed ? (
                  <button
                    type="button"
                    className="min-h-9 rounded border border-slate-400 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60"
                    aria-label={`${present ? "Départ" : "Arrivée"} de ${m.displayName}`}
                    disabled={command.busy}
                    onClick={() => command.submit({ intent: present ? "leave" : "arrive", userId: m.userId })}
                  >
                    {present ? "Départ" : "Arrivée"}
                  </button>
                ) : null}
              </span>
            </li>
          );
        })}
      </ul>
      {room.quorumEvents.length > 0 ? (
        <details className="mt-2 text-xs text-slate-700">
          <summary className="cursor-pointer py-1.5">Historique du quorum</summary>
          <ul className="mt-1 space-y-0.5">
            {room.quorumEvents.map((e, index) => (
              <li key={e.at}>
                {formatTime(e.at)} : {quorumEventLabel(room.quorumEvents, index).toLowerCase()}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {room.juryRules.proxiesAllowed ? <Proxies room={room} user={user} names={names} onDone={onDone} /> : null}
    </section>
  );
}

function Proxies({ room, user, names, onDone }: { room: Room; user: Viewer; names: Map<string, string>; onDone: () => void }) {
  const grant = useJuryCommand(room.session.id, onDone);
  const revoke = useJuryCommand(room.session.id, onDone);
  const voting = room.members.filter((m) => m.role === "PRESIDENT" || m.role === "VICE_PRESIDENT" || m.role === "MEMBER");
  const canGrant = voting.some((m) => m.userId === user.id) && room.session.status !== "CLOSED";
  // A paritary jury: a member is represented only by a member of his own college (the server refuses anyone else).
  const holders = voting.filter((m) => m.userId !== user.id && m.college === room.viewer.college);
  return (
    <div className="mt-3 border-t border-slate-200 pt-2">
      <h3 className="text-sm font-semibold">Procurations (au plus {room.juryRules.proxiesMaxPerHolder} par membre)</h3>
      {room.proxies.length === 0 ? <p className="text-xs text-slate-600">Aucune procuration.</p> : null}
      <ul className="space-y-1 text-xs">
        {room.proxies.map((p) => (
          <li key={p.id}>
            {names.get(p.giverId)} → {names.get(p.holderId)} : {p.valid ? "compte" : `ne compte pas (${p.reason ?? ""})`}{" "}
            {p.giverId === user.id || room.viewer.recordsAttendanceOfOthers ? (
              <button type="button" className="ml-1 inline-block py-1.5 underline" disabled={revoke.busy} onClick={() => revoke.submit({ intent: "revoke-proxy", proxyId: p.id ?? "" })}>
                Révoquer
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <FormErrors errors={revoke.formErrors} />
      {canGrant ? (
        <grant.Form method="post" action={grant.action} className="mt-2 space-y-1">
          <input type="hidden" name="intent" value="grant-proxy" />
          <label className="block text-xs font-medium">
            Donner ma procuration à (un membre de mon collège)
            <select name="holderId" className={inputClass} required defaultValue="">
              <option value="">— Choisir —</option>
              {holders.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.displayName}
                </option>
              ))}
            </select>
          </label>
          {holders.length === 0 ? (
            <p className="text-xs text-slate-700">Aucun autre membre de votre collège ne siège : vous ne pouvez pas donner procuration.</p>
          ) : null}
          <p className="text-xs text-red-700">{grant.fieldErrors.holderId?.[0] ?? ""}</p>
          <button type="submit" className={secondaryButtonClass} disabled={grant.busy}>
            Donner procuration
          </button>
          <FormErrors errors={grant.formErrors} />
        </grant.Form>
      ) : null}
    </div>
  );
}

/** The secretariat's way to the session's delivery (CPNE validation, records, notices). */
function DeliveryLink({ sessionId }: { sessionId: string }) {
  if (!useCanPlan()) return null;
  return (
    <Link to={`/sessions/${sessionId}/delivrance`} className="inline-block py-1.5 underline">
      Délivrance des documents
    </Link>
  );
}

/** « Quorum perdu », « Quorum rétabli » after a loss, or « Quorum atteint » the first time (it was never lost before). */
/**
 * A closed sitting's bar: its record, not today's count — everyone has gone, and the certification's rules may have
 * changed since (the room reads the current ones): « Quorum non atteint » in red above decisions taken with a
 * quorum misstated the sitting. The quorum as it stood at the close is its last recorded loss or recovery.
 */
function ClosedSittingBar({ room }: { room: Room }) {
  const events = room.quorumEvents;
  const last = events.at(-1);
  const closedAt = room.session.actualEndAt;
  return (
    <section aria-label="Quorum" className="rounded-lg border border-slate-300 bg-slate-50 p-3 text-sm" data-testid="quorum">
      <p className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <strong data-testid="quorum-state">Séance close{closedAt ? ` le ${formatDateTime(closedAt)}` : ""}</strong>
        {last ? (
          <span data-testid="quorum-last-event">
            {last.kind === "LOST" ? "Quorum perdu" : "Quorum atteint"} à la clôture ({quorumEventLabel(events, events.length - 1).toLowerCase()} à{" "}
            {formatTime(last.at)})
          </span>
        ) : null}
      </p>
    </section>
  );
}

function quorumEventLabel(events: ReadonlyArray<{ kind: string }>, index: number): string {
  if (events[index]?.kind === "LOST") return "Quorum perdu";
  return events.slice(0, index).some((e) => e.kind === "LOST") ? "Quorum rétabli" : "Quorum atteint";
}
