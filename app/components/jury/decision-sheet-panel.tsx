/**
 * One candidate's fiche de décision, self-contained: the decision in short, the sheet's state, its signers, the
 * actions the viewer may take (submit for signature — the president or vice-president —, sign with password and
 * consent, ask for a change with a reason) and the sealed PDF once ready — or its render's failure, with « Relancer la
 * production du PDF » for the organisation's secretariat or an administrator (`viewer.canRetry`; the route checks
 * again). It loads its state from `/sessions/:sessionId/decisions/:slotId` (slotId = the jury agenda item) and posts
 * its commands there; the server decides everything, the panel only hides what the viewer cannot do.
 *
 * Refresh: with `live` (default, for the jury room) it joins the session's socket.io room and reloads on
 * `decision:state`, on its PDF's `render:state` (relaunched, stored, given up on) and on the room's decision event,
 * re-reading a pending PDF only every PDF_FALLBACK_MS besides; outside the room (`live={false}`: candidate and dossier pages,
 * where joining would count the reader as present in the session) it reloads when the window regains focus, and
 * every few seconds while the sealed PDF is being prepared.
 */
import { useCommand } from "~/components/live/use-command";
import { useJsonRead } from "~/components/live/use-json-read";
import { createContext, useContext, useEffect, useId, useRef } from "react";
import type { DecisionSheetView } from "~/live/jury/get-decision-sheet.server";
import { RenderFailed } from "~/components/signing/render-failed";
import { closeOnPageHide, notePageLeft, sessionJoinPayload } from "~/components/live/page-socket";
import { formatDayTime } from "~/components/format";
import { PDF_FALLBACK_MS } from "~/components/use-refresh-while";

type Refusal = { ok: false; formErrors?: string[]; fieldErrors?: Record<string, string[]>; error?: string };
type Loaded = { ok: true; view: DecisionSheetView } | Refusal;
type Answer = { ok: true } | Refusal;

const STATUS = {
  OPEN: { label: "À soumettre à la signature", className: "bg-amber-50 text-amber-900 border-amber-200" },
  SIGNING: { label: "En signature", className: "bg-sky-50 text-sky-900 border-sky-200" },
  SIGNED: { label: "Signée et scellée", className: "bg-emerald-50 text-emerald-900 border-emerald-200" },
} as const;

const button =
  "rounded bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-60";
const secondary =
  "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-50";
const PDF_POLL_MS = 4_000;

/**
 * Inside the jury room the room's own session socket carries the sheets' changes (a counter per agenda item, the
 * room's joins and jury events): the panel then opens no second socket, which would show its viewer twice.
 */
export const DecisionSheetSignals = createContext<{ sheets: Record<string, number>; joins: number; decisions: number } | null>(null);

/** Reloads on this session's events for this candidate (a second socket of the page: same user, same room). */
function useSheetEvents(sessionId: string, agendaItemId: string, enabled: boolean, reload: () => void) {
  const latest = useRef(reload);
  useEffect(() => {
    latest.current = reload;
  }, [reload]);
  useEffect(() => {
    if (!enabled) return;
    let cancelled = false;
    let close = () => {};
    void import("socket.io-client").then(({ io }) => {
      if (cancelled) return;
      const socket = io({ path: "/socket.io", transports: ["websocket"] });
      socket.on("connect", () => {
        socket.emit("session:join", sessionJoinPayload(sessionId), () => {});
        latest.current(); // what changed while disconnected
      });
      socket.on("decision:state", (state: { agendaItemId?: string }) => {
        if (state?.agendaItemId === agendaItemId) latest.current();
      });
      socket.on("render:state", (state: { kind?: string; documentId?: string }) => {
        if (state?.kind === "decision" && state.documentId === agendaItemId) latest.current();
      });
      socket.on("jury:event", (event: { change?: { type?: string; agendaItemId?: string } }) => {
        if (event?.change?.type === "decision" && event.change.agendaItemId === agendaItemId) latest.current();
      });
      const unlisten = closeOnPageHide(socket, sessionId);
      close = () => {
        unlisten();
        notePageLeft(sessionId);
        socket.close();
      };
    });
    return () => {
      cancelled = true;
      close();
    };
  }, [sessionId, agendaItemId, enabled]);
}

