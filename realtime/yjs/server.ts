/**
 * The Yjs document server behind `/yjs/<document name>`: speaks what the y-websocket 3 client speaks (sync,
 * awareness, auth) plus Quorum's write acknowledgement (see ./protocol).
 *
 * A document's life is a short list of named steps, one function each:
 *   authenticate → authorize → load → (receive) → persist → apply → broadcast → acknowledge → unload
 * Authentication and authorization run inside the HTTP upgrade: nothing is accepted, and no content is sent,
 * before both pass. Persist-before-apply is the durability contract of ./document.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import { CLOSE, type CloseSpec, Connection, type ConnectionUser, LIMITS } from "./connection";
import { type Broadcaster, type DocumentControl, localBroadcaster, type Logger, SharedDocument } from "./document";
import { type DocumentStore, prismaDocumentStore } from "./persistence";
import { createSealing, type SealInside, type SealResult, type UnsealInside } from "./seal";
import {
  type AwarenessEntry,
  assertValidStateVector,
  assertValidUpdate,
  decodeAwarenessUpdate,
  decodeClientMessage,
  encodeAwarenessMessage,
  encodeAwarenessUpdateEntries,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  ProtocolError,
} from "./protocol";

export type DocumentAccess = "none" | "read" | "write";

export type YjsServerOptions = {
  /** Reads the session cookie of the upgrade request; null when there is no valid session. */
  authenticate: (req: IncomingMessage) => Promise<ConnectionUser | null>;
  resolveAccess: (userId: string, documentName: string) => Promise<DocumentAccess>;
  /** Defaults to the Prisma store. */
  store?: DocumentStore;
  /** Defaults to this process's sockets only. */
  broadcaster?: Broadcaster;
  logger?: Logger;
  /** How long a document stays loaded after its last connection left. */
  unloadDelayMs?: number;
  /** Refuse upgrades whose Origin header names another host (cross-site websocket hijacking). Default true. */
  checkOrigin?: boolean;
  /**
   * Websocket ping period: a connection is pinged once per period and terminated when it has not answered the
   * previous ping. Default LIMITS.pingIntervalMs (30 s).
   */
  heartbeatMs?: number;
};

export type YjsServer = {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Stops accepting, flushes every pending write, compacts loaded documents, closes sockets with 1001. */
  close(): Promise<void>;
  /**
   * Freezes a document in this process (for sealing): current and future connections become read-only and
   * the edits already accepted are stored when the promise resolves. Then read the stored state
   * (`readStoredState`) and record the seal.
   */
  setReadOnly(documentName: string): Promise<void>;
  /**
   * Seals a document (./seal): read-only for everyone, edits already received stored, canonical content hashed
   * and recorded with `sealedAt`. Idempotent: sealing again returns the recorded hash.
   */
  seal(documentName: string): Promise<SealResult>;
  /** Seals with the caller's `inside(tx, sealed)` in the seal's transaction (./seal); its value is returned. */
  sealWith<T>(documentName: string, inside: SealInside<T>): Promise<T>;
  /** Reopens a sealed document (clears the seal); writers may edit again. False when it was not sealed. */
  unseal(documentName: string): Promise<boolean>;
  /** Unseals with the caller's `inside(tx, wasSealed)` in the unseal's transaction (./seal); its value is returned. */
  unsealWith<T>(documentName: string, inside: UnsealInside<T>): Promise<T>;
  /**
   * Re-resolves the access of every open connection of these documents, in this process and (scale mode) in the
   * others: `none` closes the connection with 4403, `read` makes it read-only, `write` gives write back unless the
   * document is sealed. For changes of who sits in a session. Resolves once done in this process.
   */
  refreshAccess(documentNames: string[]): Promise<void>;
  /** Resolves once the document's (or every document's) accepted edits are stored. */
  flush(documentName?: string): Promise<void>;
  /** Loaded documents, open connections, updates received but not yet stored and applied. */
  stats(): { documents: number; connections: number; pendingUpdates: number };
};

export const READ_ONLY_REASON = "Lecture seule : vous ne pouvez pas modifier ce document.";
export const SEALED_REASON = "Document scellé : plus aucune modification n'est possible.";
export const TOO_LARGE_REASON = "Document trop volumineux : la modification n'a pas été enregistrée.";

