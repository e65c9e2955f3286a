import { useRevalidateWhenReachable } from "~/components/use-revalidate-when-reachable";
import { useEffect, useId, useLayoutEffect, useRef, useState } from "react";

// Layout effect in the browser (runs before the page can be used again), plain effect on the server (no warning).
const useIsomorphicLayoutEffect = typeof window === "undefined" ? useEffect : useLayoutEffect;
import { assessmentKey, COMMENT_MAX_LENGTH, SYNTHESIS_MAX_LENGTH } from "~/live/commission/grid-content";
import type { SlotState } from "~/live/commission/slot-context.server";
import { OUTCOME_LABELS, STATUS_LABELS } from "~/domain/aggregation";
import { consolidate, gridOutcome, type PhaseDurations } from "~/domain/commission";
import type { Scheme } from "~/domain/scheme";
import { isCommentRequired } from "~/domain/scheme";
import { safeColor, seatColor } from "~/domain/presence";
import { colorFor, useBrowserOnline, useGridDocument, useWarnBeforeLeaving, type Peer } from "./use-grid-document";
import { useSessionSocket } from "./use-session-socket";
import { PhaseBar } from "./phase-bar";
import { ResultInput, resultText } from "./result-input";
import { SigningPanel } from "./signing-panel";
import { useCommand } from "./use-command";
import { SynthesisEditor } from "./synthesis-editor";

type Competence = {
  id: string;
  code: string;
  statement: string;
  conditions: string | null;
  criteria: Array<{ id: string; statement: string; mandatory?: boolean }>;
};

type Referential = {
  certification: { title: string; code: string; scheme: Scheme };
  blocs: Array<{ id: string; code: string; title: string; competences: Competence[] }>;
};

/** `signingBarred`: may no longer sign the grid (`gridSigningRefusal`); the organisation records his empêchement. */
type Signer = { userId: string; displayName: string; signingBarred?: boolean };

