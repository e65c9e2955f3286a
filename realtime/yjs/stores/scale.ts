/**
 * The document store of the scale mode: several processes append to one document's log on one PostgreSQL.
 *
 * Why the single-process store is not enough: its compaction writes the in-memory doc as the snapshot and
 * deletes every update up to the last seq this process committed. With peers, that doc may lack an update a peer
 * committed (its Redis message still in transit), and a peer's update may hold a lower seq yet commit later than
 * ours (seqs are handed out at insert, not at commit): both would be deleted without being folded — lost.
 *
 * The rule here, per document:
 * - an append takes a SHARE lock on the document's row before inserting (so before its seq is drawn), and is
 *   refused when the document is sealed (sealing is frozen per process: a peer may not know yet);
 * - a compaction takes an UPDATE lock on that row (it waits for every append holding a seq to commit, and new
 *   appends wait for it), then rebuilds the state from the DATABASE — snapshot + every logged update — ignoring
 *   the caller's in-memory state, writes it as the snapshot with `snapshotSeq` = the last seq it read, and
 *   deletes only updates with seq <= that seq. Every such update was committed and read under the lock, hence
 *   folded; any later append draws a greater seq. The invariant "every update with seq <= snapshotSeq is in the
 *   snapshot" therefore holds with any number of processes, and loads (snapshot + seq > snapshotSeq) stay exact.
 * Interactive transactions: PostgreSQL only (scale mode refuses PGlite).
 */
import * as Y from "yjs";
import { prisma } from "~/platform/db/db.server";
import { applyStored, type DocumentStore } from "./document-store";
import { type AppendRow, createAppendBatcher, loadFromTables } from "./tables";

/** An append to a document sealed meanwhile (the document server closes the senders, who reconnect read-only). */
export class SealedDocumentError extends Error {
  constructor(readonly documentName: string) {
    super(`${documentName} : document scellé, modification refusée`);
    this.name = "SealedDocumentError";
  }
}

/** Longest a compaction may hold its lock (it reads and rewrites one document). */
const COMPACTION_TIMEOUT_MS = 30_000;

export function createScaleDocumentStore(): DocumentStore {
  const batcher = createAppendBatcher(appendLocked);
  return {
    load: loadFromTables,

    // Group commit across documents as in the single-process store; each statement also takes the locks below.
    append: (name, updates) => batcher.append(name, updates),

    async compact(name) {
      await prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1 FROM "CollabDocument" WHERE "name" = ${name} FOR UPDATE`;
          const row = await tx.collabDocument.findUnique({
            where: { name },
            select: { snapshot: true, snapshotSeq: true, sealedAt: true },
          });
          if (!row) return;
          const updates = await tx.collabUpdate.findMany({
            where: { docName: name, seq: { gt: row.snapshotSeq } },
            orderBy: { seq: "asc" },
            select: { seq: true, update: true },
          });
          if (updates.length === 0) return;
          const upToSeq = updates[updates.length - 1].seq;
          const doc = new Y.Doc();
          try {
            // An unreadable update is skipped (and so dropped from the log), as the single-process store does when
            // it compacts a doc that skipped it at load.
            applyStored(doc, { snapshot: row.snapshot, updates, lastSeq: upToSeq, sealed: row.sealedAt !== null });
            const state = Y.encodeStateAsUpdate(doc);
            await tx.collabDocument.update({ where: { name }, data: { snapshot: toBytes(state), snapshotSeq: upToSeq } });
            await tx.collabUpdate.deleteMany({ where: { docName: name, seq: { lte: upToSeq } } });
          } finally {
            doc.destroy();
          }
        },
        { timeout: COMPACTION_TIMEOUT_MS, maxWait: COMPACTION_TIMEOUT_MS },
      );
    },
  };
}

/**
 * One group commit: SHARE-lock every document of the batch (refusing a sealed one: the batcher then retries the
 * others alone), then one multi-row INSERT, in one transaction.
 */
async function appendLocked(rows: AppendRow[]): Promise<Array<{ seq: bigint; docName: string }>> {
  const documents = Array.from(new Set(rows.map((row) => row.docName))).sort();
  return prisma.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<Array<{ name: string; sealed: boolean }>>`
      SELECT "name", "sealedAt" IS NOT NULL AS "sealed" FROM "CollabDocument"
      WHERE "name" = ANY(${documents}::text[]) ORDER BY "name" FOR SHARE`;
    // Sealed by another process, whose freeze does not reach this one: refuse rather than write after the seal.
    const sealed = locked.find((row) => row.sealed);
    if (sealed) throw new SealedDocumentError(sealed.name);
    const names = rows.map((row) => row.docName);
    const updates = rows.map((row) => Buffer.from(row.update.buffer, row.update.byteOffset, row.update.byteLength).toString("base64"));
    const userIds = rows.map((row) => row.userId);
    return tx.$queryRaw<Array<{ seq: bigint; docName: string }>>`
      INSERT INTO "CollabUpdate" ("docName", "update", "userId")
      SELECT t.name, decode(t.update, 'base64'), t.user_id
      FROM unnest(${names}::text[], ${updates}::text[], ${userIds}::text[]) WITH ORDINALITY AS t(name, update, user_id, n)
      ORDER BY t.n
      RETURNING "seq", "docName"`;
  });
}

/** Prisma's Bytes type is a Uint8Array over a plain ArrayBuffer; copy views over shared or pooled buffers. */
function toBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data) as Uint8Array<ArrayBuffer>;
}
