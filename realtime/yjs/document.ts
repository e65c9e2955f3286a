/**
 * A loaded collaborative document: the shared Y.Doc, its awareness, its connections, and its write pipeline.
 *
 * Durability contract: no peer sees an update before it is committed, and its sender is acknowledged only then.
 * The write pipeline, one batch at a time per document (group commit, arrival order):
 *   apply to the server's doc (capturing what each update actually changed, as Yjs encodes it)
 *   → commit those changes → broadcast them → acknowledge the senders.
 * Applying first means the log only ever holds valid Yjs updates (a malformed update that decodes but cannot be
 * integrated is refused before anything is stored, and a no-op stores nothing). While a batch is applied but not
 * yet committed, nothing of it leaves the server: broadcasts wait for the commit, and a sync step 2 asked for
 * meanwhile waits too (`whenCommitted`). If the commit fails, the doc holds changes the database does not: it is
 * discarded (every connection closed with 1011, clients resync from the database and resend their edits).
 *
 * Before an update is applied, the document's schema (see ./schema; without one, any content) checks it on a shadow
 * copy: a refused update is never applied, stored or acknowledged; its sender gets the reason. An update Yjs cannot
 * integrate is found there too (its sender is closed with 1002), so the doc never holds one integrated halfway. An
 * update that depends on structs the doc does not hold (never received, or not yet) is kept aside, off the doc, and
 * offered again after each update applied: the doc never holds pending structs (./schema PENDING), so the shadow is
 * an exact copy; its sender is acknowledged once it is stored. Should its sender lose the right to write meanwhile
 * (read-only, or the document sealed), it is dropped with the reason instead of being applied.
 */
import { Awareness } from "y-protocols/awareness";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { CLOSE, Connection, LIMITS, READ_ONLY_REASON, SEALED_REASON } from "./connection";
import { applyStored, type DocumentStore, type StoredDocument } from "./stores/document-store";
import { encodeAwarenessMessage, encodePermissionDenied, encodeSyncUpdate } from "./protocol";
import { ANY_CONTENT, type DecodedUpdate, type DocumentSchema, PENDING, SchemaGate, UNINTEGRABLE } from "./schema";

/** Compact (snapshot + delete folded updates) past this many logged updates. */
export const COMPACTION_THRESHOLD = 500;
/** Largest group commit. */
const MAX_BATCH = 256;
/** Updates a document keeps aside, waiting for structs it does not hold (an honest client never needs one). */
const MAX_ASIDE = 64;

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
  /**
   * Tells the other processes that a person's access changed (organisation role, membership): each re-checks that
   * person's connections there, whatever the document — also one of a closed session that no other event reaches.
   */
  publishUserAccess?(userId: string): void;
  /** Where the other processes' `publishUserAccess` are delivered (set once by the document server). */
  onUserAccess?(handler: (userId: string) => Promise<void>): void;
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

