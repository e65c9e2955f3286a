/**
 * The deliberation on one candidate: phases driven by whoever presides, votes (consensus recorded by the president,
 * open vote with each ballot shown, secret vote with totals only, casting vote on a tie), the decision per bloc or
 * competence (following or overturning the commission, a reason required on overturn) and overall, and the
 * préconisations co-edited live. Refusals come back in French where the action was taken.
 */
import { useMemo, useState } from "react";
import type { JuryRoom as Room } from "~/live/jury/get-jury-room.server";
import { COLLEGE_LABELS, countOf, formatDateTime, formatTime } from "~/components/format";
import { FormErrors, inputClass } from "~/components/field";
import { SynthesisEditor } from "~/components/live/synthesis-editor";
import { STATUS_LABELS, type OutcomeStatus } from "~/domain/aggregation";
import {
  blocAcquiredFromCompetences,
  DECIDED_ON_APPEAL,
  decisionWithoutOverallVote,
  JURY_PHASE_LABELS,
  JURY_PHASES,
  OVERALL_DECISION_LABELS,
  OVERALL_DECISIONS,
  overallFromBlocs,
  type JuryPhase,
  type OverallDecision,
} from "~/domain/jury-decision";
import { ABSTAIN, labelTallies, settledBy, type PollModeCode, type PollOption } from "~/domain/jury-vote";
import { VOTE_MODE_LABELS, type VoteMode } from "~/domain/scheme";
import { PRECONISATIONS_MAX_LENGTH } from "~/domain/preconisations";
import { OutcomeBadge } from "./candidate-panel";
import { DecisionSheetPanel } from "./decision-sheet-panel";
import { secondaryButtonClass, smallPrimaryClass, type AgendaEntry, type Viewer } from "./shared";
import { textSaveMessage, useTextDocument } from "~/components/live/use-text-document";
import { useBrowserOnline } from "~/components/live/use-grid-document";
import { useJuryCommand } from "./use-jury-room";

type Poll = AgendaEntry["polls"][number];
const OVERALL_OPTIONS: PollOption[] = OVERALL_DECISIONS.map((o) => ({ value: o, label: OVERALL_DECISION_LABELS[o] }));
const MODE_LABELS: Record<PollModeCode, string> = { CONSENSUS: "Consensus", OPEN: "Vote à main levée", SECRET: "Vote à bulletin secret" };

/** What the deliberation's parts know of the room and the viewer. */
type DeliberationProps = { room: Room; item: AgendaEntry; user: Viewer; names: Map<string, string>; onDone: () => void };

/**
 * Who conducts the deliberation on this candidate when a chair is recused for it (French), or null when the session's
 * presidency applies as usual.
 */
export function candidatePresidencyNotice(item: Pick<AgendaEntry, "presidingId" | "chairsRecused">, names: Map<string, string>): string | null {
  const president = item.chairsRecused.includes("PRESIDENT");
  const vice = item.chairsRecused.includes("VICE_PRESIDENT");
  if (!president && !vice) return null;
  const why = president && vice ? "le président et le vice-président sont récusés" : president ? "le président est récusé" : "le vice-président est récusé";
  const who = item.presidingId ? (names.get(item.presidingId) ?? "") : "personne, la délibération sur ce candidat ne peut avoir lieu";
  return `Présidence pour ce candidat : ${who} (${why}).`;
}

export function Deliberation({ room, item, user, names, onDone }: DeliberationProps) {
  // On this candidate: a recused president is replaced by the vice-president (the server refuses anyone else).
  const presiding = item.presidingId === user.id;
  const inProgress = room.session.status === "OPEN";
  const notice = candidatePresidencyNotice(item, names);
  return (
    <section aria-labelledby="deliberation-title" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="deliberation">
      <h2 id="deliberation-title" className="scroll-mt-48 text-lg font-semibold">
        Délibération
      </h2>
      {notice ? (
        <p className="rounded bg-amber-50 px-2 py-1 text-sm text-amber-900" data-testid="candidate-presidency">
          {notice}
        </p>
      ) : null}
      {item.recused.length > 0 ? <CandidateQuorum room={room} item={item} /> : null}
      <Phases room={room} item={item} presiding={presiding && inProgress} onDone={onDone} />
      <Polls room={room} item={item} user={user} names={names} presiding={presiding && inProgress} onDone={onDone} />
      <Preconisations item={item} user={user} />
      {item.decision ? (
        <DecisionShown room={room} item={item} />
      ) : presiding && inProgress && item.phase === "DECISION" ? (
        <DecisionForm room={room} item={item} onDone={onDone} />
      ) : (
        <p className="text-sm text-slate-700" data-testid="decision-pending">
          Décision à rendre
          {item.phase === "DECISION" ? ` : ${item.chairsRecused.includes("PRESIDENT") ? "le vice-président" : "le président"} l'enregistre.` : " à l'étape « Décision »."}
        </p>
      )}
    </section>
  );
}