const DEFAULT_UNLOAD_DELAY_MS = 5_000;
/**
 * A copy frozen by another process's seal re-reads the seal from the database after this long if the outcome never
 * arrives (that process died mid-seal, or the message was lost): it then follows the database.
 */
const PEER_FREEZE_TIMEOUT_MS = 15_000;
/** Pre-authentication limit: upgrades being authenticated, authorized or loaded at once. */
const MAX_PENDING_UPGRADES = 512;
const MAX_DOCUMENT_NAME_LENGTH = 256;
/** The heartbeat pings 1/HEARTBEAT_SLICES of the connections at a time (one turn a second with the default period). */
const HEARTBEAT_SLICES = 30;

export function createYjsServer(options: YjsServerOptions): YjsServer {
  const store = options.store ?? prismaDocumentStore;
  const broadcaster = options.broadcaster ?? localBroadcaster;
  const logger = options.logger ?? console;
  const unloadDelayMs = options.unloadDelayMs ?? DEFAULT_UNLOAD_DELAY_MS;
  const checkOrigin = options.checkOrigin ?? true;
  const heartbeatMs = options.heartbeatMs ?? LIMITS.pingIntervalMs;

  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
  const documents = new Map<string, SharedDocument>();
  const loading = new Map<string, Promise<SharedDocument>>();
  const unloading = new Map<string, { document: SharedDocument; done: Promise<void> }>();
  const connections = new Map<Connection, SharedDocument>();
  /** Frozen by `setReadOnly` in this process: loaded read-only even before the seal reaches the database. */
  const frozen = new Set<string>();
  /** Seals running in this process, by document (a document loaded meanwhile is loaded frozen). */
  const sealsInProgress = new Map<string, number>();
  /** Copies frozen by another process's seal in progress (scale mode), with the timer that gives up waiting. */
  const peerFreezes = new Map<string, NodeJS.Timeout>();
  /** The seal re-reads of each document, one after the other (see `followStoredSeal`). */
  const sealChecks = new Map<string, Promise<void>>();
  /** The latest access resolution started for each connection: an older one finishing later is ignored. */
  const accessChecks = new WeakMap<Connection, number>();
  let accessCheckCount = 0;
  /**
   * Bumped whenever access may have changed (a refresh, here or announced by a peer; a document unfrozen). An
   * upgrade authorized before a bump re-resolves its access once connected: otherwise it could slip between the
   * resolver's read and the refresh's look at the document's connections.
   */
  let accessEpoch = 0;
  /** Connections whose refused edit was already logged. */
  const refusalLogged = new WeakSet<Connection>();
  let pendingUpgrades = 0;
  let stopping = false;
  let closing: Promise<void> | null = null;

  // Heartbeat: each connection is pinged once per period, and terminated at its next turn if it did not answer.
  // The connections are spread over HEARTBEAT_SLICES turns (by id): pinging them all at once blocked the event
  // loop ~15 ms for 300 connections every 30 s (one write each), which every edit in flight waited for.
  let heartbeatTurn = 0;
  const heartbeat = setInterval(() => {
    const turn = heartbeatTurn++ % HEARTBEAT_SLICES;
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
  }, heartbeatMs / HEARTBEAT_SLICES);
  heartbeat.unref();

  /* -------------------------------------------------------------------------------------------- upgrade */

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until ws owns the socket, a reset by the peer must not become an uncaught 'error' event.
    const swallow = () => {};
    socket.on("error", swallow);
    if (stopping) return refuse(socket, 503, "Service Unavailable", "Serveur en cours d'arrêt.");
    if (pendingUpgrades >= MAX_PENDING_UPGRADES) return refuse(socket, 503, "Service Unavailable", "Serveur saturé.");
    pendingUpgrades++;
    upgrade(req, socket, head, swallow)
      .catch((error: unknown) => {
        logger.error("[yjs] ouverture de connexion impossible", error);
        refuse(socket, 503, "Service Unavailable", "Document momentanément indisponible.");
      })
      .finally(() => {
        pendingUpgrades--;
      });
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, swallow: () => void): Promise<void> {
    const name = documentNameOf(req.url);
    if (name === null) return refuse(socket, 400, "Bad Request", "Nom de document invalide.");
    if (checkOrigin && !sameOrigin(req)) return refuse(socket, 403, "Forbidden", "Origine refusée.");

    const user = await authenticate(req);
    // Refusals a person should read are websocket closes (4401/4403: y-websocket stops retrying and the UI
    // shows the reason); the document is not loaded and no content is ever sent.
    if (!user) return refuseWithClose(req, socket, head, CLOSE.unauthenticated);
    const epoch = accessEpoch;
    // Scale mode: a peer's refresh published before this process subscribes to the document (at load) never
    // reaches it, so the first connection loading it here resolves its access once more after connecting.
    const unheard = !documents.has(name) && broadcaster.beforeLoad !== undefined;
    const access = await authorize(user, name);
    if (access === "none") return refuseWithClose(req, socket, head, CLOSE.forbidden);
    if (stopping) return refuse(socket, 503, "Service Unavailable", "Serveur en cours d'arrêt.");
    if (socket.destroyed) return;

    const document = await load(name); // holds the document
    if (stopping || socket.destroyed) {
      document.release(unloadDelayMs, () => unload(document));
      return refuse(socket, 503, "Service Unavailable", "Serveur en cours d'arrêt.");
    }
    let accepted = false;
    socket.once("close", () => {
      // ws refused the handshake itself (bad headers): the hold must not leak.
      if (!accepted) document.release(unloadDelayMs, () => unload(document));
    });
    socket.off("error", swallow);
    wss.handleUpgrade(req, socket, head, (ws) => {
      accepted = true;
      try {
        if (document.discarded) {
          // Its commit failed while this upgrade was in progress: reconnecting loads it again from the database.
          ws.on("error", () => {});
          ws.close(CLOSE.storage.code, CLOSE.storage.reason);
          return;
        }
        const connection = connect(ws, document, user, access);
        if (unheard || accessEpoch !== epoch) void refreshConnection(connection, document);
      } catch (error) {
        logger.error(`[yjs] ${name}: connexion non initialisée`, error);
        ws.close(CLOSE.storage.code, CLOSE.storage.reason); // 'close' releases the document
      }
    });
  }

  function refuseWithClose(req: IncomingMessage, socket: Duplex, head: Buffer, close: CloseSpec): void {
    if (socket.destroyed) return;
    wss.handleUpgrade(req, socket, head, (ws) => {
      // The peer may still send (e.g. a frame over maxPayload): ws reports it as 'error', fatal without a listener.
      ws.on("error", () => {});
      ws.close(close.code, close.reason);
    });
  }

  /** Step 1: who is it (session cookie). A failing lookup counts as no session. */
  async function authenticate(req: IncomingMessage): Promise<ConnectionUser | null> {
    try {
      return await options.authenticate(req);
    } catch (error) {
      logger.error("[yjs] authentification impossible", error);
      return null;
    }
  }

  /** Step 2: may they read or write this document. */
  async function authorize(user: ConnectionUser, name: string): Promise<DocumentAccess> {
    return options.resolveAccess(user.id, name);
  }

  /** Step 3: the loaded document, loading it (snapshot + later log) at most once at a time. Holds it. */
  async function load(name: string): Promise<SharedDocument> {
    for (;;) {
      const beingUnloaded = unloading.get(name);
      if (beingUnloaded) {
        await beingUnloaded.done;
        continue;
      }
      const loaded = documents.get(name);
      if (loaded) {
        loaded.hold();
        return loaded;
      }
      let pending = loading.get(name);
      if (!pending) {
        pending = loadDocument(name).finally(() => loading.delete(name));
        loading.set(name, pending);
      }
      await pending;
    }
  }

  /** Reads a document from the store; a fan-out broadcaster subscribes to its changes before the read. */
  async function loadDocument(name: string): Promise<SharedDocument> {
    await broadcaster.beforeLoad?.(name);
    let document: SharedDocument | null = null;
    try {
      const stored = await store.load(name);
      document = new SharedDocument(name, stored, store, broadcaster, logger);
      document.onDiscard = forget;
      if (frozen.has(name) || sealsInProgress.has(name)) document.sealed = true;
      documents.set(name, document);
      return document;
    } finally {
      broadcaster.loaded?.(name, document);
    }
  }

  /**
   * A document whose commit failed is ahead of the database: forget it at once (its connections are closing; the
   * next connection loads it again from the database), without storing or compacting anything.
   */
  function forget(document: SharedDocument): void {
    if (documents.get(document.name) !== document) return;
    documents.delete(document.name);
    document.cancelUnload();
    clearTimeout(peerFreezes.get(document.name));
    peerFreezes.delete(document.name);
    broadcaster.unloaded?.(document.name);
    void document.flush().then(() => document.destroy());
  }

  /** Last step: once nobody held the document for a while, store what is pending, compact, forget it. */
  function unload(document: SharedDocument): void {
    if (documents.get(document.name) !== document || !document.idle || stopping) return;
    documents.delete(document.name);
    clearTimeout(peerFreezes.get(document.name));
    peerFreezes.delete(document.name);
    const done = document
      .settle()
      .catch((error: unknown) => logger.error(`[yjs] ${document.name}: déchargement incomplet`, error))
      .finally(() => {
        document.destroy();
        unloading.delete(document.name);
        broadcaster.unloaded?.(document.name);
      });
    unloading.set(document.name, { document, done });
  }

  /* -------------------------------------------------------------------------------------------- connection */

  function connect(ws: WebSocket, document: SharedDocument, user: ConnectionUser, access: DocumentAccess): Connection {
    const connection = new Connection(ws, user, access !== "write" || document.sealed);
    connections.set(connection, document);
    document.connections.add(connection);

    ws.on("message", (data, isBinary) => receive(connection, document, data, isBinary));
    ws.on("pong", () => {
      connection.alive = true;
    });
    ws.on("error", (error) => {
      // ws closes the socket after an error (e.g. frame over maxPayload → 1009); 'close' cleans up.
      logger.warn(`[yjs] ${document.name}: erreur de connexion`, error.message);
    });
    ws.on("close", () => disconnect(connection, document));

    // Open the sync: our state vector (the client answers with what we lack), then who is here.
    connection.send(encodeSyncStep1(document.doc));
    const present = Array.from(document.awareness.getStates().keys());
    if (present.length > 0) {
      connection.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(document.awareness, present)));
    }
    return connection;
  }

  function disconnect(connection: Connection, document: SharedDocument): void {
    connection.closed = true;
    if (!connections.delete(connection)) return;
    document.connections.delete(connection);
    try {
      const ids = Array.from(connection.awarenessClientIds).filter((id) => document.awareness.states.has(id));
      if (ids.length > 0) awarenessProtocol.removeAwarenessStates(document.awareness, ids, null);
    } catch (error) {
      logger.warn(`[yjs] ${document.name}: présence non retirée`, error);
    }
    document.release(unloadDelayMs, () => unload(document));
  }

  /** Every frame lands here; a bad frame closes its own connection, never the process. */
  function receive(connection: Connection, document: SharedDocument, data: RawData, isBinary: boolean): void {
    if (connection.closed || stopping) return;
    try {
      if (!isBinary) return connection.close(CLOSE.unsupported);
      if (!connection.takeToken()) return connection.close(CLOSE.policy);
      const message = decodeClientMessage(toUint8Array(data));
      switch (message.type) {
        case "sync-step1":
          return answerSyncStep1(connection, document, message.stateVector);
        case "sync-update":
          return receiveUpdate(connection, document, message.update);
        case "awareness":
          return receiveAwareness(connection, document, message.update);
        case "query-awareness": {
          const ids = Array.from(document.awareness.getStates().keys());
          connection.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(document.awareness, ids)));
          return;
        }
        case "auth":
          return; // clients have nothing to say here
      }
    } catch (error) {
      if (error instanceof ProtocolError) {
        connection.close(error.closeCode === 1003 ? CLOSE.unsupported : CLOSE.protocol);
      } else {
        logger.error(`[yjs] ${document.name}: message non traité`, error);
        connection.close(CLOSE.protocol);
      }
    }
  }

  /** Sync step 2 from the doc — once what is applied to it is committed (no update reaches a peer before). */
  function answerSyncStep1(connection: Connection, document: SharedDocument, stateVector: Uint8Array): void {
    const committing = document.whenCommitted();
    if (!committing) return connection.send(syncStep2For(document, stateVector));
    assertValidStateVector(stateVector);
    committing
      .then(() => {
        if (!connection.closed && !document.discarded) connection.send(syncStep2For(document, stateVector));
      })
      .catch(() => connection.close(CLOSE.protocol));
  }

  function syncStep2For(document: SharedDocument, stateVector: Uint8Array): Uint8Array {
    try {
      return encodeSyncStep2(document.doc, stateVector);
    } catch (error) {
      throw new ProtocolError(`malformed state vector: ${(error as Error).message}`, 1002);
    }
  }

  /** An edit (sync step 2 or update): refused if read-only or too large, else queued to persist → apply. */
  function receiveUpdate(connection: Connection, document: SharedDocument, update: Uint8Array): void {
    assertValidUpdate(update);
    if (connection.readOnly || document.sealed) {
      // A client merely echoing what it already got from us is not an edit: stay quiet.
      if (!document.contains(update)) {
        if (!refusalLogged.has(connection)) {
          refusalLogged.add(connection); // once per connection: a client cannot flood the log
          const why = document.sealed ? "document scellé" : "lecture seule";
          logger.warn(`[yjs] ${document.name}: modification refusée (${why}) pour ${connection.user.id}`);
        }
        connection.send(encodePermissionDenied(document.sealed ? SEALED_REASON : READ_ONLY_REASON));
      }
      return;
    }
    if (!document.hasRoomFor(update.byteLength) && !document.contains(update)) {
      connection.send(encodePermissionDenied(TOO_LARGE_REASON));
      return;
    }
    document.submit(connection, update);
  }

  /**
   * Presence: size-limited, and a client id belongs to one user's connection at a time.
   * - A connection claims an id nobody owns only with an entry that sets a newer state: y-websocket clients send
   *   back every awareness change they receive, other clients' included, so a removal or a state no newer than the
   *   one here is an echo; taking the id on an echo would lock its owner out when they come back.
   * - Across processes (scale mode) the first announcement wins: an id announced by another process belongs to a
   *   connection over there, so no connection here may set or remove its state (`remoteClientIds`). The same user
   *   moving to this process with the same id (a reconnection through the load balancer) gets it back once the old
   *   process has dropped it (its connection closed, or 30 s without renewal): the client renews every 15 s.
   */
  function receiveAwareness(connection: Connection, document: SharedDocument, update: Uint8Array): void {
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
      accepted.push(entry);
    }
    if (accepted.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(document.awareness, encodeAwarenessUpdateEntries(accepted), connection);
  }

  /* -------------------------------------------------------------------------------------------- control */

  /**
   * Sealing across processes (scale mode; without a fan-out broadcaster only the local part runs):
   * - the sealing process freezes its copy and publishes `freeze` before it reads what it hashes: peers freeze
   *   theirs (their edits are refused from then on, the ones they had already accepted are stored), so they do not
   *   make the seal read again and again. Correctness does not rest on that message: an append committed after
   *   the seal is refused by the scale store (row lock + `sealedAt`), and the seal only commits over exactly the
   *   state it read;
   * - when the seal ends (sealed, or failed) and when it is lifted, the process publishes `seal-changed`: every
   *   process with the document loaded re-reads `sealedAt` and follows it — frozen if sealed, else each connection
   *   gets back the access its seat gives it now. Re-reading the database rather than trusting the message keeps
   *   messages arriving out of order (two processes sealing and reopening) harmless.
   */
  async function freeze(documentName: string): Promise<void> {
    broadcaster.publishControl?.(documentName, "freeze");
    await loading.get(documentName)?.catch(() => undefined);
    const document = documents.get(documentName);
    if (document) await document.setReadOnly();
    await unloading.get(documentName)?.done;
  }

  async function setReadOnly(documentName: string): Promise<void> {
    frozen.add(documentName);
    await freeze(documentName);
  }

  /** Lifts `setReadOnly` (unsealing): each connection gets back the access its seat gives it now. */
  async function setWritable(documentName: string): Promise<void> {
    frozen.delete(documentName);
    broadcaster.publishControl?.(documentName, "seal-changed");
    await followStoredSeal(documentName);
  }

  const sealing = createSealing({ setReadOnly: freeze, setWritable }, { store, logger });

  async function seal(documentName: string): Promise<SealResult> {
    return (await sealAndRecord(documentName)).result;
  }

  async function sealWith<T>(documentName: string, inside: SealInside<T>): Promise<T> {
    return (await sealAndRecord(documentName, inside)).value as T;
  }

  async function sealAndRecord<T>(documentName: string, inside?: SealInside<T>) {
    sealsInProgress.set(documentName, (sealsInProgress.get(documentName) ?? 0) + 1);
    let sealed = false;
    try {
      const result = await sealing.seal(documentName, inside);
      sealed = true;
      return result;
    } finally {
      const left = (sealsInProgress.get(documentName) ?? 1) - 1;
      if (left > 0) sealsInProgress.set(documentName, left);
      else sealsInProgress.delete(documentName);
      broadcaster.publishControl?.(documentName, "seal-changed");
      // A failed seal must not leave this copy frozen while the database says it is not sealed.
      if (!sealed) await followStoredSeal(documentName);
    }
  }

  /** Frozen here whatever the database says: a seal of this process or of a peer is in progress, or `setReadOnly`. */
  function frozenHere(documentName: string): boolean {
    return frozen.has(documentName) || sealsInProgress.has(documentName) || peerFreezes.has(documentName);
  }

  /** Re-reads the document's seal from the database and applies it to the loaded copy; one re-read at a time. */
  function followStoredSeal(documentName: string): Promise<void> {
    const previous = sealChecks.get(documentName) ?? Promise.resolve();
    const next = previous
      .then(() => applyStoredSeal(documentName))
      .catch((error: unknown) => logger.error(`[yjs] ${documentName}: état du scellement non relu`, error));
    sealChecks.set(documentName, next);
    void next.finally(() => {
      if (sealChecks.get(documentName) === next) sealChecks.delete(documentName);
    });
    return next;
  }

  async function applyStoredSeal(documentName: string): Promise<void> {
    await loading.get(documentName)?.catch(() => undefined);
    const document = documents.get(documentName);
    if (!document || stopping) return;
    const sealedInStore = await sealing.isSealed(documentName);
    if (documents.get(documentName) !== document) return;
    if (sealedInStore || frozenHere(documentName)) {
      await document.setReadOnly();
      return;
    }
    if (!document.sealed) return;
    // Unfreeze: every connection's access first, then all at once (sealed again meanwhile: stays frozen).
    const before = Array.from(document.connections);
    const checks = before.map((connection) => startAccessCheck(connection, document));
    const accesses = await Promise.all(checks.map((check) => check.access));
    if (documents.get(documentName) !== document || frozenHere(documentName)) return;
    document.sealed = false;
    accessEpoch++;
    before.forEach((connection, i) => applyAccess(connection, document, checks[i].id, accesses[i]));
    for (const connection of document.connections) {
      if (!before.includes(connection)) void refreshConnection(connection, document); // connected meanwhile, read-only
    }
  }

  /** Another process started sealing: freeze this copy until `seal-changed` (or the timeout) says what became of it. */
  async function freezeForPeer(documentName: string): Promise<void> {
    const document = documents.get(documentName);
    if (!document || stopping) return;
    clearTimeout(peerFreezes.get(documentName));
    const timer = setTimeout(() => {
      peerFreezes.delete(documentName);
      void followStoredSeal(documentName);
    }, PEER_FREEZE_TIMEOUT_MS);
    timer.unref();
    peerFreezes.set(documentName, timer);
    await document.setReadOnly().catch((error: unknown) => logger.error(`[yjs] ${documentName}: gel incomplet`, error));
  }

  /* -------------------------------------------------------------------------------------------- access refresh */

  /** Resolves a connection's access now; `access` is null when the resolver failed (the connection keeps its access). */
  function startAccessCheck(
    connection: Connection,
    document: SharedDocument,
  ): { id: number; access: Promise<DocumentAccess | null> } {
    const id = ++accessCheckCount;
    accessChecks.set(connection, id);
    const access = authorize(connection.user, document.name).catch((error: unknown) => {
      logger.error(`[yjs] ${document.name}: accès de ${connection.user.id} non réévalué`, error);
      return null;
    });
    return { id, access };
  }

  /**
   * Applies a resolved access, unless a later resolution for this connection was started meanwhile. Null (the
   * resolution failed) fails closed: the connection is closed with 1011 rather than kept with the access it had
   * before the change, and its client reconnects through the upgrade's authorization.
   */
  function applyAccess(
    connection: Connection,
    document: SharedDocument,
    id: number,
    access: DocumentAccess | null,
  ): void {
    if (connection.closed || accessChecks.get(connection) !== id) return;
    if (access === null) return connection.close(CLOSE.accessUnverified);
    if (access === "none") return connection.close(CLOSE.revoked); // 'close' removes its presence and releases the document
    connection.readOnly = access !== "write" || document.sealed;
  }

  async function refreshConnection(connection: Connection, document: SharedDocument): Promise<void> {
    const check = startAccessCheck(connection, document);
    applyAccess(connection, document, check.id, await check.access);
  }

  /** Re-resolves the access of this process's connections of one document. */
  async function refreshLocally(documentName: string): Promise<void> {
    accessEpoch++;
    await loading.get(documentName)?.catch(() => undefined);
    const document = documents.get(documentName);
    if (!document || stopping) return;
    await Promise.all(Array.from(document.connections, (connection) => refreshConnection(connection, document)));
  }

  async function refreshAccess(documentNames: string[]): Promise<void> {
    for (const name of documentNames) broadcaster.publishControl?.(name, "access-changed");
    await Promise.all(documentNames.map(refreshLocally));
  }

  /** Control events published by the other processes (scale mode). */
  broadcaster.onControl?.(async (documentName: string, control: DocumentControl) => {
    if (stopping) return;
    switch (control) {
      case "freeze":
        return freezeForPeer(documentName);
      case "seal-changed":
        clearTimeout(peerFreezes.get(documentName));
        peerFreezes.delete(documentName);
        return followStoredSeal(documentName);
      case "access-changed":
        return refreshLocally(documentName);
    }
  });

  async function flush(documentName?: string): Promise<void> {
    const targets = documentName === undefined ? Array.from(documents.values()) : [documents.get(documentName)];
    await Promise.all(targets.map((document) => document?.flush()));
    const settling = documentName === undefined ? Array.from(unloading.values()) : [unloading.get(documentName)];
    await Promise.all(settling.map((entry) => entry?.done));
  }

  function close(): Promise<void> {
    closing ??= (async () => {
      stopping = true;
      clearInterval(heartbeat);
      for (const timer of peerFreezes.values()) clearTimeout(timer);
      peerFreezes.clear();
      await Promise.allSettled(loading.values());
      await Promise.allSettled(Array.from(unloading.values(), (entry) => entry.done));
      const loaded = Array.from(documents.values());
      for (const document of loaded) document.cancelUnload();
      await Promise.allSettled(loaded.map((document) => document.settle()));

      const sockets = Array.from(connections.keys());
      for (const connection of sockets) connection.close(CLOSE.goingAway);
      await waitUntilClosed(sockets.map((connection) => connection.socket), 2_000);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const document of loaded) {
        document.destroy();
        broadcaster.unloaded?.(document.name);
      }
      documents.clear();
    })();
    return closing;
  }

  function stats() {
    let pendingUpdates = 0;
    for (const document of documents.values()) pendingUpdates += document.pendingUpdates;
    for (const { document } of unloading.values()) pendingUpdates += document.pendingUpdates;
    return { documents: documents.size, connections: connections.size, pendingUpdates };
  }

  const unseal = async (documentName: string) => (await sealing.unseal(documentName)).wasSealed;
  const unsealWith = async <T>(documentName: string, inside: UnsealInside<T>) =>
    (await sealing.unseal(documentName, inside)).value as T;
  return { handleUpgrade, close, setReadOnly, seal, sealWith, unseal, unsealWith, refreshAccess, flush, stats };
}