/** A queued update, with its decoding when the dispatcher already made it (the schema reads its structs). */
type PendingUpdate = { connection: Connection; update: Uint8Array; decoded?: DecodedUpdate };
/** What became of a queued update: applied (acknowledged), held (set aside: a dependency missing), refused. */
type Outcome = "applied" | "held" | "refused";
/** What applying an update changed in the doc (empty updates produce none), and who sent it. */
type AppliedChange = { connection: Connection | null; update: Uint8Array };

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
   * otherwise all compact in the same second, and embedded PGlite runs one statement at a time for every room
   * (tests/bench measured a 190 ms stall for 30 rooms at once). Never above COMPACTION_THRESHOLD.
   */
  private readonly compactionThreshold: number;
  private sizeEstimate: number;
  private queue: PendingUpdate[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private writing: Promise<void> | null = null;
  private cachedSnapshot: Y.Snapshot | null = null;
  /** While a batch is being applied: the doc's changes, captured instead of broadcast. */
  private capturing: AppliedChange[] | null = null;
  /** Applied but not yet committed: settles when the commit does (see `whenCommitted`). */
  private committing: Promise<unknown> | null = null;
  /**
   * The doc holds changes the database refused (a failed commit): its connections are closed and it must be
   * dropped, never compacted. `onDiscard` (set by the server) forgets it.
   */
  discarded = false;
  onDiscard: ((document: SharedDocument) => void) | null = null;
  /** The schema's gate (a document without a schema gets one allowing any content: integrability is checked all the same). */
  private readonly gate: SchemaGate;
  /**
   * Updates that depend on structs the doc does not hold, in arrival order, never applied while they do: offered to
   * the gate again after each update applied (the doc itself never holds pending structs, see ./schema PENDING).
   */
  private aside: PendingUpdate[] = [];
  /** Something integrated outside the pipeline (another process's change) may complete an update set aside. */
  private retryWanted = false;
  /** Presence colour ranks handed out in this document when the resolver gives none (first come, first ranked). */
  private readonly presenceRanks = new Map<string, number>();
  /** Connections whose schema refusal was already logged. */
  private readonly refusalLogged = new WeakSet<Connection>();

  constructor(
    readonly name: string,
    stored: StoredDocument,
    private readonly store: DocumentStore,
    private readonly broadcaster: Broadcaster,
    private readonly logger: Logger,
    schema: DocumentSchema | null = null,
  ) {
    this.awareness.setLocalState(null); // the server itself has no presence
    // Roots typed as the schema says before anything lands in them, like the schema's shadow (./schema reads them).
    schema?.prepare(this.doc);
    const skipped = applyStored(this.doc, stored);
    if (skipped.length > 0) logger.error(`[yjs] ${name}: mises à jour illisibles ignorées (seq ${skipped.join(", ")})`);
    this.sealed = stored.sealed;
    this.lastSeq = stored.lastSeq;
    this.loggedSinceSnapshot = stored.updates.length;
    this.compactionThreshold = COMPACTION_THRESHOLD - (nameHash(name) % 125);
    this.sizeEstimate = Y.encodeStateAsUpdate(this.doc).byteLength;
    this.gate = new SchemaGate(schema ?? ANY_CONTENT, this.doc);

    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.cachedSnapshot = null;
      if (this.capturing) {
        // Our own write pipeline is applying a batch: broadcast only after its commit (see `commit`).
        this.capturing.push({ connection: origin instanceof Connection ? origin : null, update });
        return;
      }
      // Any other change is already committed (a remote process's update, already stored there).
      if (this.aside.length > 0) setImmediate(() => this.retryAside());
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
  submit(connection: Connection, update: Uint8Array, decoded?: DecodedUpdate): void {
    if (this.discarded) return connection.close(CLOSE.storage);
    this.queue.push({ connection, update, decoded });
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
      while (this.queue.length > 0 || this.retryWanted) {
        this.retryWanted = false;
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
    } catch (error) {
      // Nothing here may take the process (and every other session) down: the doc's state is unknown, so it is
      // dropped like after a failed commit — everyone reconnects and resyncs from the database.
      this.logger.error(`[yjs] ${this.name}: échec inattendu de la file d'écriture, document rechargé`, error);
      this.discard();
    } finally {
      this.writing = null;
    }
  }

  /**
   * Resolves once what is applied to the doc is committed (null when nothing is waiting): a sync step 2 computed
   * from the doc must not carry an update before its commit.
   */
  whenCommitted(): Promise<unknown> | null {
    return this.committing;
  }

  /** One group commit: apply the batch (capturing its changes), commit them, broadcast them, acknowledge. */
  private async commit(batch: PendingUpdate[]): Promise<void> {
    const { changes, outcomes, released } = this.apply(batch);
    if (changes.length > 0) {
      const stored = this.persist(changes);
      this.committing = stored;
      try {
        if (!(await stored)) return;
      } finally {
        this.committing = null;
      }
      for (const { connection, update } of changes) {
        this.sizeEstimate += update.byteLength;
        this.broadcast(encodeSyncUpdate(update), connection, { kind: "update", payload: update });
      }
    }
    const senders = new Set<Connection>();
    batch.forEach(({ connection }, i) => {
      if (outcomes[i] !== "applied") return;
      connection.acknowledged++;
      senders.add(connection);
    });
    // A connection whose updates set aside are all applied now: everything held back is acknowledged.
    for (const connection of released) {
      if (connection.held === 0 || this.aside.some((entry) => entry.connection === connection)) continue;
      connection.acknowledged += connection.held;
      connection.held = 0;
      senders.add(connection);
    }
    for (const connection of senders) connection.sendAck();
  }

  /**
   * Applies a batch to the doc and returns what each update changed. An update Yjs cannot integrate (it decoded,
   * but references what cannot be) is found by the gate's trial on its shadow and closes its sender (1002) without
   * touching the doc: integrated halfway, it could leave the doc's struct store unreadable. Should the doc's own
   * apply throw all the same, the error reaches `drain`, which discards the doc (reloaded from the database).
   */
  private apply(batch: PendingUpdate[]): { changes: AppliedChange[]; outcomes: Outcome[]; released: Set<Connection> } {
    const changes: AppliedChange[] = [];
    const outcomes: Outcome[] = [];
    const released = new Set<Connection>();
    this.capturing = changes;
    try {
      for (const entry of batch) {
        const outcome = this.offer(entry);
        if (outcome === "pending") {
          outcomes.push(this.setAside(entry) ? "held" : "refused");
          continue;
        }
        if (outcome === "applied" && this.aside.some((waiting) => waiting.connection === entry.connection)) {
          // Acknowledgements count messages in arrival order: behind one set aside, the next ones' wait too.
          entry.connection.held++;
          outcomes.push("held");
        } else {
          outcomes.push(outcome);
        }
        if (outcome === "applied" && this.aside.length > 0) for (const c of this.releaseAside()) released.add(c);
      }
      // Woken by another process's change (`retryAside`): what it completed is applied now.
      if (batch.length === 0 && this.aside.length > 0) for (const c of this.releaseAside()) released.add(c);
    } finally {
      this.capturing = null;
    }
    return { changes, outcomes, released };
  }

  /** Checks one update and applies it when allowed; « pending » when it depends on structs the doc does not hold. */
  private offer({ connection, update, decoded }: PendingUpdate): "applied" | "pending" | "refused" {
    const verdict = this.gate.check(update, { userId: connection.user.id, rights: connection.rights, vocabulary: connection.vocabulary }, decoded);
    if (verdict === PENDING) return "pending";
    if (verdict === UNINTEGRABLE) {
      this.logger.warn(`[yjs] ${this.name}: mise à jour inapplicable refusée (${connection.user.id})`);
      connection.close(CLOSE.protocol);
      return "refused";
    }
    if (verdict !== null) {
      this.refuse(connection, verdict);
      return "refused";
    }
    Y.applyUpdate(this.doc, update, connection);
    return "applied";
  }

  /** Keeps an update aside (its sender's acknowledgement waits); past MAX_ASIDE, its sender is closed instead. */
  private setAside(entry: PendingUpdate): boolean {
    if (this.aside.length >= MAX_ASIDE) {
      this.logger.warn(`[yjs] ${this.name}: trop de mises à jour en attente de dépendances (${entry.connection.user.id})`);
      entry.connection.close(CLOSE.protocol);
      this.forgetPending(entry.connection);
      return false;
    }
    this.aside.push(entry);
    entry.connection.held++;
    return true;
  }

  /**
   * Offers the updates set aside again, in arrival order (one connection's in its order), until none more applies.
   * Returns the connections one of whose updates applied (their acknowledgements follow the commit once none of
   * theirs is left aside); a refused one is dropped.
   */
  private releaseAside(): Connection[] {
    const released: Connection[] = [];
    for (let progress = true; progress && this.aside.length > 0; ) {
      progress = false;
      const blocked = new Set<Connection>();
      for (const entry of [...this.aside]) {
        if (blocked.has(entry.connection)) continue;
        if (entry.connection.readOnly || this.sealed) {
          // Its sender may no longer write (recused, unseated to a reader, the document sealed): what he left aside
          // was never accepted, so another writer's edit completing it must not apply it now. Dropped, refused.
          this.aside.splice(this.aside.indexOf(entry), 1);
          entry.connection.held--;
          entry.connection.send(encodePermissionDenied(this.sealed ? SEALED_REASON : READ_ONLY_REASON));
          continue;
        }
        const outcome = this.offer(entry);
        if (outcome === "pending") {
          blocked.add(entry.connection);
          continue;
        }
        this.aside.splice(this.aside.indexOf(entry), 1);
        if (outcome === "applied") {
          released.push(entry.connection);
          progress = true;
        } else {
          entry.connection.held--; // refused: never acknowledged
        }
      }
    }
    return released;
  }

  /** Another process's change was integrated: the pipeline offers the updates set aside again. */
  private retryAside(): void {
    if (this.aside.length === 0 || this.discarded) return;
    this.retryWanted = true;
    this.writing ??= this.drain();
  }

  /** A schema refusal: the sender learns why (its client rebuilds from the server's state), logged once. */
  private refuse(connection: Connection, reason: string): void {
    if (!this.refusalLogged.has(connection)) {
      this.refusalLogged.add(connection);
      this.logger.warn(`[yjs] ${this.name}: modification refusée par le schéma pour ${connection.user.id} : ${reason}`);
    }
    connection.send(encodePermissionDenied(reason));
  }

  /** A closed connection's updates set aside are dropped (never acknowledged). */
  forgetPending(connection: Connection): void {
    this.aside = this.aside.filter((entry) => entry.connection !== connection);
  }

  /** The presence colour rank of a user in this document when the resolver gives none: first come, first ranked. */
  presenceRank(userId: string): number {
    let rank = this.presenceRanks.get(userId);
    if (rank === undefined) {
      rank = this.presenceRanks.size;
      this.presenceRanks.set(userId, rank);
    }
    return rank;
  }

  /**
   * Commits applied changes. On failure the doc is ahead of the database: every connection is closed (1011) so
   * that clients resync from the database and resend their edits, and the doc is discarded.
   */
  private async persist(changes: AppliedChange[]): Promise<boolean> {
    try {
      this.lastSeq = await this.store.append(
        this.name,
        changes.map(({ connection, update }) => ({ update, userId: connection?.user.id ?? null })),
      );
      this.loggedSinceSnapshot += changes.length;
      return true;
    } catch (error) {
      this.logger.error(`[yjs] ${this.name}: échec d'enregistrement de ${changes.length} mise(s) à jour`, error);
      this.discard();
      return false;
    }
  }

  /** Drops a doc that holds changes the database does not: closes everyone, refuses everything, forgets it. */
  private discard(): void {
    this.discarded = true;
    this.queue = [];
    this.aside = [];
    this.queuedBytes = 0;
    for (const connection of this.connections) connection.close(CLOSE.storage);
    this.onDiscard?.(this);
  }

  /** Folds the log into a snapshot. Runs inside the write pipeline (or once it is idle), never beside a commit. */
  async compact(): Promise<void> {
    const folded = this.loggedSinceSnapshot;
    // Never fold a doc ahead of the database: discarded, or a batch applied and not committed yet (it will be
    // folded by a later compaction).
    if (folded === 0 || this.discarded || this.committing) return;
    // Single process: the doc holds exactly the updates up to lastSeq (applied only after their commit). With
    // several processes it may lack a peer's committed update still in transit: the scale store
    // (realtime/yjs/stores/scale.ts) then rebuilds the snapshot from the database instead of trusting `state`.
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
      // The schema's shadow (if any) did not see it: it is rebuilt from the doc when a trial next needs it.
      this.gate.reset();
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
    this.gate.destroy();
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
