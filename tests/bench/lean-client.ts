/**
 * A lean collaborative-editing client for the load generator: one `ws` socket, one Y.Doc, one Awareness, and the
 * raw y-protocols messages (lib0 encoding) — the same bytes a y-websocket 3 `WebsocketProvider` or a Hocuspocus
 * 4 `HocuspocusProvider` puts on the wire, without their per-instance machinery (BroadcastChannel, reconnect
 * back-off timers, event emitters, per-provider resync intervals).
 *
 * Two framings:
 *  - "y-websocket": one document per socket, `ws://host/<prefix>/<document>`; frames start with the message type.
 *    Used against Quorum (`/yjs/<name>`, cookie auth, type-100 acknowledgements) and the bare relay.
 *  - "hocuspocus": every frame starts with the document name (varString), then the message type; the client
 *    must authenticate (Auth/Token, empty token here) before the server syncs; the server answers each update
 *    with SyncStatus (type 8). Used against Hocuspocus.
 *
 * What an edit is: one change on the grid document that Quorum's grid schema (realtime/yjs/grid-schema.ts) accepts
 * from its writer — a member overwriting their own assessment `assessment.set("<userId>|<competenceId>", "<score>")`,
 * the president the commission's result `result.set("<competenceId>", "<score>")`, as typing a score in the grid
 * does — from which every peer tells which edits arrived, even when updates get merged on the way (see
 * `observeRemoteEdits`). The fixture's certification scores in percentages (./fixture.ts), and the schema accepts only
 * a competence of its référentiel and a value of its scale: the edit id travels in the score itself, as its decimals
 * (`gridEdit`: "85.1234" is edit 1234, a percentage like any other). The bare relay and Hocuspocus get the very same
 * edits (same parts, keys and values), so the three servers carry the same workload.
 */
import WebSocket from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";

export type Framing = "y-websocket" | "hocuspocus";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;
/** Hocuspocus: a sync message answering ours (no step 1 in return). */
const HP_SYNC_REPLY = 4;
/** Hocuspocus: "your update was applied" (bool). */
const HP_SYNC_STATUS = 8;
/** Quorum: "your first n update messages are stored". */
const QUORUM_ACK = 100;

/** Transaction origin of the benchmark's own edits. */
export const LOCAL = Symbol("local-edit");
/**
 * The whole part of the scores written, in turn: above and below the fixture's pass mark (70 %), as members who agree
 * or not. Their decimals carry the edit id (see `gridEdit`).
 */
const SCORES = [85, 60, 40] as const;
/** The competences of the benchmark's référentiel (./fixture.ts creates C1…C8, in this order). */
export const BENCH_COMPETENCES = 8;

/** The grid part and key a client overwrites with each of its edits (one fixed key per client: see `gridEdit`). */
export type GridWrite = { part: "assessment" | "result"; key: string };

/** The grid parts the benchmark writes (app/live/commission/grid-content.ts `GRID_ROOTS`). */
const PARTS = ["assessment", "result"] as const;

/**
 * What the client in seat `seat` of a room writes, as the grid schema lets it: seat 0 is the commission's president,
 * who sets the consolidated `result` of one competence; every other seat is a member scoring one competence in
 * their own `assessment` key `<userId>|<competenceId>`. `competenceIds`: the référentiel's (Quorum's fixture), or ids
 * of the same length for the servers without a schema.
 */
export function seatWrite(userId: string, seat: number, competenceIds: readonly string[]): GridWrite {
  const competence = competenceIds[seat % competenceIds.length];
  return seat === 0 ? { part: "result", key: competence } : { part: "assessment", key: `${userId}|${competence}` };
}

/** Competence ids for the servers without a schema: as long as Quorum's (cuids, 25 characters). */
export function anonymousCompetenceIds(): string[] {
  return Array.from({ length: BENCH_COMPETENCES }, (_, i) => `benchcompetence${String(i + 1).padStart(10, "0")}`);
}

/** The benchmark's user ids (Quorum's fixture creates these users; the other servers get ids of the same length). */
export function benchUserId(run: string, index: number): string {
  return `benchuser${run}${String(index).padStart(5, "0")}`;
}

/**
 * One edit: one transaction (so one update message) overwriting the sender's key with a score carrying the edit id
 * in its decimals: `<85|60|40>.<editId>`, a percentage of the scale (0 to 100) as the grid's number input writes it
 * (the grid holds text only; the schema checks the value against the scale, not its decimals: nor does the signing). A map event names its changed keys directly (a Y.Array event's `changes`
 * walks the whole array, O(document) per update), and each overwrite is one struct following the sender's previous
 * one on the same key, so Yjs merges the overwritten ones: every replica stays the size of a grid. With a unique key
 * per edit (or two structs per edit, which never merge) every replica kept every edit — 300 growing documents in the
 * generator's heap, whose GC pauses (scavenges up to 11 ms, major GCs every few seconds) then made most of the
 * slowest 1 % of edits, whatever the server.
 */
