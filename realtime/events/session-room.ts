/**
 * A live session's socket.io room. The server is authoritative for the session's shared state: clients send
 * intentions, the server validates them against the seat and broadcasts the resulting state to the room.
 *
 * Today a room only carries presence (realtime/events/presence.ts). The session's phases and timers (opening,
 * deliberation, signature…) will live here: their state, their event handlers (listed in SESSION_ROOM_EVENTS,
 * registered synchronously on connection) and the snapshot sent with the `session:join` ack.
 */
import type { SessionSocket } from "./types";

const ROOM_PREFIX = "session:";

export function roomOf(sessionId: string): string {
  return `${ROOM_PREFIX}${sessionId}`;
}

export function sessionIdOfRoom(room: string): string | null {
  return room.startsWith(ROOM_PREFIX) && room.length > ROOM_PREFIX.length ? room.slice(ROOM_PREFIX.length) : null;
}

/** Registrars of the session's authoritative events (phases, timers), each called synchronously on connection. */
export const SESSION_ROOM_EVENTS: ReadonlyArray<(socket: SessionSocket) => void> = [];