/** The quorum of this candidate's votes and decision, its recused members not counted. */
function CandidateQuorum({ room, item }: { room: Room; item: AgendaEntry }) {
  const { quorum } = item;
  return (
    <div role="status" aria-live="polite" className="text-sm" data-testid="candidate-quorum">
      <p>
        <strong className={quorum.met ? "text-emerald-900" : "text-red-900"}>
          {quorum.met ? "Quorum atteint pour ce candidat" : "Quorum non atteint pour ce candidat"}
        </strong>{" "}
        (membres récusés non comptés) — {COLLEGE_LABELS.EMPLOYER} : {quorum.perCollege.EMPLOYER.counted} · {COLLEGE_LABELS.EMPLOYEE} :{" "}
        {quorum.perCollege.EMPLOYEE.counted} · Total : {quorum.total.counted} (minimum {room.juryRules.minPerCollege} par collège,{" "}
        {room.juryRules.minTotal} au total)
      </p>
      {quorum.reasons.length > 0 ? (
        <ul className="list-disc pl-5 text-red-900">
          {quorum.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Phases({ room, item, presiding, onDone }: { room: Room; item: AgendaEntry; presiding: boolean; onDone: () => void }) {
  const command = useJuryCommand(room.session.id, onDone);
  const index = JURY_PHASES.indexOf(item.phase as JuryPhase);
  const next = JURY_PHASES[index + 1];
  return (
    <div>
      <ol className="flex flex-wrap gap-2 text-sm" aria-label="Étapes pour ce candidat" data-testid="phases">
        {JURY_PHASES.map((p, i) => (
          <li
            key={p}
            aria-current={p === item.phase ? "step" : undefined}
            className={`rounded px-2 py-1 ${p === item.phase ? "bg-brand-600 font-semibold text-white" : i < index ? "bg-brand-50 text-brand-900" : "bg-slate-100 text-slate-700"}`}
          >
            {i + 1}. {JURY_PHASE_LABELS[p]}
          </li>
        ))}
        {item.decision ? <li className="rounded bg-emerald-100 px-2 py-1 font-semibold text-emerald-900">Décision rendue</li> : null}
      </ol>
      {item.phaseStartedAt ? <p className="mt-1 text-xs text-slate-600">Étape ouverte à {formatTime(item.phaseStartedAt)}</p> : null}
      {presiding && next && !item.decision ? (
        <button
          type="button"
          className={`${smallPrimaryClass} mt-2`}
          disabled={command.busy}
          onClick={() => command.submit({ intent: "phase", agendaItemId: item.agendaItemId, to: next })}
        >
          Passer à « {JURY_PHASE_LABELS[next]} »
        </button>
      ) : null}
      <FormErrors errors={command.formErrors} />
    </div>
  );
}

/** What a poll may be about, per the scheme's granularity: the overall decision, or each bloc / competence. */
function subjectsOf(room: Room, item: AgendaEntry) {
  const subjects = [{ value: "OVERALL|", label: "Décision d'ensemble" }];
  for (const b of item.blocs) {
    if (room.juryRules.decisionGranularity === "bloc") subjects.push({ value: `BLOC|${b.id}`, label: `Bloc ${b.code} — ${b.title}` });
    else for (const c of b.competences) subjects.push({ value: `COMPETENCE|${c.id}`, label: `${c.code} — ${c.statement}` });
  }
  return subjects;
}

/** The hidden fields of a deliberation command about one subject (`OVERALL|`, `BLOC|<id>`, `COMPETENCE|<id>`). */
function SubjectFields({ intent, agendaItemId, subject }: { intent: string; agendaItemId: string; subject: string }) {
  const [subjectKind, subjectId] = subject.split("|") as [string, string];
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="agendaItemId" value={agendaItemId} />
      <input type="hidden" name="subject" value={subjectKind} />
      <input type="hidden" name="subjectId" value={subjectId} />
    </>
  );
}

function Options({ items }: { items: ReadonlyArray<{ value: string; label: string }> }) {
  return (
    <>
      {items.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </>
  );
}

/** A vote's totals as the room shows them: « Délivrance totale : 3 · Abstention : 1 » (see `labelTallies`). */
function talliesText(tallies: Record<string, number>, options: readonly PollOption[], separator: string): string {
  const shown = labelTallies(tallies, options) ?? [];
  return shown.length === 0 ? "aucune voix" : shown.map((t) => `${t.label} : ${t.count}`).join(separator);
}

const allErrors = (command: ReturnType<typeof useJuryCommand>) => [...command.formErrors, ...Object.values(command.fieldErrors).flat()];

function Polls({ room, item, user, names, presiding, onDone }: DeliberationProps & { presiding: boolean }) {
  const open = useJuryCommand(room.session.id, onDone);
  const consensus = useJuryCommand(room.session.id, onDone);
  // A question the jury settled is not offered again: one a consensus settled at all (« Revenir sur le consensus »
  // first), one a vote decided only on demand (a new vote is how the jury goes back on it).
  const [revote, setRevote] = useState(false);
  const standing = item.polls.map((p) => ({ ...p, withdrawnAt: p.withdrawn?.at ?? null }));
  const all = subjectsOf(room, item).map((s) => {
    const [kind, id] = s.value.split("|") as [string, string];
    return { ...s, settled: settledBy(standing, { subject: kind, subjectId: id || null }) };
  });
  const decidedByVote = all.filter((s) => s.settled && s.settled.mode !== "CONSENSUS");
  const subjects = all
    .filter((s) => !s.settled || (revote && s.settled.mode !== "CONSENSUS"))
    .map((s) => (s.settled ? { value: s.value, label: `${s.label} (décidé : ${s.settled.label})` } : s));
  const [chosen, setSubject] = useState(subjects[0]?.value ?? "");
  const subject = subjects.some((s) => s.value === chosen) ? chosen : (subjects[0]?.value ?? "");
  const modes = room.juryRules.voteModes.filter((m): m is "open" | "secret" => m !== "consensus");
  const running = item.polls.some((p) => p.state === "STARTED");
  const subjectKind = subject.split("|")[0];
  const options =
    subjectKind === "OVERALL"
      ? OVERALL_DECISIONS.filter((o) => room.schemeView.partialAllowed || o !== "PARTIAL").map((o) => ({ value: o, label: OVERALL_DECISION_LABELS[o] }))
      : [
          { value: "ACQUIRED", label: "Acquis" },
          { value: "NOT_ACQUIRED", label: "Non acquis" },
        ];
  const canDeliberate = presiding && !item.decision && item.phase !== "PRESENTATION";
  const undeclared = item.declarations.filter((d) => d.status === "missing" && d.present);

  return (
    <div className="space-y-3" data-testid="polls">
      <h3 className="font-semibold">Votes et consensus</h3>
      {item.polls.length === 0 ? <p className="text-sm text-slate-700">Aucun vote pour ce candidat.</p> : null}
      {item.polls.map((p) => (
        <PollCard key={p.id} room={room} item={item} poll={p} user={user} names={names} presiding={presiding} onDone={onDone} />
      ))}
      {canDeliberate && !running ? (
        <div className="space-y-2 rounded border border-dashed border-slate-300 p-3">
          {undeclared.length > 0 ? (
            <p className="rounded bg-amber-50 px-2 py-1 text-sm text-amber-900" data-testid="undeclared-notice">
              Pas encore de déclaration pour ce candidat : {undeclared.map((d) => d.displayName).join(", ")}. Un membre vote
              seulement après avoir déclaré l'absence de lien (ou un conflit, qui le récuse) ; un consensus attend la
              déclaration de chaque membre présent.
            </p>
          ) : null}
          {subjects.length > 0 ? (
            <label className="block text-sm font-medium">
              Objet
              <select className={inputClass} value={subject} onChange={(e) => setSubject(e.target.value)} name="subjectChoice">
                <Options items={subjects} />
              </select>
            </label>
          ) : (
            <p className="text-sm text-slate-700" data-testid="all-settled">
              Toutes les questions de ce candidat sont tranchées : rendez la décision.
            </p>
          )}
          {decidedByVote.length > 0 && modes.length > 0 ? (
            <label className="block text-sm">
              <input type="checkbox" checked={revote} onChange={(e) => setRevote(e.target.checked)} /> Revoter sur une question déjà décidée par un
              vote
            </label>
          ) : null}
          {subjects.length > 0 && modes.length > 0 ? (
            <open.Form method="post" action={open.action} className="flex flex-wrap items-end gap-2">
              <SubjectFields intent="open-poll" agendaItemId={item.agendaItemId} subject={subject} />
              <label className="text-sm font-medium">
                Mode de vote
                <select name="mode" className={inputClass} defaultValue={modes.includes(room.juryRules.defaultVoteMode as "open") ? room.juryRules.defaultVoteMode : modes[0]}>
                  <Options items={modes.map((m) => ({ value: m, label: VOTE_MODE_LABELS[m as VoteMode] }))} />
                </select>
              </label>
              <button type="submit" className={smallPrimaryClass} disabled={open.busy}>
                Ouvrir le vote
              </button>
            </open.Form>
          ) : null}
          <FormErrors errors={allErrors(open)} />
          {subjects.length > 0 && !all.find((s) => s.value === subject)?.settled && room.juryRules.voteModes.includes("consensus") ? (
            <consensus.Form method="post" action={consensus.action} className="flex flex-wrap items-end gap-2">
              <SubjectFields intent="consensus" agendaItemId={item.agendaItemId} subject={subject} />
              <label className="text-sm font-medium">
                Consensus sur
                <select name="choice" className={inputClass} key={subject}>
                  <Options items={options} />
                </select>
              </label>
              <button type="submit" className={secondaryButtonClass} disabled={consensus.busy}>
                Constater le consensus
              </button>
            </consensus.Form>
          ) : null}
          <FormErrors errors={allErrors(consensus)} />
        </div>
      ) : null}
    </div>
  );
}

function PollCard({ room, item, poll, user, names, presiding, onDone }: DeliberationProps & { poll: Poll; presiding: boolean }) {
  const vote = useJuryCommand(room.session.id, onDone);
  const close = useJuryCommand(room.session.id, onDone);
  const casting = useJuryCommand(room.session.id, onDone);
  const labelOf = (value: string) => (value === ABSTAIN ? "Abstention" : (poll.options.find((o) => o.value === value)?.label ?? value));
  const myRights = poll.entitled.filter((r) => r.actingUserId === user.id);
  const recused = poll.recused.some((r) => r.userId === user.id) || item.recused.some((r) => r.userId === user.id);
  // Declared for this candidate (no link, or a conflict that recuses): a ballot comes after the declaration.
  const declared = new Set(item.conflicts.map((c) => c.userId));
  const tallies = poll.tallies ?? null;
  const tied = tallies && poll.tie ? Object.entries(tallies).filter(([c, n]) => c !== ABSTAIN && n === Math.max(...Object.entries(tallies).filter(([k]) => k !== ABSTAIN).map(([, v]) => v))).map(([c]) => c) : [];
  const holder = item.castingVoteHolder;
  // Entitled voters whose ballot is not in yet: closing asks first (see below).
  const missing = poll.entitled.filter((r) => !poll.votedUserIds.includes(r.userId)).length;
  const [confirmingClose, setConfirmingClose] = useState(false);

  return (
    <article id={`poll-${poll.id}`} className="scroll-mt-48 rounded border border-slate-200 p-3 text-sm" data-testid="poll" aria-label={`${MODE_LABELS[poll.mode]} : ${poll.question}`}>
      <p className="font-medium">
        {MODE_LABELS[poll.mode]} — {poll.question}
        <span className="ml-2 text-xs font-normal text-slate-600">
          {poll.mode === "CONSENSUS"
            ? poll.startedAt
              ? `constaté à ${formatTime(poll.startedAt)}`
              : "constaté"
            : poll.state === "STARTED"
              ? `en cours${poll.startedAt ? ` · ouvert à ${formatTime(poll.startedAt)}` : ""}`
              : poll.startedAt && poll.finishedAt
                ? `ouvert à ${formatTime(poll.startedAt)}, clos à ${formatTime(poll.finishedAt)}`
                : "clos"}
        </span>
      </p>
      {poll.mode !== "CONSENSUS" ? (
        <p className="text-xs text-slate-700" data-testid="poll-count">
          {countOf(poll.votedUserIds.length, "vote")} sur {poll.entitled.length} · majorité absolue : {Math.floor((poll.baseCount ?? 0) / 2) + 1} voix sur {poll.baseCount}
          {poll.recused.length > 0 ? ` · récusé(s) : ${poll.recused.map((r) => names.get(r.userId)).join(", ")}` : ""}
        </p>
      ) : null}

      {poll.state === "STARTED" ? (
        <div className="mt-2 space-y-2">
          {recused ? <p className="text-amber-900">Vous êtes récusé·e pour ce candidat : vous ne votez pas.</p> : null}
          {myRights.length > 0 && !recused && !declared.has(user.id) ? <DeclareFirst room={room} item={item} onDone={onDone} /> : null}
          {myRights.map((right) => {
            const voted = poll.votedUserIds.includes(right.userId);
            const forOther = right.userId !== user.id;
            return (
              <div key={right.userId} className="flex flex-wrap items-center gap-2" role="group" aria-label={forOther ? `Vote pour ${names.get(right.userId)} (procuration)` : "Mon vote"}>
                <span className="font-medium">{forOther ? `Pour ${names.get(right.userId)} :` : "Mon vote :"}</span>
                {voted ? (
                  <span className="text-emerald-900" data-testid="voted">
                    A voté
                  </span>
                ) : !declared.has(user.id) ? (
                  <span className="text-slate-700">après votre déclaration pour ce candidat</span>
                ) : forOther && !declared.has(right.userId) ? (
                  <span className="text-amber-900">ce membre n'a pas déclaré l'absence de lien avec ce candidat : son vote ne peut pas être exprimé</span>
                ) : (
                  [...poll.options, { value: ABSTAIN, label: "Abstention" }].map((o) => (
                    <button
                      key={o.value}
                      type="button"
                      className={secondaryButtonClass}
                      disabled={vote.busy}
                      onClick={() => vote.submit({ intent: "vote", pollId: poll.id, choice: o.value, ...(forOther ? { forUserId: right.userId } : {}) })}
                    >
                      {o.label}
                    </button>
                  ))
                )}
              </div>
            );
          })}
          {myRights.length === 0 && !recused && room.viewer.role && ["PRESIDENT", "VICE_PRESIDENT", "MEMBER"].includes(room.viewer.role) ? (
            <VoteAnyway room={room} poll={poll} vote={vote} />
          ) : null}
          <FormErrors errors={vote.formErrors} />
          {vote.notice ? (
            <p role="status" className="text-slate-700" data-testid="vote-notice">
              {vote.notice}
            </p>
          ) : null}
          {presiding ? (
            confirmingClose && missing > 0 ? (
              // A ballot not cast counts against every choice (absolute majority of the voters frozen at the start):
              // closing is irreversible, so the presiding member is told before, not after.
              <div className="space-y-2 rounded border border-amber-300 bg-amber-50 p-2" role="alertdialog" aria-label="Clore le vote ?">
                <p data-testid="close-poll-confirm">
                  {countOf(missing, "membre")} {missing > 1 ? "n'ont" : "n'a"} pas encore voté : un bulletin non déposé compte comme une
                  abstention, et la majorité reste de {Math.floor((poll.baseCount ?? 0) / 2) + 1} voix sur {poll.baseCount}. Clore quand même ?
                </p>
                <div className="flex flex-wrap gap-2">
                  <button
                    type="button"
                    className={smallPrimaryClass}
                    disabled={close.busy}
                    onClick={() => {
                      setConfirmingClose(false);
                      close.submit({ intent: "close-poll", pollId: poll.id });
                    }}
                  >
                    Clore quand même
                  </button>
                  <button type="button" className={secondaryButtonClass} onClick={() => setConfirmingClose(false)}>
                    Attendre
                  </button>
                </div>
              </div>
            ) : (
              <button
                type="button"
                className={smallPrimaryClass}
                disabled={close.busy}
                onClick={() => (missing > 0 ? setConfirmingClose(true) : close.submit({ intent: "close-poll", pollId: poll.id }))}
              >
                Clore le vote
              </button>
            )
          ) : null}
          <FormErrors errors={close.formErrors} />
        </div>
      ) : null}

      {poll.mode === "OPEN" && poll.openVotes.length > 0 ? (
        <ul className="mt-2 text-xs" data-testid="open-votes">
          {poll.openVotes.map((v) => (
            <li key={v.userId}>
              {names.get(v.userId)} : {labelOf(v.choice)}
              {v.actingUserId !== v.userId ? ` (par procuration, ${names.get(v.actingUserId)})` : ""}
            </li>
          ))}
        </ul>
      ) : null}
      {poll.mode === "SECRET" && poll.state === "STARTED" ? (
        <p className="mt-1 text-xs text-slate-700">Vote secret : seuls les totaux seront affichés à la clôture.</p>
      ) : null}

      {poll.state === "FINISHED" ? (
        <div className="mt-2" data-testid="poll-result">
          {tallies ? (
            <p>Résultat : {talliesText(tallies, poll.options, " · ")}</p>
          ) : null}
          <p className={poll.withdrawn ? "font-semibold text-slate-500 line-through" : "font-semibold"}>
            {poll.result
              ? `Décidé : ${labelOf(poll.result)}${poll.castingVoteChoice ? ` (voix prépondérante de ${names.get(poll.castingVoteById ?? "") ?? "la présidence"})` : ""}`
              : poll.tie
                ? poll.superseded
                  ? "Égalité, non départagée : un scrutin plus récent sur cette question l'a remplacée."
                  : "Égalité : voix prépondérante attendue."
                : "Aucune majorité : rien n'est décidé par ce vote."}
          </p>
          {poll.withdrawn ? (
            <p className="text-amber-900" data-testid="poll-withdrawn">
              {poll.mode === "CONSENSUS"
                ? `Consensus retiré à ${formatTime(poll.withdrawn.at)} par ${names.get(poll.withdrawn.byId ?? "") ?? "la présidence"}`
                : `Vote annulé à ${formatTime(poll.withdrawn.at)}`}
              , motif : «&nbsp;
              {poll.withdrawn.reason.replace(/[.\s]+$/, "")}&nbsp;». {poll.mode === "CONSENSUS" ? "Il" : "Ce vote"} ne vaut plus décision sur cette question.
            </p>
          ) : poll.mode === "CONSENSUS" && presiding && !item.decision && item.phase !== "PRESENTATION" ? (
            <WithdrawConsensus room={room} poll={poll} onDone={onDone} />
          ) : null}
          {poll.tie && !poll.castingVoteChoice && !poll.superseded && !poll.withdrawn ? (
            holder.userId === user.id ? (
              <div className="mt-1 flex flex-wrap items-center gap-2" role="group" aria-label="Voix prépondérante">
                <span>Votre voix prépondérante :</span>
                {tied.map((c) => (
                  <button
                    key={c}
                    type="button"
                    className={smallPrimaryClass}
                    disabled={casting.busy}
                    onClick={() => casting.submit({ intent: "casting-vote", pollId: poll.id, choice: c })}
                  >
                    {labelOf(c)}
                  </button>
                ))}
              </div>
            ) : (
              <p className="text-slate-700">{holder.userId ? `En attente de la voix prépondérante de ${names.get(holder.userId)}.` : holder.reason}</p>
            )
          ) : null}
          <FormErrors errors={casting.formErrors} />
        </div>
      ) : null}
    </article>
  );
}

/**
 * In a running vote, for an entitled member who has not declared for this candidate yet: the declaration comes first
 * (the server refuses the ballot otherwise). « No link » may be declared during the vote; a conflict waits for its close.
 */
function DeclareFirst({ room, item, onDone }: { room: Room; item: AgendaEntry; onDone: () => void }) {
  const declare = useJuryCommand(room.session.id, onDone);
  return (
    <div className="space-y-1 rounded border border-amber-300 bg-amber-50 p-2" data-testid="declare-first">
      <p className="text-amber-900">Déclarez d'abord l'absence de lien avec ce candidat : votre vote vient ensuite.</p>
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={declare.busy}
        onClick={() => declare.submit({ intent: "declare", agendaItemId: item.agendaItemId, conflict: "false" })}
      >
        Je n'ai aucun lien avec ce candidat
      </button>
      <FormErrors errors={declare.formErrors} />
    </div>
  );
}

/**
 * « Revenir sur le consensus »: the presiding member goes back on a consensus explicitly, with a reason (recorded in
 * the minutes); the question is then open to a vote or a new consensus.
 */
function WithdrawConsensus({ room, poll, onDone }: { room: Room; poll: Poll; onDone: () => void }) {
  const command = useJuryCommand(room.session.id, onDone);
  const [open, setOpen] = useState(false);
  const fieldId = `withdraw-reason-${poll.id}`;
  if (!open) {
    return (
      <button type="button" className={`mt-1 ${secondaryButtonClass}`} onClick={() => setOpen(true)}>
        Revenir sur le consensus
      </button>
    );
  }
  const reasonError = command.fieldErrors.reason?.[0];
  return (
    <command.Form method="post" action={command.action} className="mt-2 space-y-1" aria-label="Revenir sur le consensus">
      <input type="hidden" name="intent" value="withdraw-consensus" />
      <input type="hidden" name="pollId" value={poll.id} />
      <label htmlFor={fieldId} className="block text-sm font-medium">
        Motif du retour sur le consensus (porté au procès-verbal)
      </label>
      <textarea
        id={fieldId}
        name="reason"
        required
        maxLength={2000}
        rows={2}
        className={inputClass}
        aria-invalid={reasonError ? true : undefined}
        aria-describedby={reasonError ? `${fieldId}-error` : undefined}
      />
      {reasonError ? (
        <p id={`${fieldId}-error`} className="text-sm text-red-700">
          {reasonError}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={smallPrimaryClass} disabled={command.busy}>
          Confirmer le retour sur le consensus
        </button>
        <button type="button" className={secondaryButtonClass} onClick={() => setOpen(false)}>
          Annuler
        </button>
      </div>
      <FormErrors errors={command.formErrors} />
    </command.Form>
  );
}

/** A voting member not entitled when the vote opened (arrived later): the button is there, the server says why not. */
function VoteAnyway({ room, poll, vote }: { room: Room; poll: Poll; vote: ReturnType<typeof useJuryCommand> }) {
  void room;
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Mon vote">
      <span className="font-medium">Mon vote :</span>
      {poll.options.map((o) => (
        <button key={o.value} type="button" className={secondaryButtonClass} disabled={vote.busy} onClick={() => vote.submit({ intent: "vote", pollId: poll.id, choice: o.value })}>
          {o.label}
        </button>
      ))}
    </div>
  );
}

function Preconisations({ item, user }: { item: AgendaEntry; user: Viewer }) {
  const { binding, denied, closed, saveState } = useTextDocument(item.preconisationsDoc, user);
  const readOnly = item.preconisationsReadOnly !== null || closed;
  const online = useBrowserOnline();
  const saveMessage = textSaveMessage(saveState, online, !readOnly);
  const labelId = `preconisations-${item.agendaItemId}`;
  return (
    <div className="space-y-1">
      <h3 id={labelId} className="font-semibold">
        Préconisations pour le candidat
      </h3>
      <p className="text-xs text-slate-700">{item.preconisationsReadOnly ?? "Rédigées à plusieurs, en direct : chaque membre votant peut écrire."}</p>
      <SynthesisEditor
        binding={binding}
        readOnly={readOnly}
        labelId={labelId}
        field="preconisations"
        maxLength={PRECONISATIONS_MAX_LENGTH}
        testId="preconisations"
        placeholderText={readOnly ? "Aucune préconisation." : "Préconisations : compétences à travailler, parcours conseillé…"}
      />
      {saveMessage ? (
        <p role="status" className="text-sm text-amber-800">
          {saveMessage}
        </p>
      ) : null}
      {denied ? (
        <p role="alert" className="text-sm text-red-700">
          {denied}
        </p>
      ) : null}
    </div>
  );
}

type Choice = { acquired: boolean | null; reason: string };
/** A choice made in the form, with the vote or consensus it was made against (null: none then). */
type Picked<T> = { value: T; basis: string | null };

/**
 * The decision form follows the room: the room reloads its read model on each jury event, and a vote or consensus
 * recorded since the form was shown replaces what the form held for its question (the president's own choice made
 * against an older result is dropped), with a line saying what changed — never a form still holding the old result,
 * refused by the server at submission.
 */
function DecisionForm({ room, item, onDone }: { room: Room; item: AgendaEntry; onDone: () => void }) {
  const command = useJuryCommand(room.session.id, onDone);
  const granularity = room.juryRules.decisionGranularity;
  const targets = granularity === "bloc" ? item.targets : item.targets.flatMap((b) => b.competences);
  const finished = (id: string | null) =>
    // A consensus gone back on, or a vote annulled, binds nothing: the form starts from what still stands.
    [...item.polls].reverse().find((p) => p.state === "FINISHED" && p.result && !p.withdrawn && (id === null ? p.subject === "OVERALL" : p.subjectId === id));
  // What stood when the form was first shown, to tell the president what changed since.
  const [shownWith] = useState(() => Object.fromEntries([null, ...targets.map((t) => t.id)].map((id) => [id ?? "OVERALL", finished(id)?.id ?? null])));
  const [picks, setPicks] = useState<Record<string, Picked<boolean | null>>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const choices: Record<string, Choice> = Object.fromEntries(
    targets.map((t) => {
      const voted = finished(t.id);
      const pick = picks[t.id];
      const acquired =
        pick && pick.basis === (voted?.id ?? null)
          ? pick.value
          : voted
            ? voted.result === "ACQUIRED"
            : t.commissionOutcome === "pending"
              ? null
              : t.commissionOutcome === "acquired";
      return [t.id, { acquired, reason: reasons[t.id] ?? "" }];
    }),
  );
  const setAcquired = (id: string, acquired: boolean) => setPicks((all) => ({ ...all, [id]: { value: acquired, basis: finished(id)?.id ?? null } }));
  const expected = useMemo(() => {
    if (targets.some((t) => choices[t.id]?.acquired == null)) return null;
    const acquiredBlocs = item.targets.filter((b) =>
      granularity === "bloc"
        ? choices[b.id]?.acquired
        : blocAcquiredFromCompetences(room.schemeView.blocRule, b.competences.map((c) => choices[c.id]?.acquired === true)),
    ).length;
    return overallFromBlocs(acquiredBlocs, item.targets.length, room.schemeView.partialAllowed);
  }, [choices, targets, item.targets, granularity, room.schemeView]);
  const votedOverallPoll = finished(null);
  const votedOverall = votedOverallPoll?.result as OverallDecision | undefined;
  const [overallPick, setOverallPick] = useState<Picked<OverallDecision | ""> | null>(null);
  const overall = overallPick && overallPick.basis === (votedOverallPoll?.id ?? null) ? overallPick.value : (votedOverall ?? "");
  const shownOverall = overall || expected || "";
  // The questions on which a vote or consensus was recorded (or withdrawn) since the form was shown.
  const changedSince = [null, ...targets.map((t) => t.id)].flatMap((id) => {
    const now = finished(id);
    if ((now?.id ?? null) === shownWith[id ?? "OVERALL"]) return [];
    const what = id === null ? "la décision d'ensemble" : `« ${targetLabel(targets.find((t) => t.id === id)!.code, granularity).toLowerCase()} »`;
    const result = now ? (now.options.find((o) => o.value === now.result)?.label ?? now.result) : null;
    return [result ? `${what} : ${result}` : `${what} : le résultat précédent ne vaut plus`];
  });
  const fieldError = (key: string) => command.fieldErrors[key]?.[0] ?? "";

  return (
    <command.Form method="post" action={command.action} className="space-y-3 rounded border border-brand-100 bg-brand-50/40 p-3" data-testid="decision-form">
      <h3 className="font-semibold">Décision du jury</h3>
      <input type="hidden" name="intent" value="decide" />
      <input type="hidden" name="agendaItemId" value={item.agendaItemId} />
      <p className="text-xs text-slate-700">
        {granularity === "bloc" ? "Bloc par bloc" : "Compétence par compétence"}, à partir de l'issue de la commission : suivez-la ou
        infirmez-la (motif obligatoire).
      </p>
      {changedSince.length > 0 ? (
        <p role="status" className="rounded bg-amber-50 px-2 py-1 text-sm text-amber-900" data-testid="decision-form-updated">
          Depuis l'ouverture de ce formulaire, le jury s'est prononcé — {changedSince.join(" ; ")}. Le formulaire a repris ce
          résultat : vérifiez-le avant d'enregistrer.
        </p>
      ) : null}
      {shownOverall !== "ADJOURNED"
        ? targets.map((t) => {
            const choice = choices[t.id] ?? { acquired: null, reason: "" };
            const overturned = choice.acquired !== null && (t.commissionOutcome === "pending" || choice.acquired !== (t.commissionOutcome === "acquired"));
            const error = fieldError(`choices.${t.id}`);
            return (
              <fieldset key={t.id} className="rounded border border-slate-200 bg-white p-2" data-testid={`target-${t.code}`} aria-describedby={`target-error-${t.id}`}>
                <legend className="px-1 text-sm font-medium">{targetLabel(t.code, granularity)}</legend>
                <p className="text-sm text-slate-700">
                  Issue de la commission : <OutcomeBadge status={t.commissionOutcome as OutcomeStatus} />
                </p>
                <div className="flex flex-wrap gap-x-2 text-sm">
                  {[
                    { value: "ACQUIRED", label: "Acquis", acquired: true },
                    { value: "NOT_ACQUIRED", label: "Non acquis", acquired: false },
                  ].map((o) => (
                    <label key={o.value} className="flex min-h-10 cursor-pointer items-center gap-2 pr-3">
                      <input
                        type="radio"
                        className="h-5 w-5"
                        name={`choice.${t.id}`}
                        value={o.value}
                        checked={choice.acquired === o.acquired}
                        onChange={() => setAcquired(t.id, o.acquired)}
                      />
                      {o.label}
                    </label>
                  ))}
                </div>
                {overturned || choice.reason ? (
                  <label className="mt-1 block text-sm">
                    {t.commissionOutcome === "pending" ? "Motif (la commission n'a pas conclu)" : "Motif de l'infirmation (obligatoire)"}
                    <textarea
                      name={`reason.${t.id}`}
                      rows={2}
                      className={inputClass}
                      value={choice.reason}
                      onChange={(e) => setReasons((all) => ({ ...all, [t.id]: e.target.value }))}
                    />
                  </label>
                ) : null}
                <p id={`target-error-${t.id}`} className="text-sm text-red-700">
                  {error}
                </p>
              </fieldset>
            );
          })
        : null}
      <label className="block text-sm font-medium">
        Décision d'ensemble
        <select name="overall" className={inputClass} value={shownOverall} onChange={(e) => setOverallPick({ value: e.target.value as OverallDecision | "", basis: votedOverallPoll?.id ?? null })} aria-describedby="overall-error">
          <option value="">— Choisir —</option>
          {OVERALL_DECISIONS.filter((o) => room.schemeView.partialAllowed || o !== "PARTIAL").map((o) => (
            <option key={o} value={o}>
              {OVERALL_DECISION_LABELS[o]}
            </option>
          ))}
        </select>
      </label>
      {expected ? (
        <p className="text-xs text-slate-700">
          Selon ces choix : {OVERALL_DECISION_LABELS[expected]}
          {votedOverall ? ` · voté : ${OVERALL_DECISION_LABELS[votedOverall]}` : ""}
        </p>
      ) : null}
      <p id="overall-error" className="text-sm text-red-700">
        {fieldError("overall")}
      </p>
      {shownOverall === "ADJOURNED" ? (
        <label className="block text-sm font-medium">
          Motif de l'ajournement
          <textarea name="adjournmentReason" rows={2} className={inputClass} aria-describedby="adjournment-error" />
          <span id="adjournment-error" className="block text-sm font-normal text-red-700">
            {fieldError("adjournmentReason")}
          </span>
        </label>
      ) : null}
      <button type="submit" className={smallPrimaryClass} disabled={command.busy}>
        Enregistrer la décision
      </button>
      <FormErrors errors={command.formErrors} />
    </command.Form>
  );
}

/** The legend of one decision target: « Bloc RNCP38544BC01 » or « Compétence C3 ». */
function targetLabel(code: string, granularity: string): string {
  return `${granularity === "bloc" ? "Bloc" : "Compétence"} ${code}`;
}

function DecisionShown({ room, item }: { room: Room; item: AgendaEntry }) {
  const decision = item.decision!;
  const tallies = decision.tallies as Record<string, number> | null;
  void room;
  return (
    <div className="space-y-2 rounded border border-emerald-300 bg-emerald-50 p-3" data-testid="decision">
      <h3 className="font-semibold text-emerald-900">
        Décision rendue : {OVERALL_DECISION_LABELS[decision.overall as OverallDecision]}
      </h3>
      <p className="text-sm">
        Le {formatDateTime(decision.decidedAt)} ·{" "}
        {decision.method === "APPEAL"
          ? DECIDED_ON_APPEAL
          : decision.method === "CONSENSUS"
            ? decisionWithoutOverallVote(item.polls.filter((p) => p.mode !== "CONSENSUS" && p.state === "FINISHED").length)
            : `${MODE_LABELS[decision.method as PollModeCode].toLowerCase()}`}
        {tallies
          ? ` (${talliesText(tallies, OVERALL_OPTIONS, ", ").toLowerCase()})`
          : ""}
        {decision.castingVoteUsed ? " · voix prépondérante utilisée" : ""}
      </p>
      {decision.adjournmentReason ? <p className="text-sm">Motif de l'ajournement : {decision.adjournmentReason}</p> : null}
      {decision.items.length > 0 ? (
        <ul className="text-sm">
          {decision.items.map((d) => (
            <li key={d.id}>
              {d.code} : {d.acquired ? "acquis" : "non acquis"} —{" "}
              {/* Null for a member recused for the candidate: the commission's outcome is withheld from him. */}
              {d.followed === null || d.commissionOutcome === null
                ? "décision du jury"
                : d.followed
                  ? "conforme à la commission"
                  : `commission : ${STATUS_LABELS[d.commissionOutcome as OutcomeStatus].toLowerCase()}, infirmée`}
              {d.reason ? ` (motif : ${d.reason})` : ""}
            </li>
          ))}
        </ul>
      ) : null}
      <DecisionSheetPanel sessionId={room.session.id} slotId={item.agendaItemId} />
    </div>
  );
}