export function gridEdit(doc: Y.Doc, write: GridWrite, id: number): void {
  doc.transact(() => doc.getMap<string>(write.part).set(write.key, `${SCORES[id % SCORES.length]}.${id}`), LOCAL);
}

/** The edit id in a value written by `gridEdit`: the score's decimals (undefined for anything else). */
function editIdOf(value: string | undefined): number | undefined {
  const point = value?.lastIndexOf(".") ?? -1;
  if (value === undefined || point < 0) return undefined;
  const decimals = value.slice(point + 1);
  return /^\d+$/.test(decimals) ? Number(decimals) : undefined;
}

/**
 * Reports the ids of edits made elsewhere as their updates are applied to `doc`. A sender's edits are `stride`
 * apart (the generator gives edit j to client j mod stride), each sender writes one key of its own, and Yjs
 * integrates a client's changes only in order: when a sender's key shows id v, every edit of that sender up to v
 * has arrived — merged updates included.
 */
export function observeRemoteEdits(doc: Y.Doc, stride: number, onRemoteEdits: (ids: number[], at: number) => void): void {
  const lastSeen = new Map<string, number>();
  for (const part of PARTS) {
    const map = doc.getMap<string>(part);
    map.observe((event) => {
      if (event.transaction.origin === LOCAL) return;
      const ids: number[] = [];
      for (const key of event.keysChanged) {
        const latest = editIdOf(map.get(key));
        if (latest === undefined) continue;
        const seen = `${part}\u0000${key}`;
        const previous = lastSeen.get(seen);
        for (let id = previous === undefined ? latest % stride : previous + stride; id <= latest; id += stride) ids.push(id);
        lastSeen.set(seen, latest);
      }
      if (ids.length > 0) onRemoteEdits(ids, performance.now());
    });
  }
}

/** What every load-generator client is given (the lean one here, the real libraries' in ./provider-client). */
export type BenchClientOptions = {
  documentName: string;
  framing: Framing;
  /** Extra upgrade headers (Quorum's session cookie). */
  headers?: Record<string, string>;
  /** Awareness state announced on connect (and renewed by `renewAwareness()`, every 15 s in a browser). */
  user: { id: string; name: string };
  /** What this client's edits overwrite (see `seatWrite`). */
  write: GridWrite;
  /** Called when the server refuses an edit of this client (permission denied), with its reason. */
  onDenied?: (reason: string) => void;
  /** Called with the edit ids another client made, when their update is applied here. */
  onRemoteEdits: (ids: number[], at: number) => void;
  /** Edit ids of one sender are this far apart (the number of clients: see `observeRemoteEdits`). */
  editStride: number;
  /** Called when the server acknowledges the first `count` update messages this client sent (Quorum, Hocuspocus). */
  onAck?: (count: number, at: number) => void;
};

export type LeanClientOptions = BenchClientOptions & {
  /** Full websocket URL (y-websocket: including the document path; hocuspocus: the server root). */
  url: string;
};

