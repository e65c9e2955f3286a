/**
 * The Yjs document server behind `/yjs/<document name>`: speaks what the y-websocket 3 client speaks (sync,
 * awareness, auth) plus Quorum's write acknowledgement (see ./protocol).
 *
 * A document's life, one part (and one file) per step:
 *   upgrade: authenticate → authorize (./upgrade)
 *   registry: load … unload (./registry)
 *   frame dispatch: sync, edits → the write pipeline check → apply → persist → broadcast → acknowledge
 *     (./dispatch, ./document, the schema in ./schema)
 *   awareness ownership (./awareness)
 *   sealing and freeze hooks (./freeze, around ./seal)
 *   access refresh (./access-refresh)
 *   heartbeat (./heartbeat)
 *   shutdown (`close` below)
 * This file only composes them. Which store serves which mode is decided in ./stores/index.ts.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { AccessRefresher } from "./access-refresh";
import { CLOSE, type ConnectionUser, LIMITS } from "./connection";
import { type AccessGrant, type DocumentAccess, type ServerContext, toGrant } from "./context";
import { FrameDispatcher } from "./dispatch";
import { type Broadcaster, type Logger, localBroadcaster } from "./document";
import { FreezeHooks } from "./freeze";
import { startHeartbeat } from "./heartbeat";
import { DocumentRegistry } from "./registry";
import type { DocumentSchema } from "./schema";
import type { SealInside, SealResult, UnsealInside } from "./seal";
import { prismaDocumentStore } from "./stores/direct";
import type { DocumentStore } from "./stores/document-store";
import { UpgradeHandler } from "./upgrade";

export type { AccessGrant, DocumentAccess } from "./context";
export { READ_ONLY_REASON, SEALED_REASON, TOO_LARGE_REASON } from "./dispatch";
export { documentNameOf } from "./upgrade";

export type YjsServerOptions = {
  /** Reads the session cookie of the upgrade request; null when there is no valid session. */
  authenticate: (req: IncomingMessage) => Promise<ConnectionUser | null>;
  /** A bare access, or a grant with the rights the document's schema checks and the seat's rank (presence colour). */
  resolveAccess: (userId: string, documentName: string) => Promise<DocumentAccess | AccessGrant>;
  /** The schema enforced on a document's updates (e.g. the grid's); none by default. */
  schemaFor?: (documentName: string) => DocumentSchema | null;
  /** Defaults to the direct store (see ./stores/index.ts for the store of each mode). */
  store?: DocumentStore;
  /** Defaults to this process's sockets only. */
  broadcaster?: Broadcaster;
  logger?: Logger;
  /** How long a document stays loaded after its last connection left. */
  unloadDelayMs?: number;
  /** Bytes of edits one user may send per second, and at once (default LIMITS.updateBytesPerSecond / …Burst). */
  updateBytesPerSecond?: number;
  updateBytesBurst?: number;
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
  /** Re-checks every connection of this person, in every process (scale mode); resolves once done here. */
  refreshUser(userId: string): Promise<void>;
  /** Resolves once the document's (or every document's) accepted edits are stored. */
  flush(documentName?: string): Promise<void>;
  /** The documents this user has open through a connection of this process. */
  documentsOf(userId: string): string[];
  /** The login sessions this process's open connections were opened with (`ConnectionUser.signInId`). */
  signInIds(): Set<string>;
  /** Closes this process's connections opened with one of these login sessions, now ended (4401, final). */
  endSignIns(ended: ReadonlySet<string>): void;
  /** Loaded documents, open connections, updates received but not yet stored and applied. */
  stats(): { documents: number; connections: number; pendingUpdates: number };
};

const DEFAULT_UNLOAD_DELAY_MS = 5_000;

export function createYjsServer(options: YjsServerOptions): YjsServer {
  const ctx: ServerContext = {
    store: options.store ?? prismaDocumentStore,
    broadcaster: options.broadcaster ?? localBroadcaster,
    logger: options.logger ?? console,
    unloadDelayMs: options.unloadDelayMs ?? DEFAULT_UNLOAD_DELAY_MS,
    updateBytesPerSecond: options.updateBytesPerSecond ?? LIMITS.updateBytesPerSecond,
    updateBytesBurst: options.updateBytesBurst ?? LIMITS.updateBytesBurst,
    schemaFor: options.schemaFor ?? (() => null),
    resolveGrant: async (userId, name) => toGrant(await options.resolveAccess(userId, name)),
    connections: new Map(),
    stopping: false,
    accessEpoch: 0,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxFrameBytes, perMessageDeflate: false });
  const registry = new DocumentRegistry(ctx);
  const access = new AccessRefresher(ctx, registry);
  const freeze = new FreezeHooks(ctx, registry, access);
  const dispatcher = new FrameDispatcher(ctx, registry);
  const upgrades = new UpgradeHandler(ctx, wss, { registry, dispatcher, access }, {
    authenticate: options.authenticate,
    checkOrigin: options.checkOrigin ?? true,
  });
  const stopHeartbeat = startHeartbeat(ctx.connections, options.heartbeatMs ?? LIMITS.pingIntervalMs);
  ctx.broadcaster.onControl?.((name, control) => freeze.onControl(name, control));
  ctx.broadcaster.onUserAccess?.((userId) => access.refreshUserLocally(userId));

  /** Shutdown: stop accepting, store and compact every loaded document, close the sockets with 1001. */
  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= (async () => {
      ctx.stopping = true;
      stopHeartbeat();
      freeze.stop();
      const loaded = await registry.settleAll();
      const sockets = Array.from(ctx.connections.keys());
      for (const connection of sockets) connection.close(CLOSE.goingAway);
      await waitUntilClosed(sockets.map((connection) => connection.socket), 2_000);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      registry.destroyAll(loaded);
    })();
    return closing;
  }

  return {
    handleUpgrade: (req, socket, head) => upgrades.handleUpgrade(req, socket, head),
    close,
    setReadOnly: (name) => freeze.setReadOnly(name),
    seal: (name) => freeze.seal(name),
    sealWith: (name, inside) => freeze.sealWith(name, inside),
    unseal: (name) => freeze.unseal(name),
    unsealWith: (name, inside) => freeze.unsealWith(name, inside),
    refreshAccess: (names) => access.refreshAccess(names),
    refreshUser: (userId) => access.refreshUser(userId),
    flush: (name) => registry.flush(name),
    documentsOf: (userId) => {
      const names = new Set<string>();
      for (const [connection, document] of ctx.connections) if (connection.user.id === userId) names.add(document.name);
      return [...names];
    },
    signInIds: () => {
      const ids = new Set<string>();
      for (const connection of ctx.connections.keys()) if (connection.user.signInId) ids.add(connection.user.signInId);
      return ids;
    },
    endSignIns: (ended) => {
      for (const connection of Array.from(ctx.connections.keys())) {
        const id = connection.user.signInId;
        if (id && ended.has(id)) connection.close(CLOSE.signedOut); // 'close' removes its presence and releases the document
      }
    },
    stats: () => registry.stats(ctx.connections.size),
  };
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
