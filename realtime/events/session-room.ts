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

const USER_ROOM_PREFIX = "user:";

/**
 * Every socket of a user is in their own room, in whatever process (a cluster adapter's `fetchSockets()` reaches
 * it): after a change of their organisation role, the sessions they have open are found there, closed ones included.
 */
export function userRoomOf(userId: string): string {
  return `${USER_ROOM_PREFIX}${userId}`;
}

export function isUserRoom(room: string): boolean {
  return room.startsWith(USER_ROOM_PREFIX);
}

/** Registrars of the session's authoritative events (phases, timers), each called synchronously on connection. */
export const SESSION_ROOM_EVENTS: ReadonlyArray<(socket: SessionSocket) => void> = [];
