/**
 * Awareness ownership (presence): who may set which awareness state, and what a state may hold.
 *
 * - A client id belongs to one user's connection at a time. A connection claims an id nobody owns only with an entry
 *   that sets a newer state: y-websocket clients send back every awareness change they receive, other clients'
 *   included, so a removal or a state no newer than the one here is an echo; taking the id on an echo would lock its
 *   owner out when they come back.
 * - Across processes (scale mode) the first announcement wins: an id announced by another process belongs to a
 *   connection over there, so no connection here may set or remove its state (`remoteClientIds`). The same user
 *   moving to this process with the same id (a reconnection through the load balancer) gets it back once the old
 *   process has dropped it (its connection closed, or 30 s without renewal): the client renews every 15 s.
 * - The server writes each state's `user` itself, from the authenticated connection: the name is the user's
 *   display name, the colour the seat's (distinct per seat). Of what the client sent only the fields the UI reads are
 *   kept, with their types and lengths: `focus` (a competence id) and `cursor` (two Yjs relative positions, the
 *   synthesis editor's). Anything else is dropped.
 */
import * as awarenessProtocol from "y-protocols/awareness";
import { seatColor } from "~/domain/presence";
import { type Connection, LIMITS } from "./connection";
import type { SharedDocument } from "./document";
import { type AwarenessEntry, decodeAwarenessUpdate, encodeAwarenessUpdateEntries } from "./protocol";

const MAX_NAME_LENGTH = 80;
const MAX_FOCUS_LENGTH = 64;

export function receiveAwareness(connection: Connection, document: SharedDocument, update: Uint8Array): void {
  const accepted: AwarenessEntry[] = [];
  for (const entry of decodeAwarenessUpdate(update)) {
    const id = entry.clientId;
    if (id === document.awareness.clientID) continue;
    if (Buffer.byteLength(entry.stateJson) > LIMITS.maxAwarenessStateBytes) continue;
    if (!connection.awarenessClientIds.has(id)) {
      if (document.remoteClientIds.has(id)) continue;
      const owner = ownerOf(document, id);
      if (owner) {
        if (owner.user.id !== connection.user.id) continue;
        owner.awarenessClientIds.delete(id); // the same user reconnected: hand the id over
      } else if (entry.stateJson === "null" || entry.clock <= (document.awareness.meta.get(id)?.clock ?? -1)) {
        continue; // an echo, not a claim
      }
      if (connection.awarenessClientIds.size >= LIMITS.maxAwarenessClientsPerConnection) continue;
    }
    connection.awarenessClientIds.add(id);
    accepted.push({ ...entry, stateJson: ownedState(connection, document, entry.stateJson) });
  }
  if (accepted.length === 0) return;
  awarenessProtocol.applyAwarenessUpdate(document.awareness, encodeAwarenessUpdateEntries(accepted), connection);
}

/** The state as the server lets it through: `user` set here, `focus` and `cursor` checked, nothing else. */
export function ownedState(connection: Connection, document: SharedDocument, stateJson: string): string {
  const received = JSON.parse(stateJson) as unknown;
  if (received === null || typeof received !== "object" || Array.isArray(received)) return "null";
  const state = received as Record<string, unknown>;
  const color = seatColor(connection.seatRank ?? document.presenceRank(connection.user.id));
  const owned: Record<string, unknown> = {
    user: { id: connection.user.id, name: connection.user.displayName.slice(0, MAX_NAME_LENGTH), color, colorLight: `${color}33` },
  };
  if (state.focus === null || (typeof state.focus === "string" && state.focus.length <= MAX_FOCUS_LENGTH)) {
    owned.focus = state.focus;
  }
  const cursor = cursorOf(state.cursor);
  if (cursor !== undefined) owned.cursor = cursor;
  return JSON.stringify(owned);
}

/**
 * A Yjs relative position as `Y.RelativePosition` serialises it: every field present, `null` when unset. Yjs reads them
 * back as `!== null` (`createAbsolutePositionFromRelativePosition`): a field left out (undefined) made the other
 * members' editors read `item.client` of undefined — the cursor plugin crashed as soon as a member typed at the end
 * of the synthesis, and no cursor was shown again.
 */
type RelativePositionJson = {
  type: { client: number; clock: number } | null;
  tname: string | null;
  item: { client: number; clock: number } | null;
  assoc: number;
};

function cursorOf(value: unknown): { anchor: RelativePositionJson; head: RelativePositionJson } | null | undefined {
  if (value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) return undefined;
  const { anchor, head } = value as Record<string, unknown>;
  const a = relativePosition(anchor);
  const h = relativePosition(head);
  return a && h ? { anchor: a, head: h } : undefined;
}

function relativePosition(value: unknown): RelativePositionJson | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const raw = value as Record<string, unknown>;
  const position: RelativePositionJson = { type: null, tname: null, item: null, assoc: 0 };
  if (raw.type !== undefined && raw.type !== null) {
    const id = idOf(raw.type);
    if (!id) return null;
    position.type = id;
  }
  if (raw.item !== undefined && raw.item !== null) {
    const id = idOf(raw.item);
    if (!id) return null;
    position.item = id;
  }
  if (raw.tname !== undefined && raw.tname !== null) {
    if (typeof raw.tname !== "string" || raw.tname.length > MAX_FOCUS_LENGTH) return null;
    position.tname = raw.tname;
  }
  // A position names its type or its item: one with neither would point nowhere.
  if (position.type === null && position.tname === null && position.item === null) return null;
  if (raw.assoc !== undefined) {
    if (!Number.isSafeInteger(raw.assoc)) return null;
    position.assoc = raw.assoc as number;
  }
  return position;
}

function idOf(value: unknown): { client: number; clock: number } | null {
  if (value === null || typeof value !== "object") return null;
  const { client, clock } = value as Record<string, unknown>;
  const valid = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return valid(client) && valid(clock) ? { client: client as number, clock: clock as number } : null;
}

export function ownerOf(document: SharedDocument, clientId: number): Connection | undefined {
  for (const connection of document.connections) {
    if (connection.awarenessClientIds.has(clientId)) return connection;
  }
  return undefined;
}