export class LeanClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  socket: WebSocket | null = null;
  synced = false;
  authenticated: boolean;
  closed = false;
  closeInfo: string | null = null;
  denied: string | null = null;
  /** Update messages sent (sync step 2 and updates): what the ack counts refer to. */
  updateMessagesSent = 0;
  /** Acknowledged update messages (Quorum's cumulative n; Hocuspocus's successful SyncStatus count). */
  acked = 0;
  private readonly prefix: Uint8Array;

  constructor(private readonly options: LeanClientOptions) {
    // y-protocols' Awareness renews the local state every 15 s from a 3 s interval started here: 1,000 clients
    // created in the same millisecond would all renew in the same tick (9,000 relayed messages at once). The load
    // generator calls `renewAwareness()` instead, spread over the 15 s as browsers that joined at different times.
    clearInterval((this.awareness as unknown as { _checkInterval: NodeJS.Timeout })._checkInterval);
    this.authenticated = options.framing === "y-websocket";
    // Hocuspocus frames start with the document name: encode it once.
    const encoder = encoding.createEncoder();
    if (options.framing === "hocuspocus") encoding.writeVarString(encoder, options.documentName);
    this.prefix = encoding.toUint8Array(encoder);

    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === LOCAL) this.sendUpdate(update);
    });
    observeRemoteEdits(this.doc, options.editStride, options.onRemoteEdits);
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      if (origin !== "local") return; // only our own state goes out (the renewal timer uses origin "local" too)
      const changed = added.concat(updated, removed);
      this.send((e) => {
        encoding.writeVarUint(e, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      });
    });
  }

  /** Opens the socket; resolves once the document is synced (sync step 2 received), rejects on close/refusal. */
  connect(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.options.url, { headers: this.options.headers, perMessageDeflate: false });
      socket.binaryType = "nodebuffer";
      this.socket = socket;
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`${this.options.documentName}: not synced after ${timeoutMs} ms`));
      }, timeoutMs);
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      socket.on("open", () => {
        if (this.options.framing === "hocuspocus") {
          // Auth first (an empty token: the server has no onAuthenticate hook), then our sync step 1.
          this.send((e) => {
            encoding.writeVarUint(e, MESSAGE_AUTH);
            encoding.writeVarUint(e, 0); // AuthMessageType.Token
            encoding.writeVarString(e, "");
          });
        }
        this.send((e) => {
          encoding.writeVarUint(e, MESSAGE_SYNC);
          syncProtocol.writeSyncStep1(e, this.doc);
        });
        this.awareness.setLocalStateField("user", this.options.user);
      });
      socket.on("message", (data: Buffer) => {
        try {
          this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
        } catch (error) {
          settle(error as Error);
          socket.terminate();
          return;
        }
        if (this.synced) settle();
        else if (this.denied) settle(new Error(`${this.options.documentName}: refused: ${this.denied}`));
      });
      socket.on("unexpected-response", (_req, res) => {
        settle(new Error(`${this.options.documentName}: HTTP ${res.statusCode} on upgrade`));
        socket.terminate();
      });
      socket.on("error", (error) => settle(error));
      socket.on("close", (code, reason) => {
        this.closed = true;
        this.closeInfo = `${code} ${reason.toString()}`;
        settle(new Error(`${this.options.documentName}: closed ${this.closeInfo}`));
      });
    });
  }

  edit(id: number): void {
    gridEdit(this.doc, this.options.write, id);
  }

  /** Re-announces the local presence (what the Awareness timer does every 15 s in a browser). */
  renewAwareness(): void {
    if (!this.closed) this.awareness.setLocalState(this.awareness.getLocalState());
  }

  close(): void {
    this.closed = true;
    this.awareness.destroy();
    this.socket?.close(1000);
  }

  destroy(): void {
    this.close();
    this.doc.destroy();
  }

  /* ------------------------------------------------------------------------------------------ wire */

  private send(write: (encoder: encoding.Encoder) => void): void {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    if (this.prefix.byteLength > 0) encoding.writeUint8Array(encoder, this.prefix);
    write(encoder);
    socket.send(encoding.toUint8Array(encoder));
  }

  private sendUpdate(update: Uint8Array): void {
    this.updateMessagesSent++;
    this.send((e) => {
      encoding.writeVarUint(e, MESSAGE_SYNC);
      syncProtocol.writeUpdate(e, update);
    });
  }

  private receive(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    if (this.options.framing === "hocuspocus") decoding.readVarString(decoder); // the document name
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
      case HP_SYNC_REPLY: {
        const reply = encoding.createEncoder();
        if (this.prefix.byteLength > 0) encoding.writeUint8Array(reply, this.prefix);
        encoding.writeVarUint(reply, MESSAGE_SYNC);
        const headerLength = encoding.length(reply);
        const subtype = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
        if (subtype === syncProtocol.messageYjsSyncStep2) this.synced = true;
        if (encoding.length(reply) > headerLength) {
          // Our sync step 2 (answering the server's step 1) is an update message too.
          this.updateMessagesSent++;
          this.socket?.send(encoding.toUint8Array(reply));
        }
        return;
      }
      case MESSAGE_AWARENESS:
        awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
        return;
      case MESSAGE_AUTH: {
        const subtype = decoding.readVarUint(decoder);
        // y-protocols/auth: 0 = permission denied; Hocuspocus: 1 = permission denied, 2 = authenticated.
        if (this.options.framing === "hocuspocus" && subtype === 2) this.authenticated = true;
        else {
          this.denied = decoding.readVarString(decoder) || "permission denied";
          this.options.onDenied?.(this.denied);
        }
        return;
      }
      case MESSAGE_QUERY_AWARENESS:
        this.send((e) => {
          encoding.writeVarUint(e, MESSAGE_AWARENESS);
          encoding.writeVarUint8Array(
            e,
            awarenessProtocol.encodeAwarenessUpdate(this.awareness, Array.from(this.awareness.getStates().keys())),
          );
        });
        return;
      case HP_SYNC_STATUS:
        if (this.options.framing === "hocuspocus") {
          if (decoding.readVarUint(decoder) === 1) this.options.onAck?.(++this.acked, performance.now());
        }
        return;
      case QUORUM_ACK:
        if (this.options.framing === "y-websocket") {
          this.acked = decoding.readVarUint(decoder);
          this.options.onAck?.(this.acked, performance.now());
        }
        return;
      default:
        throw new Error(`${this.options.documentName}: unknown message type ${type}`);
    }
  }
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/** Content fingerprint of a client's document, for the convergence check. */
export function fingerprint(doc: Y.Doc): string {
  const sv = Buffer.from(Y.encodeStateVector(doc)).toString("base64");
  // Map entries in key order: a map's iteration order is its local insertion order, which differs between peers.
  const sorted = (name: string) =>
    Array.from(doc.getMap<unknown>(name).entries()).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = PARTS.map((part) => sorted(part));
  return `${sv}|${JSON.stringify(parts)}`;
}
