/**
 * The one place that says which document store serves which mode:
 *
 *   | mode                                   | store                  | why                                               |
 *   |----------------------------------------|------------------------|---------------------------------------------------|
 *   | embedded PGlite (no DATABASE_URL)      | journal (./journal)    | an edit is durable once in the journal file; the  |
 *   |                                        |                        | tables are written in the background (ADR 0006)   |
 *   | PostgreSQL, one process                | direct (./direct)      | group commit straight into the tables             |
 *   | scale (REDIS_URL, shared PostgreSQL)   | scale (./scale)        | row locks so peers' appends and compactions agree |
 *
 * Every store implements `DocumentStore` (./document-store) over the same tables (./tables); no store reaches into
 * another's internals.
 */
import type { Logger } from "../document";
import { prismaDocumentStore } from "./direct";
import { type DocumentStore, readStoredState as readStateFrom } from "./document-store";
import { type JournaledStore, openJournaledStore, type PreparedExecutor } from "./journal";
import { createScaleDocumentStore } from "./scale";

export type { DocumentStore, StoredDocument, UpdateToStore } from "./document-store";
export { applyStored } from "./document-store";
export { prismaDocumentStore };

/** The stored state of a document as one Yjs update (see ./document-store); the direct store unless told. */
export function readStoredState(name: string, store: DocumentStore = prismaDocumentStore): Promise<Uint8Array | null> {
  return readStateFrom(name, store);
}

export type StoreMode =
  | { kind: "embedded"; journalDir: string; db: PreparedExecutor; logger: Logger & { info?(message: string): void } }
  | { kind: "postgres" }
  | { kind: "scale" };

/** The mode of this process: scale when Redis fans out, else embedded or PostgreSQL by the database in use. */
export function storeKind(options: { scale: boolean; embeddedDatabase: boolean }): StoreMode["kind"] {
  if (options.scale) return "scale";
  return options.embeddedDatabase ? "embedded" : "postgres";
}

export type OpenedStore = {
  store: DocumentStore;
  /** Stores what the store still holds outside the tables (the journal); call after the document server closed. */
  close(): Promise<void>;
  /** Resolves once every row the store acknowledged is in the tables (the journal ingested; else nothing to do). */
  drain(): Promise<void>;
};

/** Opens the store of a mode. Embedded: replays what a crash left in the journal before anything reads documents. */
export async function openDocumentStore(mode: StoreMode): Promise<OpenedStore> {
  switch (mode.kind) {
    case "embedded": {
      const journal: JournaledStore = await openJournaledStore({ dir: mode.journalDir, db: mode.db, logger: mode.logger });
      return { store: journal, close: () => journal.close(), drain: () => journal.drain() };
    }
    case "postgres":
      return { store: prismaDocumentStore, close: async () => {}, drain: async () => {} };
    case "scale":
      return { store: createScaleDocumentStore(), close: async () => {}, drain: async () => {} };
  }
}
