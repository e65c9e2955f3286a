/**
 * Presence of a session room: who is connected, with which role, on how many devices, and whether they are idle.
 * Computed from `fetchSockets()` (correct across instances with a cluster adapter), never from local counters.
 */
import type { Presence, PresenceMember, SeatRole } from "./protocol";
import { roomOf } from "./session-room";
import type { SessionEventsServer, SocketData } from "./types";

const ROLE_ORDER: Record<SeatRole, number> = {
  PRESIDENT: 0,
  VICE_PRESIDENT: 1,
  MEMBER: 2,
  SECRETARY: 3,
  OBSERVER: 4,
};

/** Pure: groups a room's sockets by user. Sockets without a seat in that session are not counted. */
export function summarizePresence(
  sessionId: string,
  sockets: ReadonlyArray<{ data: Partial<SocketData> | undefined }>,
): Presence {
  const byUser = new Map<string, PresenceMember>();
  for (const { data } of sockets) {
    const user = data?.user;
    const seat = data?.seats?.[sessionId];
    if (!user || !seat) continue;
    const idle = data.idle === true;
    const member = byUser.get(user.id);
    if (member) {
      member.devices += 1;
      member.idle = member.idle && idle;
    } else {
      byUser.set(user.id, { userId: user.id, displayName: user.displayName, role: seat.role, devices: 1, idle });
    }
  }
  const members = [...byUser.values()].sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      a.displayName.localeCompare(b.displayName, "fr") ||
      a.userId.localeCompare(b.userId),
  );
  return { sessionId, members };
}

export async function computePresence(io: SessionEventsServer, sessionId: string): Promise<Presence> {
  const sockets = await io.in(roomOf(sessionId)).fetchSockets();
  return summarizePresence(sessionId, sockets);
}

/**
 * Broadcasts `presence` to a room, coalescing bursts: while a computation runs for a room, further requests
 * only mark it dirty and one more computation follows, so the last broadcast always reflects the latest state
 * and concurrent `fetchSockets()` results can never arrive out of order.
 */
export function createPresenceBroadcaster(io: SessionEventsServer, onError: (error: unknown) => void) {
  const running = new Map<string, { dirty: boolean }>();
  let stopped = false;

  async function run(sessionId: string, state: { dirty: boolean }) {
    try {
      do {
        state.dirty = false;
        try {
          const presence = await computePresence(io, sessionId);
          if (!stopped) io.to(roomOf(sessionId)).emit("presence", presence);
        } catch (error) {
          onError(error);
        }
      } while (state.dirty && !stopped);
    } finally {
      running.delete(sessionId);
    }
  }

  return {
    request(sessionId: string): void {
      if (stopped) return;
      const state = running.get(sessionId);
      if (state) {
        state.dirty = true;
        return;
      }
      const fresh = { dirty: false };
      running.set(sessionId, fresh);
      void run(sessionId, fresh);
    },
    stop(): void {
      stopped = true;
    },
  };
}
