/**
 * The document store contract: what the document server (realtime/yjs) needs to load, log and compact a
 * collaborative document, whatever the mode. The stores implementing it live beside this file; ./index.ts picks one.
 */
import * as Y from "yjs";
import { prisma } from "~/platform/db/db.server";

export type StoredDocument = {
  snapshot: Uint8Array | null;
  /** Updates after the snapshot, in commit order. */
  updates: { seq: bigint; update: Uint8Array }[];
  /** Seq of the last update this state includes (snapshot's or last logged update's). */
  lastSeq: bigint;
  sealed: boolean;
};

export type UpdateToStore = { update: Uint8Array; userId: string | null };

/**
 * The persistence the document server needs. Which store serves which mode is decided in ./index.ts
 * (`openDocumentStore`): embedded PGlite → the journal (./journal), PostgreSQL → direct (./direct), scale mode →
 * the scale store (./scale). Every store reads and writes the same tables through ./tables.
 */
export interface DocumentStore {
  /** Loads a document, creating its row when missing (so later appends satisfy the foreign key). */
  load(name: string): Promise<StoredDocument>;
  /** Appends updates in one transaction, in order; resolves with the seq of the last one once committed. */
  append(name: string, updates: UpdateToStore[]): Promise<bigint>;
  /** Replaces the snapshot with `state` (which folds every update up to `upToSeq`) and deletes those updates. */
  compact(name: string, state: Uint8Array, upToSeq: bigint): Promise<void>;
}

/**
 * The current stored state of a document as one Yjs update (snapshot merged with the later log), or null when
 * the document was never opened. For sealing and exports: flush the live document first (`setReadOnly`).
 */
export async function readStoredState(name: string, store: DocumentStore): Promise<Uint8Array | null> {
  const exists = await prisma.collabDocument.findUnique({ where: { name }, select: { name: true } });
  if (!exists) return null;
  const stored = await store.load(name);
  const doc = new Y.Doc();
  try {
    applyStored(doc, stored);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Applies a stored document to `doc`. An update that cannot be applied is reported and skipped rather than
 * making the document unloadable forever; returns the seqs skipped.
 */
export function applyStored(doc: Y.Doc, stored: StoredDocument, origin: unknown = "load"): bigint[] {
  const skipped: bigint[] = [];
  if (stored.snapshot && stored.snapshot.byteLength > 0) Y.applyUpdate(doc, stored.snapshot, origin);
  for (const { seq, update } of stored.updates) {
    try {
      Y.applyUpdate(doc, update, origin);
    } catch {
      skipped.push(seq);
    }
  }
  return skipped;
}

