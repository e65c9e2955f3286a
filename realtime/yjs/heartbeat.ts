/**
 * Heartbeat: each connection is pinged once per period, and terminated at its next turn if it did not answer.
 * The connections are spread over HEARTBEAT_SLICES turns (by id): pinging them all at once blocked the event loop
 * ~15 ms for 300 connections every 30 s (one write each), which every edit in flight waited for.
 */
import type { Connection } from "./connection";

/** The heartbeat pings 1/HEARTBEAT_SLICES of the connections at a time (one turn a second with the default period). */
const HEARTBEAT_SLICES = 30;

/** Starts the heartbeat over `connections` (read at each turn); returns its stop function. */
export function startHeartbeat(connections: Map<Connection, unknown>, periodMs: number): () => void {
  let turnCount = 0;
  const timer = setInterval(() => {
    const turn = turnCount++ % HEARTBEAT_SLICES;
    for (const connection of connections.keys()) {
      if (connection.id % HEARTBEAT_SLICES !== turn) continue;
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      try {
        connection.socket.ping();
      } catch {
        connection.socket.terminate();
      }
    }
  }, periodMs / HEARTBEAT_SLICES);
  timer.unref();
  return () => clearInterval(timer);
}
