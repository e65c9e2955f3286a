/**
 * The wire protocol of the Yjs endpoint: exactly what the y-websocket 3 client speaks (sync, awareness, auth,
 * query-awareness) plus one Quorum message, the write acknowledgement. Pure encoding and decoding (lib0, yjs):
 * no Node or database import, so the browser side may import the constants and `installAckHandler`.
 *
 * Frames are binary; each starts with a varUint message type:
 *   0 sync       varUint subtype (0 step 1 + state vector | 1 step 2 + update | 2 update), varUint8Array
 *   1 awareness  varUint8Array awareness update
 *   2 auth       varUint 0 (permission denied) + varString reason   (server → client)
 *   3 query awareness                                                (either way; the server answers)
 *   100 ack      varUint n: the connection's updates now durably stored (or already present), monotonic
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** Quorum's acknowledgement: every update message the client sent up to the n-th is stored. */
export const MESSAGE_ACK = 100;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** y-protocols/auth: the only auth subtype. */
export const AUTH_PERMISSION_DENIED = 0;

/* ------------------------------------------------------------------------------------------------ encoding */

function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  });
}

/** Sync step 2: what `doc` has that a peer with `stateVector` lacks. */
export function encodeSyncStep2(doc: Y.Doc, stateVector?: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, stateVector));
  });
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_UPDATE);
    encoding.writeVarUint8Array(e, update);
  });
}

export function encodeAwarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, awarenessUpdate);
  });
}

/** The y-protocols/auth permission-denied message; the y-websocket client logs the reason. */
export function encodePermissionDenied(reason: string): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_AUTH);
    encoding.writeVarUint(e, AUTH_PERMISSION_DENIED);
    encoding.writeVarString(e, reason);
  });
}

export function encodeAck(count: number): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, MESSAGE_ACK);
    encoding.writeVarUint(e, count);
  });
}

/* ------------------------------------------------------------------------------------------------ decoding */

export type ClientMessage =
  | { type: "sync-step1"; stateVector: Uint8Array }
  | { type: "sync-update"; update: Uint8Array; step2: boolean }
  | { type: "awareness"; update: Uint8Array }
  | { type: "auth" }
  | { type: "query-awareness" };

/** Thrown for a frame that is not part of the protocol; the connection is closed with `closeCode`. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly closeCode: 1002 | 1003,
  ) {
    super(message);
    this.name = "ProtocolError";
  }
}

/** Decodes one client frame. Throws ProtocolError on an unknown type or a truncated/garbled frame. */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(frame);
  try {
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const subtype = decoding.readVarUint(decoder);
        if (subtype === SYNC_STEP1) return { type: "sync-step1", stateVector: decoding.readVarUint8Array(decoder) };
        if (subtype === SYNC_STEP2 || subtype === SYNC_UPDATE) {
          return { type: "sync-update", update: decoding.readVarUint8Array(decoder), step2: subtype === SYNC_STEP2 };
        }
        throw new ProtocolError(`unknown sync subtype ${subtype}`, 1002);
      }
      case MESSAGE_AWARENESS:
        return { type: "awareness", update: decoding.readVarUint8Array(decoder) };
      case MESSAGE_AUTH:
        return { type: "auth" };
      case MESSAGE_QUERY_AWARENESS:
        return { type: "query-awareness" };
      default:
        throw new ProtocolError(`unknown message type ${type}`, 1003);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`malformed frame: ${(error as Error).message}`, 1002);
  }
}

/** Decodes `update` as a Yjs (v1) update, which checks it is well-formed. Throws ProtocolError otherwise. */
export function assertValidUpdate(update: Uint8Array): ReturnType<typeof Y.decodeUpdate> {
  try {
    return Y.decodeUpdate(update);
  } catch (error) {
    throw new ProtocolError(`malformed update: ${(error as Error).message}`, 1002);
  }
}

export function assertValidStateVector(stateVector: Uint8Array): void {
  try {
    Y.decodeStateVector(stateVector);
  } catch (error) {
    throw new ProtocolError(`malformed state vector: ${(error as Error).message}`, 1002);
  }
}

/* ------------------------------------------------------------------------------------------------ awareness */

export type AwarenessEntry = { clientId: number; clock: number; stateJson: string };

/** Splits an awareness update (varUint count, then clientID, clock, JSON state) into entries. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const stateJson = decoding.readVarString(decoder);
      JSON.parse(stateJson); // Awareness.applyAwarenessUpdate parses it: refuse what would throw there.
      entries.push({ clientId, clock, stateJson });
    }
    return entries;
  } catch (error) {
    throw new ProtocolError(`malformed awareness update: ${(error as Error).message}`, 1002);
  }
}

export function encodeAwarenessUpdateEntries(entries: AwarenessEntry[]): Uint8Array {
  return message((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, entry.stateJson);
    }
  });
}

/* ------------------------------------------------------------------------------------------------ client side */

/**
 * The shape of a y-websocket 3 `WebsocketProvider` that matters here: its public per-type handler table.
 * Typed structurally so this module does not import y-websocket.
 */
export type ProviderWithHandlers = {
  messageHandlers: Array<
    (encoder: encoding.Encoder, decoder: decoding.Decoder, provider: never, emitSynced: boolean, type: number) => void
  >;
};

/**
 * Teaches a y-websocket provider the ack message (otherwise it logs "Unable to compute message").
 * `onAck(n)`: the server has stored the first n update messages this connection sent. The client counts as one
 * every sync step 2 and sync update frame it sends; the count restarts at 0 on each new connection.
 * An update refused by the server (read-only, document too large) is never acknowledged.
 */
export function installAckHandler(provider: ProviderWithHandlers, onAck: (count: number) => void): void {
  provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder) => {
    onAck(decoding.readVarUint(decoder));
  };
}
