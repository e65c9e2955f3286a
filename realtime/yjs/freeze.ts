/**
 * Sealing and freeze hooks: what the document server does around ./seal (which hashes and records the seal).
 *
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
import type { AccessRefresher } from "./access-refresh";
import type { ServerContext } from "./context";
import type { DocumentControl } from "./document";
import type { DocumentRegistry } from "./registry";
import { createSealing, type SealInside, type SealResult, type UnsealInside } from "./seal";

/**
 * A copy frozen by another process's seal re-reads the seal from the database after this long if the outcome never
 * arrives (that process died mid-seal, or the message was lost): it then follows the database.
 */
const PEER_FREEZE_TIMEOUT_MS = 15_000;

export class FreezeHooks {
  /** Frozen by `setReadOnly` in this process: loaded read-only even before the seal reaches the database. */
  private readonly frozen = new Set<string>();
  /** Seals running in this process, by document (a document loaded meanwhile is loaded frozen). */
  private readonly sealsInProgress = new Map<string, number>();
  /** Copies frozen by another process's seal in progress (scale mode), with the timer that gives up waiting. */
  private readonly peerFreezes = new Map<string, NodeJS.Timeout>();
  /** The seal re-reads of each document, one after the other (see `followStoredSeal`). */
  private readonly sealChecks = new Map<string, Promise<void>>();
  private readonly sealing;

  constructor(
    private readonly ctx: ServerContext,
    private readonly registry: DocumentRegistry,
    private readonly access: AccessRefresher,
  ) {
    this.sealing = createSealing(
      { setReadOnly: (name) => this.freeze(name), setWritable: (name) => this.setWritable(name) },
      { store: ctx.store, logger: ctx.logger },
    );
    registry.loadFrozen = (name) => this.frozen.has(name) || this.sealsInProgress.has(name);
    registry.onLeave = (name) => this.dropPeerFreeze(name);
  }

  /** Freezes this process's copy (and asks peers to freeze theirs); resolves once accepted edits are stored. */
  private async freeze(documentName: string): Promise<void> {
    this.ctx.broadcaster.publishControl?.(documentName, "freeze");
    const document = await this.registry.loaded(documentName);
    if (document) await document.setReadOnly();
    await this.registry.unloading.get(documentName)?.done;
  }

  async setReadOnly(documentName: string): Promise<void> {
    this.frozen.add(documentName);
    await this.freeze(documentName);
  }

  /** Lifts `setReadOnly` (unsealing): each connection gets back the access its seat gives it now. */
  private async setWritable(documentName: string): Promise<void> {
    this.frozen.delete(documentName);
    this.ctx.broadcaster.publishControl?.(documentName, "seal-changed");
    await this.followStoredSeal(documentName);
  }

  async seal(documentName: string): Promise<SealResult> {
    return (await this.sealAndRecord(documentName)).result;
  }

  /** Seals with the caller's `inside(tx, sealed)` in the seal's transaction (./seal); its value is returned. */
  async sealWith<T>(documentName: string, inside: SealInside<T>): Promise<T> {
    return (await this.sealAndRecord(documentName, inside)).value as T;
  }

  private async sealAndRecord<T>(documentName: string, inside?: SealInside<T>) {
    this.sealsInProgress.set(documentName, (this.sealsInProgress.get(documentName) ?? 0) + 1);
    let sealed = false;
    try {
      const result = await this.sealing.seal(documentName, inside);
      sealed = true;
      return result;
    } finally {
      const left = (this.sealsInProgress.get(documentName) ?? 1) - 1;
      if (left > 0) this.sealsInProgress.set(documentName, left);
      else this.sealsInProgress.delete(documentName);
      this.ctx.broadcaster.publishControl?.(documentName, "seal-changed");
      // A failed seal (or a caller's part that threw) must not leave this copy frozen while the database says it is
      // not sealed.
      if (!sealed) await this.followStoredSeal(documentName);
    }
  }

