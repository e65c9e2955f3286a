/**
 * Frame dispatch: a connection's life on an open websocket — opening the sync, every frame it sends (sync, update,
 * awareness, query), and its end. A bad frame closes its own connection, never the process.
 */
import type { RawData, WebSocket } from "ws";
import * as awarenessProtocol from "y-protocols/awareness";
import { receiveAwareness } from "./awareness";
import { ByteBudget, CLOSE, Connection, type ConnectionUser, READ_ONLY_REASON, SEALED_REASON } from "./connection";
import type { AccessGrant, ServerContext } from "./context";
import type { SharedDocument } from "./document";
import {
  assertValidStateVector,
  assertValidUpdate,
  decodeClientMessage,
  encodeAwarenessMessage,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  ProtocolError,
} from "./protocol";
import type { DocumentRegistry } from "./registry";

export { READ_ONLY_REASON, SEALED_REASON };
export const TOO_LARGE_REASON = "Document trop volumineux : la modification n'a pas été enregistrée.";

export class FrameDispatcher {
  /** Connections whose refused edit was already logged. */
  private readonly refusalLogged = new WeakSet<Connection>();
  /** Bytes of edits per user, before anything decodes them (read-only connections' included: checking costs too). */
  private readonly updateBudget: ByteBudget;

  constructor(
    private readonly ctx: ServerContext,
    private readonly registry: DocumentRegistry,
  ) {
    this.updateBudget = new ByteBudget(ctx.updateBytesPerSecond, ctx.updateBytesBurst);
  }

  /** A websocket accepted for a document: the connection, its handlers, and the opening of the sync. */
  connect(ws: WebSocket, document: SharedDocument, user: ConnectionUser, grant: AccessGrant): Connection {
    const { connections, logger } = this.ctx;
    const connection = new Connection(ws, user, grant.access !== "write" || document.sealed);
    connection.rights = new Set(grant.rights ?? []);
    connection.vocabulary = grant.vocabulary ?? null;
    connection.seatRank = grant.seatRank ?? null;
    connections.set(connection, document);
    document.connections.add(connection);

    ws.on("message", (data, isBinary) => this.receive(connection, document, data, isBinary));
    ws.on("pong", () => {
      connection.alive = true;
    });
    ws.on("error", (error) => {
      // ws closes the socket after an error (e.g. frame over maxPayload → 1009); 'close' cleans up.
      logger.warn(`[yjs] ${document.name}: erreur de connexion`, error.message);
    });
    ws.on("close", () => this.disconnect(connection, document));

    // Open the sync: our state vector (the client answers with what we lack), then who is here.
    connection.send(encodeSyncStep1(document.doc));
    const present = Array.from(document.awareness.getStates().keys());
    if (present.length > 0) {
      connection.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(document.awareness, present)));
    }
    return connection;
  }

  private disconnect(connection: Connection, document: SharedDocument): void {
    connection.closed = true;
    if (!this.ctx.connections.delete(connection)) return;
    document.connections.delete(connection);
    document.forgetPending(connection);
    try {
      const ids = Array.from(connection.awarenessClientIds).filter((id) => document.awareness.states.has(id));
      if (ids.length > 0) awarenessProtocol.removeAwarenessStates(document.awareness, ids, null);
    } catch (error) {
      this.ctx.logger.warn(`[yjs] ${document.name}: présence non retirée`, error);
    }
    this.registry.release(document);
  }

  /** Every frame lands here; a bad frame closes its own connection, never the process. */
  private receive(connection: Connection, document: SharedDocument, data: RawData, isBinary: boolean): void {
    if (connection.closed || this.ctx.stopping) return;
    try {
      if (!isBinary) return connection.close(CLOSE.unsupported);
      if (!connection.takeToken()) return connection.close(CLOSE.policy);
      const message = decodeClientMessage(toUint8Array(data));
      switch (message.type) {
        case "sync-step1":
          return this.answerSyncStep1(connection, document, message.stateVector);
        case "sync-update":
          if (!this.updateBudget.take(connection.user.id, message.update.byteLength)) {
            // Once per connection: it is closed, and a closed connection's frames are not read.
            this.ctx.logger.warn(`[yjs] ${document.name}: trop de modifications envoyées par ${connection.user.id}`);
            return connection.close(CLOSE.tooMuchData);
          }
          return this.receiveUpdate(connection, document, message.update);
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
        this.ctx.logger.error(`[yjs] ${document.name}: message non traité`, error);
        connection.close(CLOSE.protocol);
      }
    }
  }

  /** Sync step 2 from the doc — once what is applied to it is committed (no update reaches a peer before). */
  private answerSyncStep1(connection: Connection, document: SharedDocument, stateVector: Uint8Array): void {
    const committing = document.whenCommitted();
    if (!committing) return connection.send(syncStep2For(document, stateVector));
    assertValidStateVector(stateVector);
    committing
      .then(() => {
        if (!connection.closed && !document.discarded) connection.send(syncStep2For(document, stateVector));
      })
      .catch(() => connection.close(CLOSE.protocol));
  }

  /**
   * An edit (sync step 2 or update): refused if read-only or too large, else queued to the write pipeline, which
   * checks it against the document's schema before anything is applied or stored (./document).
   */
  private receiveUpdate(connection: Connection, document: SharedDocument, update: Uint8Array): void {
    const decoded = assertValidUpdate(update);
    if (connection.readOnly || document.sealed) {
      // A client merely echoing what it already got from us is not an edit: stay quiet.
      if (!document.contains(update)) {
        if (!this.refusalLogged.has(connection)) {
          this.refusalLogged.add(connection); // once per connection: a client cannot flood the log
          const why = document.sealed ? "document scellé" : "lecture seule";
          this.ctx.logger.warn(`[yjs] ${document.name}: modification refusée (${why}) pour ${connection.user.id}`);
        }
        connection.send(encodePermissionDenied(document.sealed ? SEALED_REASON : READ_ONLY_REASON));
      }
      return;
    }
    if (!document.hasRoomFor(update.byteLength) && !document.contains(update)) {
      connection.send(encodePermissionDenied(TOO_LARGE_REASON));
      return;
    }
    document.submit(connection, update, decoded);
  }
}

function syncStep2For(document: SharedDocument, stateVector: Uint8Array): Uint8Array {
  try {
    return encodeSyncStep2(document.doc, stateVector);
  } catch (error) {
    throw new ProtocolError(`malformed state vector: ${(error as Error).message}`, 1002);
  }
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
