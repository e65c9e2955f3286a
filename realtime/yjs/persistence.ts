/**
 * Where collaborative documents live: `CollabDocument` (compacted snapshot + seq of the last folded update) and
 * the append-only `CollabUpdate` log. Only array-form transactions: PGlite deadlocks when an interactive
 * transaction's callback touches the outer client.
 */
import * as Y from "yjs";
import { prisma } from "~/db/db.server";

export type StoredDocument = {
  snapshot: Uint8Array | null;
  /** Updates after the snapshot, in commit order. */
  updates: { seq: bigint; update: Uint8Array }[];
  /** Seq of the last update this state includes (snapshot's or last logged update's). */
  lastSeq: bigint;
  sealed: boolean;
};

export type UpdateToStore = { update: Uint8Array; userId: string | null };

/** The persistence the document server needs; `prismaDocumentStore` is the one the product uses. */
export interface DocumentStore {
  /** Loads a document, creating its row when missing (so later appends satisfy the foreign key). */
  load(name: string): Promise<StoredDocument>;
  /** Appends updates in one statement, in order; resolves with the seq of the last one once committed. */
  append(name: string, updates: UpdateToStore[]): Promise<bigint>;
  /** Replaces the snapshot with `state` (which folds every update up to `upToSeq`) and deletes those updates. */
  compact(name: string, state: Uint8Array, upToSeq: bigint): Promise<void>;
}

export const prismaDocumentStore: DocumentStore = {
  async load(name) {
    const row = await prisma.collabDocument.upsert({
      where: { name },
      create: { name },
      update: {},
      select: { snapshot: true, snapshotSeq: true, sealedAt: true },
    });
    const updates = await prisma.collabUpdate.findMany({
      where: { docName: name, seq: { gt: row.snapshotSeq } },
      orderBy: { seq: "asc" },
      select: { seq: true, update: true },
    });
    return {
      snapshot: row.snapshot,
      updates,
      lastSeq: updates.length > 0 ? updates[updates.length - 1].seq : row.snapshotSeq,
      sealed: row.sealedAt !== null,
    };
  },

  async append(name, updates) {
    const rows = await prisma.collabUpdate.createManyAndReturn({
      data: updates.map(({ update, userId }) => ({ docName: name, update: toBytes(update), userId })),
      select: { seq: true },
    });
    let last = 0n;
    for (const { seq } of rows) if (seq > last) last = seq;
    return last;
  },

  async compact(name, state, upToSeq) {
    await prisma.$transaction([
      prisma.collabDocument.update({ where: { name }, data: { snapshot: toBytes(state), snapshotSeq: upToSeq } }),
      prisma.collabUpdate.deleteMany({ where: { docName: name, seq: { lte: upToSeq } } }),
    ]);
  },
};

/**
 * The current stored state of a document as one Yjs update (snapshot merged with the later log), or null when
 * the document was never opened. For sealing and exports: flush the live document first (`setReadOnly`).
 */
export async function readStoredState(name: string, store: DocumentStore = prismaDocumentStore): Promise<Uint8Array | null> {
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

/** Prisma's Bytes type is a Uint8Array over a plain ArrayBuffer; copy views over shared or pooled buffers. */
function toBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data) as Uint8Array<ArrayBuffer>;
}
