import { createElement, useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type FormHTMLAttributes } from "react";
import type { JuryRoom } from "~/live/jury/get-jury-room.server";
import type { Refusal } from "~/platform/app-error";
import { useSessionSocket } from "~/components/live/use-session-socket";
import { useCommand } from "~/components/live/use-command";
import { readJson, useUnreachable } from "~/components/live/use-json-read";
import { PDF_FALLBACK_MS, useEveryWhile } from "~/components/use-refresh-while";

/**
 * The jury room's state: the loader's read model, then the server's newest one, refetched (GET /sessions/:id/jury) on
 * every `jury:event` of the session's socket and after every (re)join, so a member coming back sees the current state.
 * A response older than what is shown (lower state version) is ignored.
 */
export function useJuryRoom(initial: JuryRoom) {
  const sessionId = initial.session.id;
  const socket = useSessionSocket(sessionId, null);
  const [room, setRoom] = useState(initial);
  // The last read never reached the server: what is shown may be out of date (said in the room's header).
  const { unreachable, failed, reached, cancel } = useUnreachable();
  const url = `/sessions/${sessionId}/jury`;
  const shown = useRef(initial.session.version);
  // The newest version announced, and how many refetches in a row came back older than it.
  const announced = useRef(initial.session.version);
  const behind = useRef(0);
  // One refetch at a time: an event arriving meanwhile asks for one more once it is done (never aborts it, which
  // under a burst of events would keep the room from ever updating).
  const inFlight = useRef(false);
  const again = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const refresh = useCallback(() => {
    const read = () => {
      if (inFlight.current) {
        again.current = true;
        return;
      }
      inFlight.current = true;
      cancel();
      void (async () => {
        try {
          do {
            again.current = false;
            const answer = await readJson<{ ok: boolean; room?: JuryRoom }>(url);
            if (!mounted.current) return;
            if (answer === null) {
              // Never reached the server (the network dropped, the server restarting): the room stays as shown, read
              // again later (the socket's rejoin and the next event ask too).
              failed(read);
              return;
            }
            reached();
            const next = answer.room;
            if (next && next.session.version >= shown.current) {
              shown.current = next.session.version;
              setRoom(next);
            }
            // A refetch answered before the announced change was readable (it had started before it): ask once more —
            // a few times at most — rather than show the older room until the next event, which may be minutes away.
            if (shown.current < announced.current && behind.current < 3) {
              behind.current += 1;
              again.current = true;
            } else if (shown.current >= announced.current) {
              behind.current = 0;
            }
          } while (again.current);
        } finally {
          inFlight.current = false;
        }
      })();
    };
    read();
  }, [url, cancel, failed, reached]);

  useEffect(() => {
    if (!socket.juryEvent) return;
    announced.current = Math.max(announced.current, socket.juryEvent.version);
    if (socket.juryEvent.version > shown.current) refresh();
  }, [socket.juryEvent, refresh]);
  useEffect(() => {
    if (socket.joins > 0) refresh();
  }, [socket.joins, refresh]);
  // A decision sheet submitted or sent back for a change: its préconisations are frozen or written again.
  const sheetChanges = Object.values(socket.sheetSignals).reduce((sum, n) => sum + n, 0);
  useEffect(() => {
    if (sheetChanges > 0) refresh();
  }, [sheetChanges, refresh]);
  // A PDF the room shows changed render state (a candidate's commission grid or fiche de décision relaunched by
  // someone, stored, or given up on): the render runner and the relaunch tell every jury showing it (`render:state`).
  useEffect(() => {
    if (socket.renders > 0) refresh();
  }, [socket.renders, refresh]);
  // While a grid's PDF is being rendered, a slow re-read as well, only in case an event was lost (never while it failed:
  // nothing changes then until someone relaunches it, which is announced).
  useEveryWhile(gridPdfPending(room), refresh, PDF_FALLBACK_MS);
  // Commands do not refetch themselves: their broadcast comes back as a `jury:event` (one refetch per change); a
  // relaunch's answer re-reads at once (`reread`), its broadcast re-reads the others' rooms.
  return { room, socket, unreachable, refresh: noop, reread: refresh };
}

/** A candidate's grid signed by all whose PDF is neither there nor given up on. */
export function gridPdfPending(room: JuryRoom): boolean {
  return room.agenda.some((item) => item.grids.some((g) => g.status === "SIGNED" && !g.pdfUrl && !g.pdfFailure));
}

const noop = () => {};

export type CommandAnswer = ({ ok: true } & Record<string, unknown>) | Refusal;

/**
 * One command form of the room (POST to the jury's resource route): its pending state and its French refusal, shown
 * where the action is. `onDone` runs after a success (the room also refreshes from the broadcast).
 */
export function useJuryCommand(sessionId: string, onDone?: () => void) {
  const action = `/sessions/${sessionId}/jury`;
  // Not a fetcher: a click while the network is down is answered under its button (« Pas de connexion au serveur… »)
  // instead of replacing the whole room by the route's error page. The room refreshes from the broadcast.
  const command = useCommand<CommandAnswer | UnsentAnswer>({ revalidate: false });
  const answer = command.state === "idle" ? command.data : undefined;
  const refusal = answer && !answer.ok ? answer : null;
  const done = useRef<unknown>(null);
  useEffect(() => {
    if (answer?.ok && done.current !== answer) {
      done.current = answer;
      onDone?.();
    }
  }, [answer, onDone]);
  // A form element that sends through the command, stable across renders (a new component each render would
  // remount the form and lose what was typed in it).
  const onSubmit = useRef(command.onSubmit);
  useEffect(() => {
    onSubmit.current = command.onSubmit;
  }, [command.onSubmit]);
  const Form = useMemo(
    () =>
      function CommandForm(props: FormHTMLAttributes<HTMLFormElement>) {
        return createElement("form", { ...props, onSubmit: (event: FormEvent<HTMLFormElement>) => onSubmit.current(event) });
      },
    [],
  );
  const { submit } = command;
  return {
    Form,
    action,
    busy: command.state !== "idle",
    submit: (fields: Record<string, string>) => void submit(fields, action),
    formErrors: refusal ? formErrorsOf(refusal) : [],
    fieldErrors: refusal && "fieldErrors" in refusal && refusal.fieldErrors ? refusal.fieldErrors : {},
    ok: answer?.ok === true,
    /** What a success has to say beyond « done » (a secret ballot sent again: « Votre vote était déjà enregistré… »). */
    notice: answer?.ok === true && typeof answer.message === "string" ? answer.message : null,
  };
}

/** A command that never reached the server (useCommand's answer), or an answer that was not the room's JSON. */
type UnsentAnswer = { ok: false; error?: string; details?: string[] };

function formErrorsOf(refusal: Refusal | UnsentAnswer): string[] {
  if ("formErrors" in refusal && refusal.formErrors) return refusal.formErrors;
  return "error" in refusal && refusal.error ? [refusal.error] : [];
}

