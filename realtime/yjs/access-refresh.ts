/**
 * Access refresh: re-resolving the access of open connections after a change of who sits in a session (here or
 * announced by a peer) or when a document is unfrozen. The latest resolution started for a connection wins; a
 * resolution that fails closes the connection (fail closed) and its client reconnects through the upgrade.
 */
import { type Connection, CLOSE } from "./connection";
import type { AccessGrant, ServerContext } from "./context";
import type { SharedDocument } from "./document";
import type { DocumentRegistry } from "./registry";

export type AccessCheck = { id: number; grant: Promise<AccessGrant | null> };

export class AccessRefresher {
  /** The latest access resolution started for each connection: an older one finishing later is ignored. */
  private readonly checks = new WeakMap<Connection, number>();
  private count = 0;

  constructor(
    private readonly ctx: ServerContext,
    private readonly registry: DocumentRegistry,
  ) {}

  /** Resolves a connection's access now; `grant` is null when the resolver failed. */
  start(connection: Connection, document: SharedDocument): AccessCheck {
    const id = ++this.count;
    this.checks.set(connection, id);
    const grant = this.ctx.resolveGrant(connection.user.id, document.name).catch((error: unknown) => {
      this.ctx.logger.error(`[yjs] ${document.name}: accès de ${connection.user.id} non réévalué`, error);
      return null;
    });
    return { id, grant };
  }

  /**
   * Applies a resolved access, unless a later resolution for this connection was started meanwhile. Null (the
   * resolution failed) fails closed: the connection is closed with 1011 rather than kept with the access it had
   * before the change, and its client reconnects through the upgrade's authorization.
   */
  apply(connection: Connection, document: SharedDocument, id: number, grant: AccessGrant | null): void {
    if (connection.closed || this.checks.get(connection) !== id) return;
    if (grant === null) return connection.close(CLOSE.accessUnverified);
    if (grant.access === "none") return connection.close(CLOSE.revoked); // 'close' removes its presence and releases the document
    connection.rights = new Set(grant.rights ?? []);
    connection.vocabulary = grant.vocabulary ?? null;
    connection.readOnly = grant.access !== "write" || document.sealed;
  }

  async refreshConnection(connection: Connection, document: SharedDocument): Promise<void> {
    const check = this.start(connection, document);
    this.apply(connection, document, check.id, await check.grant);
  }

  /** Re-resolves the access of this process's connections of one document. */
  async refreshLocally(documentName: string): Promise<void> {
    this.ctx.accessEpoch++;
    const document = await this.registry.loaded(documentName);
    if (!document || this.ctx.stopping) return;
    await Promise.all(Array.from(document.connections, (connection) => this.refreshConnection(connection, document)));
  }

  /** Re-resolves the access of every connection of this person in this process, whatever the document. */
  async refreshUserLocally(userId: string): Promise<void> {
    this.ctx.accessEpoch++;
    if (this.ctx.stopping) return;
    const held = Array.from(this.ctx.connections).filter(([connection]) => connection.user.id === userId);
    await Promise.all(held.map(([connection, document]) => this.refreshConnection(connection, document)));
  }

  /** Every process re-resolves the access of this person's connections; resolves once done here. */
  async refreshUser(userId: string): Promise<void> {
    this.ctx.broadcaster.publishUserAccess?.(userId);
    await this.refreshUserLocally(userId);
  }

  /** Every process re-resolves the access of its connections of these documents; resolves once done here. */
  async refreshAccess(documentNames: string[]): Promise<void> {
    for (const name of documentNames) this.ctx.broadcaster.publishControl?.(name, "access-changed");
    await Promise.all(documentNames.map((name) => this.refreshLocally(name)));
  }
}