/* ------------------------------------------------------------------------------------------------ helpers */

/** `/yjs/<name>?…` → the URL-decoded name, or null. */
export function documentNameOf(url: string | undefined): string | null {
  const path = (url ?? "").split(/[?#]/)[0];
  if (!path.startsWith("/yjs/")) return null;
  let name: string;
  try {
    name = decodeURIComponent(path.slice("/yjs/".length));
  } catch {
    return null;
  }
  if (name.length === 0 || name.length > MAX_DOCUMENT_NAME_LENGTH) return null;
  return name;
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser: no ambient cookie to abuse
  const forwarded = req.headers["x-forwarded-host"];
  const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.headers.host;
  try {
    return origin !== "null" && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: number, statusText: string, body: string): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once("finish", () => socket.destroy());
  setTimeout(() => socket.destroy(), 1_000).unref();
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function ownerOf(document: SharedDocument, clientId: number): Connection | undefined {
  for (const connection of document.connections) {
    if (connection.awarenessClientIds.has(clientId)) return connection;
  }
  return undefined;
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function waitUntilClosed(sockets: WebSocket[], timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let open = sockets.filter((socket) => socket.readyState !== socket.CLOSED);
    if (open.length === 0) return resolve();
    const timer = setTimeout(() => {
      for (const socket of open) socket.terminate();
      resolve();
    }, timeoutMs);
    for (const socket of open) {
      socket.once("close", () => {
        open = open.filter((other) => other !== socket);
        if (open.length === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  });
}
