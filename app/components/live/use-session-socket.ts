import { useEffect, useState } from "react";
import type { Socket } from "socket.io-client";
import type { SlotState } from "~/live/commission/slot-context.server";
import type { JuryEvent } from "~/live/session-events";
import { newerSlotState } from "~/domain/commission";
import { closeOnPageHide, notePageLeft, sessionJoinPayload } from "./page-socket";

export type PresenceMember = { userId: string; displayName: string; role: string; devices: number; idle: boolean };
export type SocketStatus = "connecting" | "connected" | "disconnected" | "refused";

/** Shown when the server says the user no longer sits in the session (its `session:removed` message is preferred). */
export const REMOVED_MESSAGE = "Vous ne siégez plus dans cette session.";

/** Join refusals that say nothing about the seat (the server could not check it): the page asks again. */
export const TRANSIENT_JOIN_ERRORS = new Set([
  "Service temps réel momentanément indisponible : réessayez dans un instant.",
  "Erreur interne : réessayez dans un instant.",
  "Trop de requêtes : ralentissez un instant.",
]);
/** While the browser says it is offline (the connection closed on purpose, opened again when it is back). */
export const OFFLINE_MESSAGE = "Pas de réseau : la connexion reprendra dès son retour.";
/** The sign-in ended (the server's `session:removed` says the same, realtime/events/protocol.ts `signedOut`). */
export const SIGNED_OUT_MESSAGE = "Session fermée : reconnectez-vous pour continuer.";
const JOIN_RETRY_MS = 3_000;
const MAX_JOIN_ATTEMPTS = 10;

/**
 * One socket.io connection per session page: joins the session room, follows the server-computed presence and
 * the authoritative state of each candidate's passage (phase, timer start, signing), broadcast on every change.
 * When the user's seat is removed mid-session the server sends `session:removed` and disconnects the socket, which
 * then stays disconnected (no retry): `removed` is true and `error` says why.
 */