export function LiveSession({
  sessionId,
  user,
  documentName,
  canScore,
  readOnlyReason = null,
  reopenRefusal = null,
  signRefusal = null,
  isPresident,
  candidate,
  referential,
  slotState,
  signers,
  durations,
  actionUrl,
  pdfUrl,
  seatOrder = [],
}: {
  sessionId: string;
  user: { id: string; displayName: string };
  documentName: string | null;
  canScore: boolean;
  /** Why this scoring member may only read this candidate's grid (they trained the candidate), or null. */
  readOnlyReason?: string | null;
  /** Why the grid in signature may no longer be reopened (SigningPanel). */
  reopenRefusal?: string | null;
  /** Why this signer may not sign the grid (SigningPanel): `gridSigningRefusal`. */
  signRefusal?: string | null;
  isPresident: boolean;
  candidate: string | null;
  referential: Referential | null;
  slotState: SlotState | null;
  signers: Signer[];
  durations: PhaseDurations;
  actionUrl: string | null;
  pdfUrl: string | null;
  /** The session's seats (user ids) in the order the server gives each its presence colour (cursors, names). */
  seatOrder?: string[];
}) {
  const live = useSessionSocket(sessionId, slotState);
  const grid = useGridDocument(documentName, user);
  const online = useBrowserOnline();
  const reconnected = useReconnectedNotice(online, grid.saveState === "saved" && grid.connection === "connected" && grid.synced);
  useWarnBeforeLeaving(grid.pending > 0);
  useReloadOnGridStatus(slotState, live.slot);
  // One colour per seat, the same as the member's cursor and name in the synthesis (the server's seatColor).
  const colorOf = (userId: string) => (seatOrder.includes(userId) ? seatColor(seatOrder.indexOf(userId)) : colorFor(userId));
  const state = live.slot;
  const declared = state?.declarations.includes(user.id) ?? false;
  const open = state?.gridStatus === "OPEN";
  // Seat removed mid-session: the server closed the session socket and the grid; the page stays, frozen.
  const removed = live.removed;
  // The server ended the member's sign-in (the grid's 4401, or the room's « Session fermée » message), not the seat.
  const signedOut = grid.signedOut || (live.error ?? "").startsWith("Session fermée");
  const here = documentName && slotState ? `?candidat=${slotState.slotId}` : "";
  const canWrite = canScore && !readOnlyReason && declared && open && !removed && !grid.revoked;
  // The server refuses scores during « Accueil » and consolidated results from anyone but the president.
  const scoringOpen = state?.phase !== "ACCUEIL";
  const declare = useCommand();
  const { reconnect } = grid;
  const outcome = referential ? gridOutcome(referential.certification.scheme, referential.blocs, grid.results) : null;
  const blocStatus = (blocId: string) => outcome?.blocs.find((b) => b.id === blocId)?.status ?? "pending";

  // Access to the document is decided when connecting: after declaring, reconnect to get write access. In a
  // layout effect, so the controls never show as enabled on the old read-only connection: an edit made in that
  // gap (a quick user, a test on a loaded machine) was refused by the server and dropped.
  useIsomorphicLayoutEffect(() => {
    if (declared && canScore && open && !removed) reconnect();
  }, [declared, canScore, open, removed, reconnect]);

  // Scoring opens with the phase: the server re-resolves the connection's rights; nothing to do here but re-render.

  return (
    <div className="space-y-4">
      {/* Fixed at the bottom of the screen: seen wherever the member has scrolled the grid, on a phone too. */}
      {!online || reconnected ? (
        <p
          role="status"
          data-testid="network-banner"
          className={`fixed inset-x-0 bottom-0 z-20 border-t px-4 py-3 text-sm shadow-lg ${
            online ? "border-emerald-300 bg-emerald-50 text-emerald-950" : "border-amber-400 bg-amber-50 text-amber-950"
          }`}
        >
          {online ? (
            "Connexion rétablie : vos modifications sont enregistrées et la grille est à jour."
          ) : (
            <>
              <span className="font-semibold">Hors ligne.</span> Ce que vous saisissez est gardé sur cette page et sera
              enregistré dès le retour du réseau : ne rechargez pas et ne fermez pas la page.
            </>
          )}
        </p>
      ) : null}
      {removed ? (
        <div role="alert" data-testid="seat-removed" className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-900">
          <p className="font-semibold">{live.error}</p>
          {signedOut ? (
            // The sign-in ended (here or in another tab): the seat is still there, only a new sign-in is needed.
            <p className="mt-1 text-sm">
              Vous n'êtes plus connecté(e) : la grille et la présence ne sont plus mises à jour. Ce qui était
              « Enregistré » est conservé.{" "}
              <a href={`/login?redirectTo=${encodeURIComponent(`/sessions/${sessionId}${here}`)}`} className="underline">
                Se reconnecter
              </a>
            </p>
          ) : (
            <p className="mt-1 text-sm">
              Votre siège a été retiré par l'organisation de la session : la grille et la présence ne sont plus mises à
              jour et vos modifications ne sont plus acceptées.{" "}
              <a href="/sessions" className="underline">
                Retour aux sessions
              </a>
            </p>
          )}
        </div>
      ) : null}
      <section aria-labelledby="presence-title" className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex items-center justify-between">
          <h2 id="presence-title" className="font-semibold">
            Connectés
          </h2>
          <span className="text-xs text-slate-600" data-testid="presence-status">
            {!online ? "hors ligne" : live.status === "connected" ? "en direct" : live.status === "refused" ? "refusé" : "connexion…"}
          </span>
        </div>
        {live.error && !removed ? (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {live.error}
          </p>
        ) : null}
        <ul className="mt-2 flex flex-wrap gap-2" data-testid="presence">
          {live.members.map((m) => (
            <li
              key={m.userId}
              className="flex items-center gap-2 rounded-full border border-slate-200 px-3 py-1 text-sm"
              data-user={m.displayName}
            >
              <span aria-hidden className="h-2.5 w-2.5 rounded-full" style={{ background: m.idle ? "#cbd5e1" : colorOf(m.userId) }} />
              {m.displayName}
              {m.userId === user.id ? " (vous)" : ""}
              {m.devices > 1 ? <span className="text-xs text-slate-600">· {m.devices} appareils</span> : null}
              {m.idle ? <span className="text-xs text-slate-600">· inactif</span> : null}
            </li>
          ))}
        </ul>
      </section>

      {!documentName || !referential || !state || !actionUrl ? (
        <p className="rounded border border-slate-200 bg-white p-4 text-slate-700">
          Aucune grille à afficher : la session n'a pas de candidat ou de référentiel.
        </p>
      ) : (
        <>
          <PhaseBar state={state} durations={durations} isPresident={isPresident} actionUrl={actionUrl} />

          {canScore && !readOnlyReason && declared && open && !removed && !scoringOpen ? (
            <p role="note" data-testid="scoring-closed" className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800">
              {isPresident
                ? "La notation s'ouvre quand vous passez à « Présentation » : jusque-là, la grille ne peut pas être remplie."
                : "La notation s'ouvre quand la présidence passe à « Présentation » : jusque-là, la grille ne peut pas être remplie."}
            </p>
          ) : null}

          {canScore && readOnlyReason ? (
            <p role="note" data-testid="read-only-reason" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950">
              {readOnlyReason}
            </p>
          ) : null}

          {canScore && !readOnlyReason && !declared && open && !removed ? (
            <section role="region" aria-label="Déclaration d'absence de conflit d'intérêts" className="rounded-lg border border-amber-300 bg-amber-50 p-4">
              <p className="text-amber-950">
                Avant d'évaluer {candidate}, déclarez l'absence de conflit d'intérêts : vous n'avez avec ce candidat aucun
                lien personnel ou professionnel (ni formateur, ni employeur, ni proche) qui nuirait à votre impartialité.
              </p>
              <form method="post" action={actionUrl} onSubmit={declare.onSubmit} className="mt-3">
                <input type="hidden" name="intent" value="declare" />
                <button type="submit" disabled={declare.state !== "idle"} className="rounded bg-amber-700 px-4 py-2 text-white">
                  Je déclare n'avoir aucun conflit d'intérêts
                </button>
              </form>
              {declare.data && !declare.data.ok ? (
                <p role="alert" className="mt-2 text-sm text-red-700">
                  {declare.data.error}
                </p>
              ) : null}
            </section>
          ) : null}

          {state.gridStatus !== "OPEN" && pdfUrl ? (
            <SigningPanel
              state={state}
              signers={signers}
              me={user.id}
              isPresident={isPresident}
              actionUrl={actionUrl}
              pdfUrl={pdfUrl}
              reopenRefusal={reopenRefusal}
              signRefusal={signRefusal}
            />
          ) : null}

          <section aria-labelledby="grid-title" className="rounded-lg border border-slate-200 bg-white">
            <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 p-4">
              <div>
                <h2 id="grid-title" className="text-lg font-semibold">
                  Grille d'évaluation — {candidate}
                </h2>
                <p className="text-sm text-slate-600">
                  {referential.certification.title} ({referential.certification.code})
                </p>
              </div>
              <div className="flex items-center gap-3 text-sm">
                {!canScore || readOnlyReason ? (
                  <span className="rounded bg-slate-100 px-2 py-1 text-slate-700" data-testid="read-only">
                    Lecture seule
                  </span>
                ) : state.gridStatus !== "OPEN" ? (
                  <span className="rounded bg-emerald-50 px-2 py-1 text-emerald-800">Grille scellée</span>
                ) : null}
                <span data-testid="save-state" aria-live="polite" className="text-slate-600">
                  {grid.revoked
                    ? "Déconnecté"
                    : !online
                      ? grid.pending > 0
                        ? "Hors ligne : modifications en attente d'envoi"
                        : "Hors ligne"
                      : grid.connection !== "connected"
                        ? grid.pending > 0
                          ? "Reconnexion… modifications en attente d'envoi"
                          : "Connexion…"
                        : !grid.synced
                          ? "Chargement…"
                          : grid.saveState === "saving"
                            ? "Enregistrement…"
                            : "Enregistré"}
                </span>
              </div>
            </header>
            {grid.denied && !(removed && grid.revoked) ? (
              <p role="alert" className="border-b border-red-200 bg-red-50 px-4 py-2 text-sm text-red-800">
                {grid.denied}
              </p>
            ) : null}
            {referential.blocs.map((bloc) => (
              <div key={bloc.id}>
                <h3 className="flex flex-wrap justify-between gap-2 bg-slate-50 px-4 py-2 text-sm font-semibold text-slate-700">
                  <span>
                    {bloc.code} — {bloc.title}
                  </span>
                  <span data-testid="bloc-outcome" className={blocStatus(bloc.id) === "acquired" ? "text-emerald-800" : ""}>
                    Bloc : {STATUS_LABELS[blocStatus(bloc.id)].toLowerCase()}
                  </span>
                </h3>
                <ul className="divide-y divide-slate-100">
                  {bloc.competences.map((c) => (
                    <CompetenceRow
                      colorOf={colorOf}
                      key={c.id}
                      competence={c}
                      scheme={referential.certification.scheme}
                      me={user.id}
                      signers={signers}
                      canScore={canScore && !readOnlyReason}
                      result={grid.results[c.id] ?? ""}
                      comment={grid.comments[c.id] ?? ""}
                      assessments={grid.assessments}
                      peers={grid.peers.filter((p) => p.focus === c.id)}
                      scoringDisabled={!canWrite || !grid.synced || !scoringOpen}
                      resultDisabled={!canWrite || !grid.synced || !scoringOpen || !isPresident}
                      onResult={(v) => grid.setResult(c.id, v)}
                      onComment={(v) => grid.setComment(c.id, v)}
                      onAssessment={(v) => grid.setAssessment(assessmentKey(user.id, c.id), v)}
                      onFocus={() => grid.setFocus(c.id)}
                      onBlur={() => grid.setFocus(null)}
                    />
                  ))}
                </ul>
              </div>
            ))}
            {outcome ? (
              <p className="border-t border-slate-200 px-4 py-3 text-sm" data-testid="certification-outcome">
                <span className="font-medium">Résultat selon les règles de la certification : </span>
                {OUTCOME_LABELS[outcome.outcome]}
                {outcome.finalScore !== null ? ` (moyenne ${String(outcome.finalScore).replace(".", ",")})` : ""}
                <span className="block text-slate-600">Le jury reste seul à décider de la délivrance.</span>
              </p>
            ) : null}
            <div className="border-t border-slate-200 p-4">
              <h3 id="synthesis-label" className="font-semibold">
                Synthèse de la commission
              </h3>
              <p className="mb-2 text-sm text-slate-600">Rédigée à plusieurs : les curseurs des autres membres s'affichent à leur nom.</p>
              <SynthesisEditor binding={grid.binding} readOnly={!canWrite} labelId="synthesis-label" maxLength={SYNTHESIS_MAX_LENGTH} />
            </div>
          </section>
        </>
      )}
      {/* Room to scroll the synthesis' last lines above the banner fixed at the bottom (it covered what was typed). */}
      {!online || reconnected ? <div aria-hidden className="h-32" data-testid="network-banner-room" /> : null}
    </div>
  );
}