/** `shownAtField`: the fields whose error is said at the field itself, not again here. */
function Errors({ answer, id, shownAtField = [] }: { answer: Answer | undefined; id: string; shownAtField?: string[] }) {
  if (!answer || answer.ok) return null;
  // `error`: a command that never reached the server (useCommand).
  const fieldMessages = Object.entries(answer.fieldErrors ?? {}).flatMap(([field, errors]) => (shownAtField.includes(field) ? [] : errors));
  const messages = [...(answer.formErrors ?? []), ...fieldMessages, ...(answer.error ? [answer.error] : [])];
  if (messages.length === 0) return null;
  return (
    <div id={id} role="alert" className="rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800">
      {messages.length === 1 ? (
        messages[0]
      ) : (
        <ul className="list-disc pl-5">
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function DecisionSheetPanel({ sessionId, slotId, live = true }: { sessionId: string; slotId: string; live?: boolean }) {
  const url = `/sessions/${encodeURIComponent(sessionId)}/decisions/${encodeURIComponent(slotId)}`;
  // Read without a fetcher, whose failed load (the network dropped) would replace the jury room by the route's error
  // page: the panel keeps what it shows and reads again once back online.
  const state = useJsonRead<Loaded>(url);
  // A command, not a fetcher: a click while the network is down is answered under the form instead of replacing the
  // jury room by the route's error page. The panel reloads itself after an answer (below), the room from its broadcast.
  const command = useCommand<Answer & { error?: string }>({ revalidate: false });
  const ids = useId();
  const reload = state.load;

  useEffect(() => {
    reload();
  }, [reload]);
  const signals = useContext(DecisionSheetSignals);
  useSheetEvents(sessionId, slotId, live && signals === null, reload);
  const signal = signals ? `${signals.sheets[slotId] ?? 0}:${signals.joins}:${signals.decisions}` : null;
  const seenSignal = useRef(signal);
  useEffect(() => {
    if (signal === null || signal === seenSignal.current) return;
    seenSignal.current = signal;
    reload();
  }, [signal, reload]);

  // After a command, show the new state (the broadcast reloads the others' panels).
  const answered = command.state === "idle" ? command.data : undefined;
  useEffect(() => {
    if (answered?.ok) reload();
  }, [answered, reload]);

  const loaded = state.data;
  const view = loaded?.ok ? loaded.view : null;
  const sheet = view?.sheet ?? null;
  // Not while the render failed for good: nothing changes until the secretariat retries it.
  const pdfPending = sheet?.status === "SIGNED" && !sheet.pdfUrl && !sheet.pdfFailure && !sheet.pdfWithheld;

  // Outside the room: reload on focus, and while the PDF is being sealed.
  useEffect(() => {
    if (live) return;
    const onFocus = () => reload();
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [live, reload]);
  // Live, the sealed PDF's link (or its render's failure) comes with `render:state`: the re-read is then a slow fallback.
  useEffect(() => {
    if (!pdfPending) return;
    const timer = setInterval(reload, live ? PDF_FALLBACK_MS : PDF_POLL_MS);
    return () => clearInterval(timer);
  }, [pdfPending, reload, live]);

  const busy = command.state !== "idle";
  // The reopen form's reason (the only field named so): said at the field.
  const reasonError = answered && !answered.ok ? answered.fieldErrors?.reason?.[0] : undefined;
  const headingId = `${ids}-heading`;
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="decision-sheet">
      <h3 id={headingId} className="font-semibold text-slate-900">
        Fiche de décision
      </h3>
      {state.unreachable ? (
        <p role="status" className="text-sm text-amber-900" data-testid="decision-sheet-unreachable">
          Pas de connexion au serveur : {loaded ? "la fiche affichée peut ne plus être à jour" : "la fiche n'a pas pu être lue"}. Elle sera
          relue au retour du réseau.
        </p>
      ) : null}
      {!loaded ? (
        state.unreachable ? null : <p className="text-sm text-slate-600">Chargement…</p>
      ) : !loaded.ok ? (
        <p role="alert" className="text-sm text-red-800">
          {loaded.formErrors?.[0] ?? "Fiche de décision indisponible."}
        </p>
      ) : !view?.decision || !sheet ? (
        <p className="text-sm text-slate-600">La fiche de décision sera établie une fois la décision du jury rendue.</p>
      ) : (
        <>
          <div className="text-sm">
            <p>
              <span className="font-medium">{view.decision.label}</span>
              {view.decision.overall === "ADJOURNED" && view.decision.adjournmentReason ? ` — ${view.decision.adjournmentReason}` : ""}
              <span className="text-slate-600"> · décidée le {formatDayTime(view.decision.decidedAt)}</span>
            </p>
            {view.decision.overall !== "ADJOURNED" ? (
              <p className="text-slate-700">
                Acquis : {view.decision.acquired.length ? view.decision.acquired.join(", ") : "aucun"}
                {view.decision.overall !== "TOTAL" && view.decision.notAcquired.length ? ` ; à acquérir : ${view.decision.notAcquired.join(", ")}` : ""}
              </p>
            ) : null}
          </div>
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <span data-testid="decision-sheet-status" className={`rounded border px-2 py-0.5 font-medium ${STATUS[sheet.status].className}`}>
              {STATUS[sheet.status].label}
            </span>
            {sheet.round > 0 ? <span className="text-slate-600">version {sheet.round + 1}</span> : null}
          </p>

          <div className="text-sm">
            <p className="font-medium">Signataires</p>
            <ul className="mt-1 space-y-0.5">
              {sheet.signers.map((s) => (
                <li key={s.userId}>
                  <span aria-hidden="true" className={s.signed ? "text-emerald-700" : "text-slate-400"}>
                    {s.signed ? "✓ " : "○ "}
                  </span>
                  {s.displayName} — {s.roleLabel} : {s.signed ? "signé" : s.prevented ? "empêchement constaté (ne signe pas)" : sheet.status === "OPEN" ? "signera après soumission" : "à signer"}
                  {s.replacedBy?.signedWords ? ` — ${s.replacedBy.signedWords}` : s.replacedBy ? ` — ${s.replacedBy.displayName} signe à sa place` : null}
                </li>
              ))}
              {sheet.replacements.map((r) => (
                <li key={r.key} data-testid="replacement-signer">
                  {r.displayName} — {r.roleLabel} : {r.words}
                </li>
              ))}
            </ul>
          </div>

          {sheet.status === "SIGNED" ? (
            sheet.pdfWithheld ? (
              <p className="text-sm text-slate-700" data-testid="sheet-pdf-withheld">
                {sheet.pdfWithheld}
              </p>
            ) : sheet.pdfUrl ? (
              <p className="text-sm">
                <a href={sheet.pdfUrl} download className="font-medium text-brand-700 underline">
                  Télécharger la fiche de décision scellée (PDF)
                </a>
                <span className="block break-all text-xs text-slate-500">SHA-256 {sheet.pdfSha256}</span>
              </p>
            ) : sheet.pdfFailure ? (
              <div className="text-sm">
                <RenderFailed
                  failure={sheet.pdfFailure}
                  subject="Le PDF scellé de la fiche"
                  kind="decision"
                  documentId={slotId}
                  canRetry={sheet.viewer.canRetry}
                  onRetried={reload}
                />
              </div>
            ) : (
              <p className="text-sm text-slate-600" aria-live="polite">
                PDF scellé en préparation…
              </p>
            )
          ) : null}

          {sheet.viewer.canOpen ? (
            <form method="post" action={url} onSubmit={command.onSubmit} className="space-y-2">
              <input type="hidden" name="intent" value="open" />
              <p className="text-xs text-slate-600">
                Les préconisations seront figées avec la décision ; un membre du jury pourra demander une modification avant la
                dernière signature.
              </p>
              <button type="submit" disabled={busy} className={button}>
                Soumettre à la signature
              </button>
            </form>
          ) : null}

          {sheet.status === "SIGNING" && sheet.viewer.isSigner && !sheet.viewer.hasSigned && !sheet.viewer.isPrevented ? (
            <form method="post" action={url} onSubmit={command.onSubmit} className="space-y-2 rounded border border-slate-200 p-3">
              <input type="hidden" name="intent" value="sign" />
              <input type="hidden" name="contentHash" value={sheet.sealedHash ?? ""} />
              <label className="block text-sm">
                Mot de passe
                <input
                  type="password"
                  name="password"
                  autoComplete="current-password"
                  required
                  className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
                />
              </label>
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="consent" required className="mt-0.5 h-5 w-5 shrink-0" />
                <span>
                  Je signe cette fiche de décision telle qu'elle est scellée (empreinte{" "}
                  <span className="font-mono text-xs">{sheet.sealedHash?.slice(0, 16)}…</span>)
                  {sheet.viewer.signsFor.length > 0 ? `, en qualité de vice-président(e), pour le président ${sheet.viewer.signsFor.join(", ")} empêché` : ""}.
                </span>
              </label>
              <button type="submit" disabled={busy} className={button}>
                Signer la fiche de décision
              </button>
            </form>
          ) : null}
          {sheet.status === "SIGNING" && sheet.viewer.hasSigned ? <p className="text-sm text-emerald-800">Vous avez signé cette fiche.</p> : null}

          {sheet.viewer.canRequestChange ? (
            <details className="text-sm">
              <summary className="cursor-pointer py-1.5 text-slate-700">Demander une modification</summary>
              {/* Checked by the server only: an empty request gets the French error at the field, not the browser's bubble. */}
              <form method="post" action={url} onSubmit={command.onSubmit} noValidate className="mt-2 space-y-2">
                <input type="hidden" name="intent" value="reopen" />
                <label className="block">
                  Modification demandée
                  <textarea
                    name="reason"
                    maxLength={500}
                    className="mt-1 block w-full rounded border border-slate-300 px-2 py-1 aria-[invalid=true]:border-red-500"
                    aria-invalid={reasonError ? true : undefined}
                    aria-describedby={`${ids}-reason-error`}
                  />
                </label>
                <p id={`${ids}-reason-error`} className="text-sm text-red-700" aria-live="polite">
                  {reasonError ?? ""}
                </p>
                <p className="text-xs text-slate-600">La fiche sera rouverte et les signatures déjà données annulées.</p>
                <button type="submit" disabled={busy} className={secondary}>
                  Demander la modification
                </button>
              </form>
            </details>
          ) : null}

          <Errors answer={answered} id={`${ids}-errors`} shownAtField={sheet.viewer.canRequestChange ? ["reason"] : []} />

          {sheet.voidedSignatures.length > 0 || sheet.changeRequests.length > 0 ? (
            <div className="space-y-1 text-xs text-slate-600">
              {sheet.changeRequests.map((r) => (
                <p key={r.at}>
                  Modification demandée le {formatDayTime(r.at)} par {r.by} : {r.reason}
                </p>
              ))}
              {sheet.voidedSignatures.map((s) => (
                <p key={`${s.name}-${s.round}-${s.signedAt}`} data-testid="decision-sheet-voided">
                  Signature annulée : {s.name}, signé le {formatDayTime(s.signedAt)}
                </p>
              ))}
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
