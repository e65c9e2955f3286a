import { useCallback, useEffect, useRef, useState } from "react";
import { useFetcher } from "@remix-run/react";
import type { JuryRoom } from "~/live/jury/get-jury-room.server";
import type { Refusal } from "~/platform/app-error";
import { useSessionSocket } from "~/components/live/use-session-socket";

/**
 * The jury room's state: the loader's read model, then the server's newest one, refetched (GET /sessions/:id/jury) on
 * every `jury:event` of the session's socket and after every (re)join, so a member coming back sees the current state.
 * A response older than what is shown (lower state version) is ignored.
 */
export function useJuryRoom(initial: JuryRoom) {
  const sessionId = initial.session.id;
  const socket = useSessionSocket(sessionId, null);
  const [room, setRoom] = useState(initial);
  const fetcher = useFetcher<{ ok: boolean; room?: JuryRoom }>();
  const { load } = fetcher;
  const url = `/sessions/${sessionId}/jury`;
  // One refetch at a time: an event arriving meanwhile asks for one more once it is done (never aborts it, which
  // under a burst of events would keep the room from ever updating).
  const inFlight = useRef(false);
  const again = useRef(false);
  const refresh = useCallback(() => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    load(url);
  }, [load, url]);
  const shown = useRef(initial.session.version);

  // The newest version announced, and how many refetches in a row came back older than it.
  const announced = useRef(initial.session.version);
  const behind = useRef(0);
  useEffect(() => {
    if (!socket.juryEvent) return;
    announced.current = Math.max(announced.current, socket.juryEvent.version);
    if (socket.juryEvent.version > shown.current) refresh();
  }, [socket.juryEvent, refresh]);
  useEffect(() => {
    if (socket.joins > 0) refresh();
  }, [socket.joins, refresh]);
  useEffect(() => {
    if (fetcher.state !== "idle") return;
    const next = fetcher.data?.room;
    if (next && next.session.version >= shown.current) {
      shown.current = next.session.version;
      setRoom(next);
    }
    inFlight.current = false;
    // A refetch answered before the announced change was readable (it had started before it, or was replaced by a
    // revalidation that had): ask once more — a few times at most — rather than show the older room until the next
    // event, which may be minutes away.
    if (fetcher.data && shown.current < announced.current && behind.current < 3) {
      behind.current += 1;
      again.current = true;
    } else if (shown.current >= announced.current) {
      behind.current = 0;
    }
    if (again.current) {
      again.current = false;
      refresh();
    }
  }, [fetcher.state, fetcher.data, refresh]);
  // Commands do not refetch themselves: their broadcast comes back as a `jury:event` (one refetch per change).
  return { room, socket, refresh: noop };
}

const noop = () => {};

export type CommandAnswer = ({ ok: true } & Record<string, unknown>) | Refusal;

/**
 * One command form of the room (POST to the jury's resource route): its pending state and its French refusal, shown
 * where the action is. `onDone` runs after a success (the room also refreshes from the broadcast).
 */
export function useJuryCommand(sessionId: string, onDone?: () => void) {
  const fetcher = useFetcher<CommandAnswer>();
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const refusal = answer && !answer.ok ? answer : null;
  const done = useRef<unknown>(null);
  useEffect(() => {
    if (answer?.ok && done.current !== answer) {
      done.current = answer;
      onDone?.();
    }
  }, [answer, onDone]);
  return {
    Form: fetcher.Form,
    action: `/sessions/${sessionId}/jury`,
    busy: fetcher.state !== "idle",
    submit: (fields: Record<string, string>) => fetcher.submit(fields, { method: "post", action: `/sessions/${sessionId}/jury` }),
    formErrors: refusal ? refusal.formErrors : [],
    fieldErrors: refusal ? refusal.fieldErrors : {},
    ok: answer?.ok === true,
  };
}