/**
 * The page around the grid (the agenda's « Grille signée · PDF », the dossier's state) comes from the loader: when the
 * broadcast state says the grid was sealed, signed, reopened or its PDF stored, the loader runs again, so nobody has
 * to reload the page to see it (once per new status, never in a loop).
 */
function useReloadOnGridStatus(loaded: SlotState | null, current: SlotState | null) {
  // From a server that answers: a revalidation that never reached it replaced the live room by the error page.
  const { revalidate } = useRevalidateWhenReachable();
  const done = useRef<string | null>(null);
  const loadedKey = loaded ? `${loaded.slotId}|${loaded.gridStatus}|${loaded.pdfSha256 ?? ""}` : null;
  const currentKey = current ? `${current.slotId}|${current.gridStatus}|${current.pdfSha256 ?? ""}` : null;
  useEffect(() => {
    if (!currentKey || currentKey === loadedKey || done.current === currentKey) return;
    done.current = currentKey;
    revalidate();
  }, [currentKey, loadedKey, revalidate]);
}

/**
 * True for a few seconds once the network is back and the grid says everything is stored again: the page tells the
 * member who saw « Hors ligne » that what they typed meanwhile reached the server.
 */
function useReconnectedNotice(online: boolean, settled: boolean): boolean {
  const [wasOffline, setWasOffline] = useState(false);
  const [shown, setShown] = useState(false);
  // Adjusted while rendering (React's pattern for state that follows props), not in an effect.
  if (!online && !wasOffline) setWasOffline(true);
  if (!online && shown) setShown(false);
  if (online && wasOffline && settled) {
    setWasOffline(false);
    setShown(true);
  }
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(false), 8_000);
    return () => clearTimeout(timer);
  }, [shown]);
  return shown;
}

