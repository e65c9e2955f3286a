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
 * Delivers a message to a document's peers. The local implementation writes to this process's sockets; a
 * Redis fan-out would also publish to other processes (and apply what they publish), behind this interface.
 */
export interface Broadcaster {
  broadcast(document: SharedDocument, message: Uint8Array, except: Connection | null): void;
}

export const localBroadcaster: Broadcaster = {
  broadcast(document, message, except) {
    for (const connection of document.connections) {
      if (connection !== except) connection.send(message);
    }
  },
};

export type Logger = { warn(message: string, ...details: unknown[]): void; error(message: string, ...details: unknown[]): void };

type PendingUpdate = { connection: Connection; update: Uint8Array };

export class SharedDocument {
  readonly doc = new Y.Doc();
  readonly awareness = new Awareness(this.doc);
  readonly connections = new Set<Connection>();
  /** Sealed documents (or `setReadOnly`) accept no edits from anyone. */
  sealed: boolean;
  /** Connections plus upgrades in progress holding the document loaded. */
  private holders = 0;
  private unloadTimer: NodeJS.Timeout | null = null;
  private lastSeq: bigint;
  private loggedSinceSnapshot: number;
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
    this.sizeEstimate = Y.encodeStateAsUpdate(this.doc).byteLength;

    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.cachedSnapshot = null;
      this.broadcast(encodeSyncUpdate(update), isConnection(origin, this) ? origin : null);
    });
    this.awareness.on(
      "update",
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const from = isConnection(origin, this) ? origin : null;
        if (from) {
          for (const id of added.concat(updated)) from.awarenessClientIds.add(id);
          for (const id of removed) from.awarenessClientIds.delete(id);
        }
        const changed = added.concat(updated, removed);
        if (changed.length === 0) return;
        this.broadcast(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)), from);
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
        if (this.loggedSinceSnapshot > COMPACTION_THRESHOLD) await this.compact();
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
    // The doc holds exactly the updates up to lastSeq: updates are applied only after their commit.
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

  broadcast(message: Uint8Array, except: Connection | null): void {
    this.broadcaster.broadcast(this, message, except);
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

function isConnection(origin: unknown, document: SharedDocument): origin is Connection {
  return typeof origin === "object" && origin !== null && document.connections.has(origin as Connection);
}