  async unseal(documentName: string): Promise<boolean> {
    return (await this.sealing.unseal(documentName)).wasSealed;
  }

  /** Unseals with the caller's `inside(tx, wasSealed)` in the unseal's transaction (./seal); its value is returned. */
  async unsealWith<T>(documentName: string, inside: UnsealInside<T>): Promise<T> {
    return (await this.sealing.unseal(documentName, inside)).value as T;
  }

  /** Control events published by the other processes (scale mode). */
  async onControl(documentName: string, control: DocumentControl): Promise<void> {
    if (this.ctx.stopping) return;
    switch (control) {
      case "freeze":
        return this.freezeForPeer(documentName);
      case "seal-changed":
        this.dropPeerFreeze(documentName);
        return this.followStoredSeal(documentName);
      case "access-changed":
        return this.access.refreshLocally(documentName);
    }
  }

  /** Shutdown: the peer-freeze timers stop. */
  stop(): void {
    for (const timer of this.peerFreezes.values()) clearTimeout(timer);
    this.peerFreezes.clear();
  }

  private dropPeerFreeze(documentName: string): void {
    clearTimeout(this.peerFreezes.get(documentName));
    this.peerFreezes.delete(documentName);
  }

  /** Frozen here whatever the database says: a seal of this process or of a peer is in progress, or `setReadOnly`. */
  private frozenHere(documentName: string): boolean {
    return this.frozen.has(documentName) || this.sealsInProgress.has(documentName) || this.peerFreezes.has(documentName);
  }

  /** Re-reads the document's seal from the database and applies it to the loaded copy; one re-read at a time. */
  private followStoredSeal(documentName: string): Promise<void> {
    const previous = this.sealChecks.get(documentName) ?? Promise.resolve();
    const next = previous
      .then(() => this.applyStoredSeal(documentName))
      .catch((error: unknown) => this.ctx.logger.error(`[yjs] ${documentName}: état du scellement non relu`, error));
    this.sealChecks.set(documentName, next);
    void next.finally(() => {
      if (this.sealChecks.get(documentName) === next) this.sealChecks.delete(documentName);
    });
    return next;
  }

  private async applyStoredSeal(documentName: string): Promise<void> {
    const document = await this.registry.loaded(documentName);
    if (!document || this.ctx.stopping) return;
    const sealedInStore = await this.sealing.isSealed(documentName);
    if (this.registry.documents.get(documentName) !== document) return;
    if (sealedInStore || this.frozenHere(documentName)) {
      await document.setReadOnly();
      return;
    }
    if (!document.sealed) return;
    // Unfreeze: every connection's access first, then all at once (sealed again meanwhile: stays frozen).
    const before = Array.from(document.connections);
    const checks = before.map((connection) => this.access.start(connection, document));
    const grants = await Promise.all(checks.map((check) => check.grant));
    if (this.registry.documents.get(documentName) !== document || this.frozenHere(documentName)) return;
    document.sealed = false;
    this.ctx.accessEpoch++;
    before.forEach((connection, i) => this.access.apply(connection, document, checks[i].id, grants[i]));
    for (const connection of document.connections) {
      // connected meanwhile, read-only
      if (!before.includes(connection)) void this.access.refreshConnection(connection, document);
    }
  }

  /** Another process started sealing: freeze this copy until `seal-changed` (or the timeout) says what became of it. */
  private async freezeForPeer(documentName: string): Promise<void> {
    const document = this.registry.documents.get(documentName);
    if (!document || this.ctx.stopping) return;
    clearTimeout(this.peerFreezes.get(documentName));
    const timer = setTimeout(() => {
      this.peerFreezes.delete(documentName);
      void this.followStoredSeal(documentName);
    }, PEER_FREEZE_TIMEOUT_MS);
    timer.unref();
    this.peerFreezes.set(documentName, timer);
    await document.setReadOnly().catch((error: unknown) => this.ctx.logger.error(`[yjs] ${documentName}: gel incomplet`, error));
  }
}