function CompetenceRow({
  colorOf,
  competence,
  scheme,
  me,
  signers,
  canScore,
  result,
  comment,
  assessments,
  peers,
  scoringDisabled,
  resultDisabled,
  onResult,
  onComment,
  onAssessment,
  onFocus,
  onBlur,
}: {
  colorOf: (userId: string) => string;
  competence: Competence;
  scheme: Scheme;
  me: string;
  signers: Signer[];
  canScore: boolean;
  result: string;
  comment: string;
  assessments: Record<string, string>;
  peers: Peer[];
  scoringDisabled: boolean;
  resultDisabled: boolean;
  onResult: (value: string) => void;
  onComment: (value: string) => void;
  onAssessment: (value: string) => void;
  onFocus: () => void;
  onBlur: () => void;
}) {
  const id = useId();
  const required = isCommentRequired(scheme, result, competence);
  const commentMissing = required && comment.trim() === "";
  const memberValues = signers.map((s) => ({ ...s, raw: assessments[assessmentKey(s.userId, competence.id)] ?? "" }));
  const consolidation = consolidate(
    scheme,
    competence,
    memberValues.map((m) => ({ userId: m.userId, raw: m.raw })),
  );
  const criteriaCount = competence.criteria.length;
  return (
    <li className="grid gap-4 px-4 py-3 lg:grid-cols-[1fr_15rem]" data-competence={competence.code}>
      <div>
        <p className="font-medium">
          {competence.code}. {competence.statement}
        </p>
        {competence.conditions ? <p className="text-sm text-slate-600">{competence.conditions}</p> : null}
        <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">
          {competence.criteria.map((cr) => (
            <li key={cr.id}>
              {cr.statement}
              {cr.mandatory ? <span className="ml-1 text-xs font-semibold text-slate-900">(obligatoire)</span> : null}
            </li>
          ))}
        </ul>
        <div className="mt-2 rounded bg-slate-50 p-2 text-sm" data-testid="assessments">
          <p className="font-medium text-slate-700">Évaluations des membres</p>
          <ul className="mt-1 space-y-0.5">
            {memberValues.map((m) => (
              <li key={m.userId}>
                <span className="inline-block h-2 w-2 rounded-full align-middle" style={{ background: colorOf(m.userId) }} aria-hidden />{" "}
                {m.displayName}
                {m.userId === me ? " (vous)" : ""} : {resultText(scheme.scale, m.raw, criteriaCount)}
              </li>
            ))}
          </ul>
          {consolidation.divergent ? (
            <p className="mt-1 font-medium text-amber-800" role="status">
              Évaluations divergentes : la commission doit réexaminer cette compétence.
            </p>
          ) : consolidation.proposal && consolidation.proposal !== result ? (
            <p className="mt-1 text-slate-700">
              Proposition : {resultText(scheme.scale, consolidation.proposal, criteriaCount)}{" "}
              {!resultDisabled ? (
                <button type="button" onClick={() => onResult(consolidation.proposal!)} className="ml-1 text-brand-700 underline">
                  Reprendre la proposition
                </button>
              ) : null}
            </p>
          ) : null}
        </div>
        <label htmlFor={`${id}-comment`} className="mt-2 block text-sm font-medium">
          Commentaire{required ? " (obligatoire)" : ""}
          <span className="sr-only"> — compétence {competence.code}</span>
        </label>
        <textarea
          id={`${id}-comment`}
          value={comment}
          disabled={resultDisabled}
          maxLength={COMMENT_MAX_LENGTH}
          rows={2}
          aria-invalid={commentMissing || undefined}
          aria-describedby={commentMissing ? `${id}-comment-error` : undefined}
          onChange={(e) => onComment(e.target.value)}
          onFocus={onFocus}
          onBlur={onBlur}
          className="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm disabled:bg-slate-50 aria-[invalid=true]:border-amber-500"
        />
        {commentMissing ? (
          <p id={`${id}-comment-error`} className="text-sm text-amber-800">
            Commentaire obligatoire lié aux critères : la compétence n'est pas acquise en pleine autonomie.
          </p>
        ) : null}
      </div>
      <div className="space-y-3">
        {canScore ? (
          <div>
            <label htmlFor={`${id}-mine`} className="block text-sm font-medium">
              Mon évaluation
            </label>
            <ResultInput
              id={`${id}-mine`}
              label={`Mon évaluation — compétence ${competence.code}`}
              scale={scheme.scale}
              criteria={competence.criteria}
              value={assessments[assessmentKey(me, competence.id)] ?? ""}
              disabled={scoringDisabled}
              onChange={onAssessment}
              onFocus={onFocus}
              onBlur={onBlur}
            />
          </div>
        ) : null}
        <div>
          <label htmlFor={`${id}-result`} className="block text-sm font-medium">
            Résultat de la commission
          </label>
          <ResultInput
            id={`${id}-result`}
            label={`Résultat de la commission — compétence ${competence.code}`}
            scale={scheme.scale}
            criteria={competence.criteria}
            value={result}
            disabled={resultDisabled}
            onChange={onResult}
            onFocus={onFocus}
            onBlur={onBlur}
          />
        </div>
        {peers.length > 0 ? (
          <p className="flex flex-wrap gap-1 text-xs" aria-label="Membres sur cette compétence">
            {peers.map((p) => (
              <span key={p.clientId} className="rounded px-1.5 py-0.5 text-white" style={{ background: safeColor(p.color) ?? "#64748b" }}>
                {p.name}
              </span>
            ))}
          </p>
        ) : null}
      </div>
    </li>
  );
}
