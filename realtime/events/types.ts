/**
 * Server-side typing of the session-events socket.io server. Incoming events are typed `unknown`: every payload
 * comes from the network and is validated with the schemas of protocol.ts before use.
 */
import type http from "node:http";
import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, College, SeatRole, ServerToClientEvents } from "./protocol";

/** `signInId`: the login session the socket was opened with (the socket is disconnected when it ends). */
export type AuthenticatedUser = { id: string; email: string; displayName: string; signInId?: string };
export type SeatRecord = { sessionId: string; userId: string; role: SeatRole; college: College };

export type SessionEventsDeps = {
  /** Reads the session cookie of the handshake request; null when absent, expired or revoked. */
  authenticate(req: http.IncomingMessage): Promise<AuthenticatedUser | null>;
  /** The user's seat in a live session, or null when they do not sit in it. */
  findSeat(userId: string, sessionId: string): Promise<SeatRecord | null>;
  /**
   * Whether a user who does not sit in the session may follow its events read-only: a manager of the organisation
   * that owns it (app/live/sessions/access.server.ts). Optional: without it, only seated members join.
   */
  managesSession?(userId: string, sessionId: string): Promise<boolean>;
  /**
   * Of these login sessions' ids, those still open (not signed out, closed nor expired). Optional: without it a
   * recovered socket's login session is checked by the handshake's authentication only.
   */
  openSignIns?(ids: string[]): Promise<Set<string>>;
  /**
   * A seated member's last socket in a session dropped (DISCONNECTED), or one came back (RECONNECTED): recorded for
   * the procès-verbal's incidents. `voluntary`: the page closed its socket itself (a navigation to another page of
   * the session, a reload), as opposed to a lost connection. `navigated` (a return): the joining page said its tab had
   * just left a page of this session (its goodbye may have been lost as the browser unloaded it). `at`: when the server saw it (the socket closing, the
   * page asking to join again), not when the record is written: under load the write waits for the database, and the
   * minutes would count that wait as time away. Resolves true when an event was recorded (not a duplicate drop, not
   * a first connection): the session's pages are then told (`session:connection`), so the minutes on screen show it.
   * Optional; failures are logged, never thrown at the socket.
   */
  recordConnection?(event: {
    sessionId: string;
    userId: string;
    kind: "DISCONNECTED" | "RECONNECTED";
    at: Date;
    voluntary?: boolean;
    navigated?: boolean;
  }): Promise<boolean | void>;
};

/**
 * Per-socket state, kept in `socket.data` so that it is visible to `fetchSockets()` (also through a cluster
 * adapter) and restored by connection-state recovery. Must stay JSON-serialisable.
 */
export type SocketData = {
  user: AuthenticatedUser;
  /** Sessions this socket joined, by session id. */
  seats: Record<string, { role: SeatRole; college: College }>;
  /**
   * Sessions this socket follows read-only without a seat (an organisation manager): in the room, so it receives the
   * session's events, but never counted present, never recorded as a connection incident, and nothing to send.
   */
  follows?: Record<string, true>;
  idle: boolean;
};

export type IncomingEvents = { [K in keyof ClientToServerEvents]: (...args: unknown[]) => void };
/** Between server processes (scale mode, through the cluster adapter): login sessions were ended in the sender. */
type InterServerEvents = { "quorum:sign-ins-ended": () => void };

export type SessionEventsServer = Server<IncomingEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type SessionSocket = Socket<IncomingEvents, ServerToClientEvents, InterServerEvents, SocketData>;
