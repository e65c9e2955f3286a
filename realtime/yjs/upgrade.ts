/**
 * Upgrade: authentication and authorization inside the HTTP upgrade. Nothing is accepted, and no content is sent,
 * before both pass; refusals a person should read are websocket closes (4401/4403: y-websocket stops retrying and
 * the UI shows the reason), the others plain HTTP answers.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import type { AccessRefresher } from "./access-refresh";
import { CLOSE, type CloseSpec, type ConnectionUser } from "./connection";
import type { AccessGrant, ServerContext } from "./context";
import type { FrameDispatcher } from "./dispatch";
import type { DocumentRegistry } from "./registry";
import { isCrossOrigin, trustProxyFromEnv } from "~/platform/security/request-origin";

/** Pre-authentication limit: upgrades being authenticated, authorized or loaded at once. */
const MAX_PENDING_UPGRADES = 512;
const MAX_DOCUMENT_NAME_LENGTH = 256;

export class UpgradeHandler {
  private pending = 0;

  constructor(
    private readonly ctx: ServerContext,
    private readonly wss: WebSocketServer,
    private readonly parts: { registry: DocumentRegistry; dispatcher: FrameDispatcher; access: AccessRefresher },
    private readonly options: {
      authenticate: (req: IncomingMessage) => Promise<ConnectionUser | null>;
      checkOrigin: boolean;
    },
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Until ws owns the socket, a reset by the peer must not become an uncaught 'error' event.
    const swallow = () => {};
    socket.on("error", swallow);
    if (this.ctx.stopping) return refuse(socket, 503, "Service Unavailable", "Serveur en cours d'arrêt.");
    if (this.pending >= MAX_PENDING_UPGRADES) return refuse(socket, 503, "Service Unavailable", "Serveur saturé.");
    this.pending++;
    this.upgrade(req, socket, head, swallow)
      .catch((error: unknown) => {
        this.ctx.logger.error("[yjs] ouverture de connexion impossible", error);
        refuse(socket, 503, "Service Unavailable", "Document momentanément indisponible.");
      })
      .finally(() => {
        this.pending--;
      });
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, swallow: () => void): Promise<void> {
    const { ctx } = this;
    const { registry, dispatcher, access } = this.parts;
    const name = documentNameOf(req.url);
    if (name === null) return refuse(socket, 400, "Bad Request", "Nom de document invalide.");
    if (this.options.checkOrigin && isCrossOrigin(req.headers, trustProxyFromEnv())) return refuse(socket, 403, "Forbidden", "Origine refusée.");

    const user = await this.authenticate(req);
    if (!user) return this.refuseWithClose(req, socket, head, CLOSE.unauthenticated);
    const epoch = ctx.accessEpoch;
    // Scale mode: a peer's refresh published before this process subscribes to the document (at load) never
    // reaches it, so the first connection loading it here resolves its access once more after connecting.
    const unheard = !registry.documents.has(name) && ctx.broadcaster.beforeLoad !== undefined;
    const grant = await this.authorize(user, name);
    if (grant.access === "none") return this.refuseWithClose(req, socket, head, CLOSE.forbidden);
    if (ctx.stopping) return refuse(socket, 503, "Service Unavailable", "Serveur en cours d'arrêt.");
    if (socket.destroyed) return;

    const document = await registry.load(name); // holds the document
    if (ctx.stopping || socket.destroyed) {
      registry.release(document);
      return refuse(socket, 503, "Service Unavailable", "Serveur en cours d'arrêt.");
    }
    let accepted = false;
    socket.once("close", () => {
      // ws refused the handshake itself (bad headers): the hold must not leak.
      if (!accepted) registry.release(document);
    });
    socket.off("error", swallow);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      accepted = true;
      try {
        if (document.discarded) {
          // Its commit failed while this upgrade was in progress: reconnecting loads it again from the database.
          ws.on("error", () => {});
          ws.close(CLOSE.storage.code, CLOSE.storage.reason);
          return;
        }
        const connection = dispatcher.connect(ws, document, user, grant);
        if (unheard || ctx.accessEpoch !== epoch) void access.refreshConnection(connection, document);
      } catch (error) {
        ctx.logger.error(`[yjs] ${name}: connexion non initialisée`, error);
        ws.close(CLOSE.storage.code, CLOSE.storage.reason); // 'close' releases the document
      }
    });
  }

  private refuseWithClose(req: IncomingMessage, socket: Duplex, head: Buffer, close: CloseSpec): void {
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // The peer may still send (e.g. a frame over maxPayload): ws reports it as 'error', fatal without a listener.
      ws.on("error", () => {});
      ws.close(close.code, close.reason);
    });
  }

  /** Authentication: who is it (session cookie). A failing lookup counts as no session. */
  private async authenticate(req: IncomingMessage): Promise<ConnectionUser | null> {
    try {
      return await this.options.authenticate(req);
    } catch (error) {
      this.ctx.logger.error("[yjs] authentification impossible", error);
      return null;
    }
  }

  /** Authorization: may they read or write this document, and with which rights. */
  private authorize(user: ConnectionUser, name: string): Promise<AccessGrant> {
    return this.ctx.resolveGrant(user.id, name);
  }
}

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
