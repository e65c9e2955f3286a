/**
 * A loaded collaborative document: the shared Y.Doc, its awareness, its connections, and its write pipeline.
 *
 * Durability contract: an update is committed to the database before it is applied to the shared doc, and so
 * before any peer sees it; only then is its sender acknowledged. Updates arriving while a write is in flight
 * are queued and committed together (group commit), in arrival order; one write at a time per document.
 */
import { Awareness } from "y-protocols/awareness";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { CLOSE, type Connection, LIMITS } from "./connection";
import type { DocumentStore, StoredDocument } from "./persistence";
import { applyStored } from "./persistence";
import { encodeAwarenessMessage, encodeSyncUpdate } from "./protocol";

/** Compact (snapshot + delete folded updates) past this many logged updates. */
export const COMPACTION_THRESHOLD = 500;
/** Largest group commit. */
const MAX_BATCH = 256;

/**
 * A change made in this process, as a fan-out publishes it: a Yjs update already committed to the database, or
 * an awareness (presence) update.
 */
export type DocumentChange = { kind: "update" | "awareness"; payload: Uint8Array };

/**
 * What a process tells the other processes about a document besides its content (realtime/yjs/server.ts acts on it):
 * - `freeze`: a seal is starting here; freeze your copy (edits refused) until `seal-changed`;
 * - `seal-changed`: a seal ended or was lifted; re-read the document's seal from the database and follow it;
 * - `access-changed`: who may read or write it changed; re-resolve the access of your connections.
 */
export type DocumentControl = "freeze" | "seal-changed" | "access-changed";

/**
 * Delivers a message to a document's peers. The local implementation writes to this process's sockets; the
 * Redis fan-out (realtime/scale) also publishes local changes to the other processes and applies theirs with
 * `SharedDocument.applyRemote`.
 */
export interface Broadcaster {
  /**
   * Sends `message` (an encoded frame) to the document's connections in this process except `except`. `change`
   * is what the frame carries when the change was made in this process (an update is only ever broadcast after
   * its commit), null for a change received from another process (deliver locally, never publish again).
   */
  broadcast(document: SharedDocument, message: Uint8Array, except: Connection | null, change: DocumentChange | null): void;
  /** Before a document is read from the store: a fan-out subscribes here, so nothing committed after the read is missed. */
  beforeLoad?(name: string): Promise<void>;
  /** The document is loaded in this process (or `beforeLoad` succeeded and the load failed: then document is null). */
  loaded?(name: string, document: SharedDocument | null): void;
  /** The document left this process (flushed, compacted, destroyed). */
  unloaded?(name: string): void;
  /**
   * Tells the other processes that have the document loaded (or are loading it) about a control event. The
   * document need not be loaded here.
   */
  publishControl?(name: string, control: DocumentControl): void;
  /**
   * Where the control events published by the other processes are delivered (set once by the document server); the
   * handler's promise settles once the event is applied here.
   */
  onControl?(handler: (name: string, control: DocumentControl) => Promise<void>): void;
}

/** Delivers a frame to this process's connections of a document. */
export function deliverLocally(document: SharedDocument, message: Uint8Array, except: Connection | null): void {
  for (const connection of document.connections) {
    if (connection !== except) connection.send(message);
  }
}

export const localBroadcaster: Broadcaster = {
  broadcast(document, message, except) {
    deliverLocally(document, message, except);
  },
};

/** Origin of changes applied from another process (see `applyRemote`). */
export const REMOTE_ORIGIN = Symbol("remote");

export type Logger = { warn(message: string, ...details: unknown[]): void; error(message: string, ...details: unknown[]): void };

type PendingUpdate = { connection: Connection; update: Uint8Array };

