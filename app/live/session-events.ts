/**
 * Everything the server sends to a session's browsers over socket.io (path /socket.io), event name → payload: one
 * type shared by the use cases (through `RealtimePort.notifySession`), realtime/events (which re-exports it from its
 * protocol) and the browser client. Types only.
 */
import type { SeatRole } from "~/domain/access";
import type { SlotState } from "./commission/slot-context.server";
import type { JuryEvent } from "./jury/jury-context.server";

export type { JuryEvent, SeatRole, SlotState };
export type College = "EMPLOYER" | "EMPLOYEE" | null;

export type PresenceMember = {
  userId: string;
  displayName: string;
  role: SeatRole;
  /** Number of connected sockets (tabs, devices) of this user in the session. */
  devices: number;
  /** True when every socket of this user reported itself idle. */
  idle: boolean;
};
export type Presence = { sessionId: string; members: PresenceMember[] };

export type SessionRemoved = { sessionId: string; message: string };

/** Server → client events, as socket.io's `ServerToClientEvents`. */
export interface ServerToClientEvents {
  /** Who is connected to the session (sent on each join, leave or idle change). */
  presence: (presence: Presence) => void;
  /** The user no longer sits in the session; the server then disconnects the socket. */
  "session:removed": (removed: SessionRemoved) => void;
  /** The seat could not be re-checked (database unreachable): the socket left the room; join again. */
  "session:recheck": (recheck: SessionRemoved) => void;
  /** A passage's live state changed (phase, declarations, signing round, signatures). */
  "slot:state": (state: SlotState) => void;
  /** A change in a jury session (attendance, quorum, phases, polls, votes, decisions): refetch the room. */
  "jury:event": (event: JuryEvent) => void;
  /**
   * A member's connection to the session was recorded lost or back (the minutes' technical incidents): an open
   * procès-verbal reloads its data.
   */
  "session:connection": (change: { sessionId: string; userId: string; kind: "DISCONNECTED" | "RECONNECTED" }) => void;
  /** The procès-verbal changed state (finalised, reopened, signed): the minutes page reloads its data. */
  "minutes:state": (state: MinutesState) => void;
  /** A candidate's fiche de décision changed state (submitted, signed, reopened, PDF sealed): its panels refetch. */
  "decision:state": (state: DecisionSheetState) => void;
  /**
   * A signed document's PDF render changed state: relaunched after a failure (PENDING), stored (DONE) or given up on
   * (FAILED). Sent to the document's session and to the sessions that also show it (a commission grid: the juries
   * whose agenda holds its candidate), so that every open room re-reads it at once instead of polling.
   */
  "render:state": (state: RenderState) => void;
}

export type MinutesState = { sessionId: string; status: string; round: number };
export type DecisionSheetState = {
  sessionId: string;
  agendaItemId: string;
  status: "OPEN" | "SIGNING" | "SIGNED";
  round: number;
  /** Set once the sealed PDF is stored. */
  pdfSha256: string | null;
};

export type RenderState = {
  sessionId: string;
  /** The document kind (`grid`, `decision`…) and id, as in the « Relancer la production du PDF » form. */
  kind: string;
  documentId: string;
  status: "PENDING" | "DONE" | "FAILED";
};

export type ServerEventName = keyof ServerToClientEvents;
export type ServerEventPayload<E extends ServerEventName> = Parameters<ServerToClientEvents[E]>[0];
