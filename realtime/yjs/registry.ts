/**
 * The document registry: which documents are loaded in this process, loading each at most once at a time and
 * unloading it once nobody held it for a while (store what is pending, compact, forget).
 */
import type { ServerContext } from "./context";
import { SharedDocument } from "./document";

export class DocumentRegistry {
  readonly documents = new Map<string, SharedDocument>();
  readonly loading = new Map<string, Promise<SharedDocument>>();
  readonly unloading = new Map<string, { document: SharedDocument; done: Promise<void> }>();
  /** Whether a document must be loaded frozen (a seal or `setReadOnly` in progress): set by the freeze hooks. */
  loadFrozen: (name: string) => boolean = () => false;
  /** A document left the registry (forgotten or unloaded): the freeze hooks drop their timers. */
  onLeave: (name: string) => void = () => {};

  constructor(private readonly ctx: ServerContext) {}

  /** Step "load": the loaded document, loading it (snapshot + later log) at most once at a time. Holds it. */
  async load(name: string): Promise<SharedDocument> {
    for (;;) {
      const beingUnloaded = this.unloading.get(name);
      if (beingUnloaded) {
        await beingUnloaded.done;
        continue;
      }
      const loaded = this.documents.get(name);
      if (loaded) {
        loaded.hold();
        return loaded;
      }
      let pending = this.loading.get(name);
      if (!pending) {
        pending = this.read(name).finally(() => this.loading.delete(name));
        this.loading.set(name, pending);
      }
      await pending;
    }
  }

  /** The loaded document once any load in progress ended, or undefined. */
  async loaded(name: string): Promise<SharedDocument | undefined> {
    await this.loading.get(name)?.catch(() => undefined);
    return this.documents.get(name);
  }

  /** Releases a hold (a connection closed, an upgrade gave up): unloads after the delay if nobody holds it. */
  release(document: SharedDocument): void {
    document.release(this.ctx.unloadDelayMs, () => this.unload(document));
  }

  /** Reads a document from the store; a fan-out broadcaster subscribes to its changes before the read. */
  private async read(name: string): Promise<SharedDocument> {
    const { broadcaster, store, logger } = this.ctx;
    await broadcaster.beforeLoad?.(name);
    let document: SharedDocument | null = null;
    try {
      const stored = await store.load(name);
      document = new SharedDocument(name, stored, store, broadcaster, logger, this.ctx.schemaFor(name));
      document.onDiscard = (discarded) => this.forget(discarded);
      if (this.loadFrozen(name)) document.sealed = true;
      this.documents.set(name, document);
      return document;
    } finally {
      broadcaster.loaded?.(name, document);
    }
  }

  /**
   * A document whose commit failed is ahead of the database: forget it at once (its connections are closing; the
   * next connection loads it again from the database), without storing or compacting anything.
   */
  private forget(document: SharedDocument): void {
    if (this.documents.get(document.name) !== document) return;
    this.documents.delete(document.name);
    document.cancelUnload();
    this.onLeave(document.name);
    this.ctx.broadcaster.unloaded?.(document.name);
    void document.flush().then(() => document.destroy());
  }

  /** Step "unload": once nobody held the document for a while, store what is pending, compact, forget it. */
  private unload(document: SharedDocument): void {
    if (this.documents.get(document.name) !== document || !document.idle || this.ctx.stopping) return;
    this.documents.delete(document.name);
    this.onLeave(document.name);
    const done = document
      .settle()
      .catch((error: unknown) => this.ctx.logger.error(`[yjs] ${document.name}: déchargement incomplet`, error))
      .finally(() => {
        document.destroy();
        this.unloading.delete(document.name);
        this.ctx.broadcaster.unloaded?.(document.name);
      });
    this.unloading.set(document.name, { document, done });
  }

  /** Resolves once the document's (or every document's) accepted edits are stored. */
  async flush(documentName?: string): Promise<void> {
    const targets = documentName === undefined ? Array.from(this.documents.values()) : [this.documents.get(documentName)];
    await Promise.all(targets.map((document) => document?.flush()));
    const settling = documentName === undefined ? Array.from(this.unloading.values()) : [this.unloading.get(documentName)];
    await Promise.all(settling.map((entry) => entry?.done));
  }

  /** Shutdown, first half: loads and unloads in progress end, every loaded document is stored and compacted. */
  async settleAll(): Promise<SharedDocument[]> {
    await Promise.allSettled(this.loading.values());
    await Promise.allSettled(Array.from(this.unloading.values(), (entry) => entry.done));
    const loaded = Array.from(this.documents.values());
    for (const document of loaded) document.cancelUnload();
    await Promise.allSettled(loaded.map((document) => document.settle()));
    return loaded;
  }

  /** Shutdown, last half: the documents are destroyed. */
  destroyAll(loaded: SharedDocument[]): void {
    for (const document of loaded) {
      document.destroy();
      this.ctx.broadcaster.unloaded?.(document.name);
    }
    this.documents.clear();
  }

  stats(connections: number) {
    let pendingUpdates = 0;
    for (const document of this.documents.values()) pendingUpdates += document.pendingUpdates;
    for (const { document } of this.unloading.values()) pendingUpdates += document.pendingUpdates;
    return { documents: this.documents.size, connections, pendingUpdates };
  }
}