export class SharedDocument {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly connections = new Set<Connection>();
  /**
   * Awareness client ids announced by another process (scale mode). Their owner is a connection over there, so no
   * connection of this process may set or remove their state: the per-process ownership check of the document
   * server (realtime/yjs/server.ts) consults this set. An id leaves it when its owner's process removes it, or when
   * its state expires here (no renewal for 30 s, e.g. that process died).
   */
  readonly remoteClientIds = new Set<number>();
  /** Sealed documents (or `setReadOnly`) accept no edits from anyone. */
  sealed: boolean;
  /** Connections plus upgrades in progress holding the document loaded. */
  private holders = 0;
  private unloadTimer: NodeJS.Timeout | null = null;
  private lastSeq: bigint;
  private loggedSinceSnapshot: number;
  /**
   * COMPACTION_THRESHOLD minus 0–124, fixed per document name: rooms opened together at the same pace would
   * otherwise all compact in the same second, and compactions on embedded PGlite run in the server's thread
   * (tests/bench measured a 190 ms stall for 30 rooms at once). Never above COMPACTION_THRESHOLD.
   */
  private readonly compactionThreshold: number;
  private sizeEstimate: number;
  private queue: PendingUpdate[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private writing: Promise<void> | null = null;
  private cachedSnapshot: Y.Snapshot | null = null;

  constructor(
    readonly name: string,
    stored: StoredDocument,
    private readonly store: DocumentStore,
    private readonly broadcaster: Broadcaster,
    private readonly logger: Logger,
  ) {
    this.awareness.setLocalState(null); // the server itself has no presence
    const skipped = applyStored(this.doc, stored);
    if (skipped.length > 0) logger.error(`[yjs] ${name}: mises à jour illisibles ignorées (seq ${skipped.join(", ")})`);
    this.sealed = stored.sealed;
    this.lastSeq = stored.lastSeq;
    this.loggedSinceSnapshot = stored.updates.length;
    this.compactionThreshold = COMPACTION_THRESHOLD - (nameHash(name) % 125);
    this.sizeEstimate = Y.encodeStateAsUpdate(this.doc).byteLength;

    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.cachedSnapshot = null;
      // Only committed updates reach the doc (see `apply`), so publishing them here keeps the durability contract.
      const change: DocumentChange | null = origin === REMOTE_ORIGIN ? null : { kind: "update", payload: update };
      this.broadcast(encodeSyncUpdate(update), isConnection(origin, this) ? origin : null, change);
    });
    this.awareness.on(
      "update",
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const from = isConnection(origin, this) ? origin : null;
        if (from) {
          for (const id of added.concat(updated)) from.awarenessClientIds.add(id);
          for (const id of removed) from.awarenessClientIds.delete(id);
        }
        if (origin === REMOTE_ORIGIN) for (const id of added.concat(updated)) this.remoteClientIds.add(id);
        for (const id of removed) this.remoteClientIds.delete(id);
        const changed = added.concat(updated, removed);
        if (changed.length === 0) return;
        const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
        // Every process expires stale states itself ("timeout"): only changes made here are published.
        const local = origin !== REMOTE_ORIGIN && origin !== "timeout";
        this.broadcast(encodeAwarenessMessage(update), from, local ? { kind: "awareness", payload: update } : null);
      },
    );
  }

  /* -------------------------------------------------------------------------------------------- holders */

  /** Keeps the document loaded (a connection, or an upgrade about to become one). */
  hold(): void {
    this.holders++;
    if (this.unloadTimer) {
      clearTimeout(this.unloadTimer);
      this.unloadTimer = null;
    }
  }

  /** Releases a hold; `onIdle` runs after `delayMs` if nobody held the document again meanwhile. */
  release(delayMs: number, onIdle: () => void): void {
    this.holders = Math.max(0, this.holders - 1);
    if (this.holders > 0 || this.unloadTimer) return;
    this.unloadTimer = setTimeout(() => {
      this.unloadTimer = null;
      if (this.holders === 0) onIdle();
    }, delayMs);
    this.unloadTimer.unref();
  }

  get idle(): boolean {
    return this.holders === 0;
  }

  cancelUnload(): void {
    if (this.unloadTimer) clearTimeout(this.unloadTimer);
    this.unloadTimer = null;
  }

  /* -------------------------------------------------------------------------------------------- edits */

  /** True when applying `update` would change nothing (every struct and deletion already present). */
  contains(update: Uint8Array): boolean {
    this.cachedSnapshot ??= Y.snapshot(this.doc);
    return Y.snapshotContainsUpdate(this.cachedSnapshot, update);
  }

  /** Whether the document may grow by `bytes` (re-measured exactly when the estimate says no). */
  hasRoomFor(bytes: number): boolean {
    if (this.sizeEstimate + this.queuedBytes + bytes <= LIMITS.maxDocumentBytes) return true;
    this.sizeEstimate = Y.encodeStateAsUpdate(this.doc).byteLength;
    return this.sizeEstimate + this.queuedBytes + bytes <= LIMITS.maxDocumentBytes;
  }

  /** Queues an update for the write pipeline: persist → apply (→ broadcast) → acknowledge. */
  submit(connection: Connection, update: Uint8Array): void {
    this.queue.push({ connection, update });
    this.queuedBytes += update.byteLength;
    this.writing ??= this.drain();
  }

  /** Updates received and not yet applied (queued or being written). */
  get pendingUpdates(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves once every update queued so far is stored and applied (or refused after a storage failure). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        for (const { update } of batch) this.queuedBytes -= update.byteLength;
        this.inFlight = batch.length;
        try {
          await this.commit(batch);
        } finally {
          this.inFlight = 0;
        }
        if (this.loggedSinceSnapshot > this.compactionThreshold) await this.compact();
      }
    } finally {
      this.writing = null;
    }
  }

  /** One group commit: persist the batch, then apply it in order, then acknowledge the senders. */
  private async commit(batch: PendingUpdate[]): Promise<void> {
    // Updates already contained in the doc need no storage (e.g. a reconnecting client's sync step 2).
    const toStore = batch.filter(({ update }) => !this.contains(update));
    if (toStore.length > 0) {
      const stored = await this.persist(toStore);
      if (!stored) return;
    }
    this.apply(toStore);
    const senders = new Set<Connection>();
    for (const { connection } of batch) {
      connection.acknowledged++;
      senders.add(connection);
    }
    for (const connection of senders) connection.sendAck();
  }

  /** Commits updates to the database. On failure, closes their senders (1011) so they reconnect and resync. */
  private async persist(updates: PendingUpdate[]): Promise<boolean> {
    try {
      this.lastSeq = await this.store.append(
        this.name,
        updates.map(({ connection, update }) => ({ update, userId: connection.user.id })),
      );
      this.loggedSinceSnapshot += updates.length;
      return true;
    } catch (error) {
      this.logger.error(`[yjs] ${this.name}: échec d'enregistrement de ${updates.length} mise(s) à jour`, error);
      for (const { connection } of updates) connection.close(CLOSE.storage);
      // Later updates of these connections are dropped too: their clients resend them after reconnecting.
      const failed = new Set(updates.map(({ connection }) => connection));
      this.queue = this.queue.filter(({ connection }) => !failed.has(connection));
      this.queuedBytes = this.queue.reduce((sum, { update }) => sum + update.byteLength, 0);
      return false;
    }
  }

  /** Applies stored updates to the shared doc; the doc's update event broadcasts them to the other peers. */
  private apply(updates: PendingUpdate[]): void {
    for (const { connection, update } of updates) {
      try {
        Y.applyUpdate(this.doc, update, connection);
        this.sizeEstimate += update.byteLength;
      } catch (error) {
        this.logger.error(`[yjs] ${this.name}: mise à jour stockée mais inapplicable`, error);
        connection.close(CLOSE.protocol);
      }
    }
  }

  /** Folds the log into a snapshot. Runs inside the write pipeline (or once it is idle), never beside a commit. */
  async compact(): Promise<void> {
    const folded = this.loggedSinceSnapshot;
    if (folded === 0) return;
    // Single process: the doc holds exactly the updates up to lastSeq (applied only after their commit). With
    // several processes it may lack a peer's committed update still in transit: the scale store
    // (realtime/scale/store.ts) then rebuilds the snapshot from the database instead of trusting `state`.
    const state = Y.encodeStateAsUpdate(this.doc);
    const upToSeq = this.lastSeq;
    try {
      await this.store.compact(this.name, state, upToSeq);
      this.loggedSinceSnapshot -= folded;
      this.sizeEstimate = state.byteLength;
    } catch (error) {
      this.logger.error(`[yjs] ${this.name}: échec de compaction`, error);
    }
  }

  /** Flushes, then compacts: what unloading and shutdown need. */
  async settle(): Promise<void> {
    await this.flush();
    await this.compact();
  }

  /* -------------------------------------------------------------------------------------------- peers */

  broadcast(message: Uint8Array, except: Connection | null, change: DocumentChange | null = null): void {
    this.broadcaster.broadcast(this, message, except, change);
  }

  /**
   * Applies a change published by another process (already committed there): delivered to this process's
   * connections, never published again. Yjs updates are idempotent, so a change seen twice (e.g. both in the
   * store read at load and on the channel) is harmless.
   */
  applyRemote(change: DocumentChange): void {
    if (change.kind === "update") {
      Y.applyUpdate(this.doc, change.payload, REMOTE_ORIGIN);
      this.sizeEstimate += change.payload.byteLength;
    } else {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, change.payload, REMOTE_ORIGIN);
    }
  }

  /** The awareness update of the clients connected to this process (what another process asks for on load). */
  localAwareness(): Uint8Array | null {
    const ids: number[] = [];
    for (const connection of this.connections) {
      for (const id of connection.awarenessClientIds) if (this.awareness.states.has(id)) ids.push(id);
    }
    return ids.length > 0 ? awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids) : null;
  }

  /** Makes every current and future connection read-only; resolves once already accepted edits are stored. */
  async setReadOnly(): Promise<void> {
    this.sealed = true;
    for (const connection of this.connections) connection.readOnly = true;
    await this.flush();
  }

  destroy(): void {
    this.cancelUnload();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** FNV-1a of a document name: a stable, evenly spread number per document. */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function isConnection(origin: unknown, document: SharedDocument): origin is Connection {
  return typeof origin === "object" && origin !== null && document.connections.has(origin as Connection);
}