export function useSessionSocket(sessionId: string, initialSlot: SlotState | null) {
  const [members, setMembers] = useState<PresenceMember[]>([]);
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const [error, setError] = useState<string | null>(null);
  const [removed, setRemoved] = useState(false);
  // Broadcast states by passage, the newest kept (they can arrive out of order); the newer of it and the loader's is shown.
  const [broadcasts, setBroadcasts] = useState<Record<string, SlotState>>({});
  // A jury room refetches its read model on each `jury:event` (the newest kept) and after each (re)join, so a
  // member who reconnects sees the current state.
  const [juryEvent, setJuryEvent] = useState<JuryEvent | null>(null);
  const [joins, setJoins] = useState(0);
  // Each candidate's fiche de décision changed (`decision:state`): a counter per agenda item, read by its panel.
  const [sheetSignals, setSheetSignals] = useState<Record<string, number>>({});
  // A PDF shown in the session changed render state (`render:state`: relaunched, stored, given up on): how many so far.
  const [renders, setRenders] = useState(0);
  const broadcast = initialSlot ? broadcasts[initialSlot.slotId] : undefined;
  const slot = initialSlot && broadcast ? newerSlotState(initialSlot, broadcast) : initialSlot;

  useEffect(() => {
    let socket: Socket | undefined;
    let cancelled = false;
    let seatRemoved = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let unlisten = () => {};
    const onVisibility = () => socket?.emit("presence:idle", { sessionId, idle: document.visibilityState === "hidden" });
    // The browser says the network is gone: the connection is closed rather than left to time out (a websocket can stay
    // « open » through an outage while the events sent meanwhile never arrive), and opened again as soon as the browser
    // is back online — not after socket.io's back-off (up to 5 s). The join that follows re-reads the room (`joins`), so
    // what happened meanwhile shows at once. As the grid's connection does (use-grid-document.ts).
    let cutByOffline = false;
    const goOffline = () => {
      if (!socket || seatRemoved || !socket.active) return;
      cutByOffline = true;
      socket.disconnect();
      setStatus("disconnected");
      setError(OFFLINE_MESSAGE);
    };
    const goOnline = () => {
      if (!cutByOffline || seatRemoved || cancelled) return;
      cutByOffline = false;
      setStatus("connecting");
      socket?.connect();
    };
    void import("socket.io-client").then(({ io }) => {
      if (cancelled) return;
      socket = io({ path: "/socket.io", transports: ["websocket"] });
      const join = (attempt: number) => {
        socket?.emit(
          "session:join",
          sessionJoinPayload(sessionId),
          (res: { ok: boolean; error?: string; presence?: { members: PresenceMember[] } }) => {
            if (cancelled) return;
            if (!res?.ok) {
              const error = res?.error ?? "Accès à la session refusé.";
              // The server could not check the seat (database unreachable…): ask again a little later.
              if (TRANSIENT_JOIN_ERRORS.has(error) && attempt < MAX_JOIN_ATTEMPTS) {
                setStatus("connecting");
                setError(error);
                retry = setTimeout(() => join(attempt + 1), JOIN_RETRY_MS);
                return;
              }
              setStatus("refused");
              setError(error);
              return;
            }
            setStatus("connected");
            setError(null);
            setJoins((n) => n + 1);
            if (res.presence) setMembers(res.presence.members);
          },
        );
      };
      socket.on("connect", () => {
        setStatus("connected");
        setError(null);
        clearTimeout(retry);
        join(1);
      });
      // The server could not re-check our seat after a change of seats and took us out of the room: join again.
      socket.on("session:recheck", (payload: { sessionId?: string; message?: string }) => {
        if (payload?.sessionId !== sessionId) return;
        setStatus("connecting");
        setError(payload.message || null);
        setMembers([]);
        clearTimeout(retry);
        join(1);
      });
      socket.on("presence", (p: { sessionId: string; members: PresenceMember[] }) => {
        if (p?.sessionId === sessionId) setMembers(p.members);
      });
      socket.on("slot:state", (state: SlotState) => {
        if (!state?.slotId) return;
        setBroadcasts((all) => {
          const held = all[state.slotId];
          return { ...all, [state.slotId]: held ? newerSlotState(held, state) : state };
        });
      });
      socket.on("jury:event", (event: JuryEvent) => {
        if (event?.sessionId !== sessionId || typeof event.version !== "number") return;
        setJuryEvent((held) => (held && held.version >= event.version ? held : event));
      });
      socket.on("decision:state", (state: { agendaItemId?: unknown }) => {
        const id = state?.agendaItemId;
        if (typeof id !== "string") return;
        setSheetSignals((all) => ({ ...all, [id]: (all[id] ?? 0) + 1 }));
      });
      socket.on("render:state", (state: { sessionId?: unknown; kind?: unknown; documentId?: unknown }) => {
        if (state?.sessionId !== sessionId) return;
        setRenders((n) => n + 1);
        // A fiche de décision's PDF: its panel reads itself again, as on `decision:state`.
        const id = state.documentId;
        if (state.kind === "decision" && typeof id === "string") setSheetSignals((all) => ({ ...all, [id]: (all[id] ?? 0) + 1 }));
      });
      socket.on("session:removed", (payload: { sessionId?: string; message?: string }) => {
        if (payload?.sessionId !== sessionId) return;
        seatRemoved = true;
        setRemoved(true);
        setStatus("refused");
        setError(payload.message || REMOVED_MESSAGE);
        setMembers([]);
      });
      // After `session:removed` the server disconnects us ("io server disconnect": socket.io does not reconnect).
      socket.on("disconnect", () => {
        if (!seatRemoved) setStatus("disconnected");
      });
      socket.on("connect_error", (err: Error & { data?: { message?: string } }) => {
        // The handshake refused our sign-in (its middleware: socket.io does not retry): it ended while this page was
        // reconnecting (a network cut, a server restart), so no `session:removed` ever came. The page freezes as after
        // `session:removed`, saying so with « Se reconnecter », instead of a status line and a room that looks alive.
        if (!socket?.active && err.message === "unauthorized") {
          seatRemoved = true;
          setRemoved(true);
          setStatus("refused");
          setError(SIGNED_OUT_MESSAGE);
          setMembers([]);
          return;
        }
        setStatus("disconnected");
        setError(err.data?.message ?? "Connexion temps réel impossible : nouvelle tentative…");
      });
      document.addEventListener("visibilitychange", onVisibility);
      window.addEventListener("offline", goOffline);
      window.addEventListener("online", goOnline);
      if (!navigator.onLine) goOffline();
      const unlistenPageHide = closeOnPageHide(socket, sessionId);
      unlisten = () => {
        window.removeEventListener("offline", goOffline);
        window.removeEventListener("online", goOnline);
        unlistenPageHide();
      };
    });
    return () => {
      cancelled = true;
      clearTimeout(retry);
      document.removeEventListener("visibilitychange", onVisibility);
      unlisten();
      // Unmounted (a navigation inside the app): the next page of this session, if it is one, says it follows.
      if (socket) notePageLeft(sessionId);
      socket?.disconnect();
    };
  }, [sessionId]);

  return { members, status, error, removed, slot, juryEvent, joins, sheetSignals, renders };
}
