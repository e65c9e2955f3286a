/**
 * The tables every document store reads and writes: `CollabDocument` (compacted snapshot + seq of the last folded
 * update) and the append-only `CollabUpdate` log — the load, the cross-document group commit and the compaction
 * statements. Shared table access, not a store: the stores (./direct, ./journal, ./scale) compose these. Only
 * array-form transactions: PGlite deadlocks when an interactive transaction's callback touches the outer client.
 */
import { databaseUrl, sharedEmbeddedDatabase } from "~/platform/db/adapters.server";
import type { EmbeddedDatabase } from "~/platform/db/pglite.server";
import type { PreparedStep } from "~/platform/db/pglite-prepared.server";
import { prisma } from "~/platform/db/db.server";
import type { StoredDocument, UpdateToStore } from "./document-store";

/** Reads a document from the tables, creating its row when missing (so later appends satisfy the foreign key). */
export async function loadFromTables(name: string): Promise<StoredDocument> {
  {
    // Insert-if-missing is atomic (ON CONFLICT DO NOTHING): two processes loading a new document both succeed.
    await prisma.collabDocument.createMany({ data: [{ name }], skipDuplicates: true });
    const read = async (db: Pick<typeof prisma, "collabDocument" | "collabUpdate">) => {
      const row = await db.collabDocument.findUniqueOrThrow({
        where: { name },
        select: { snapshot: true, snapshotSeq: true, sealedAt: true },
      });
      const updates = await db.collabUpdate.findMany({
        where: { docName: name, seq: { gt: row.snapshotSeq } },
        orderBy: { seq: "asc" },
        select: { seq: true, update: true },
      });
      return { row, updates };
    };
    // On PostgreSQL another process may compact between the two reads (new snapshot, folded updates deleted): read
    // both in one repeatable-read snapshot. Embedded PGlite has a single process, which compacts only loaded docs.
    const { row, updates } = databaseUrl()
      ? await prisma.$transaction((tx) => read(tx), { isolationLevel: "RepeatableRead" })
      : await read(prisma);
    return {
      snapshot: row.snapshot,
      updates,
      lastSeq: updates.length > 0 ? updates[updates.length - 1].seq : row.snapshotSeq,
      sealed: row.sealedAt !== null,
    };
  }
}

/** Appends through the process-wide group commit (see `createAppendBatcher`). */
export function appendToTables(name: string, updates: UpdateToStore[]): Promise<bigint> {
  return appendBatcher.append(name, updates);
}

/** Replaces the snapshot and deletes the updates it folds, in one transaction. */
export async function compactTables(name: string, state: Uint8Array, upToSeq: bigint): Promise<void> {
  {
    const { embedded } = hotPath();
    if (embedded) {
      // Straight to PGlite (its worker thread in the server), the snapshot as binary: 2–4 ms of its time for a 20–60
      // KB snapshot against 4–20 ms through `query()` (which sends a bytea as hex text) and ~8 ms through Prisma's
      // transaction — every room's commit waits meanwhile (measured with tests/bench and a microbenchmark).
      await embedded.executePrepared(compactionSteps(name, state, upToSeq));
      return;
    }
    await prisma.$transaction([
      prisma.collabDocument.update({ where: { name }, data: { snapshot: toBytes(state), snapshotSeq: upToSeq } }),
      prisma.collabUpdate.deleteMany({ where: { docName: name, seq: { lte: upToSeq } } }),
    ]);
  }
}

/* ------------------------------------------------------------------------------------------------ group commit */

export type AppendRow = { docName: string; update: Uint8Array; userId: string | null };

/**
 * Cross-document group commit. Each document already batches its own updates (one append in flight per document,
 * see ./document), but every document of the process shares one database — with PGlite literally one connection
 * running one statement at a time. So appends of different documents requested while a write is in flight wait
 * and are then written together in ONE transaction (one commit, one WAL flush); an idle batcher writes on the
 * next setImmediate (after the messages already received in this event-loop turn, no timer). Measured with tests/bench (30 busy rooms on PGlite): one round trip per round instead
 * of one per room, which took the edit→peers p99 from seconds to milliseconds.
 *
 * A document appears at most once per write (a second append of the same document waits for the next one),
 * so each caller gets the seq of its own last row. When a multi-document write fails, its appends are retried
 * one by one, so only the faulty document's append is rejected.
 */
export function createAppendBatcher(
  write: (rows: AppendRow[]) => Promise<{ seq: bigint; docName: string }[]>,
  { maxRows = 2_000 }: { maxRows?: number } = {},
) {
  type Request = { name: string; updates: UpdateToStore[]; resolve(seq: bigint): void; reject(error: unknown): void };
  let queue: Request[] = [];
  let writing = false;

  async function writeOne(requests: Request[]): Promise<void> {
    const rows: AppendRow[] = [];
    for (const { name, updates } of requests) {
      for (const { update, userId } of updates) rows.push({ docName: name, update, userId });
    }
    const written = await write(rows);
    const last = new Map<string, bigint>();
    for (const { seq, docName } of written) if (seq > (last.get(docName) ?? 0n)) last.set(docName, seq);
    for (const request of requests) request.resolve(last.get(request.name) ?? 0n);
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch: Request[] = [];
        const names = new Set<string>();
        let rows = 0;
        const later: Request[] = [];
        for (const request of queue) {
          const fits = batch.length === 0 || rows + request.updates.length <= maxRows;
          if (fits && !names.has(request.name)) {
            batch.push(request);
            names.add(request.name);
            rows += request.updates.length;
          } else {
            later.push(request);
          }
        }
        queue = later;
        try {
          await writeOne(batch);
        } catch (error) {
          if (batch.length === 1) batch[0].reject(error);
          else {
            for (const request of batch) await writeOne([request]).catch((single: unknown) => request.reject(single));
          }
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    /** Appends one document's updates; resolves with the seq of the last one once committed. */
    append(name: string, updates: UpdateToStore[]): Promise<bigint> {
      if (updates.length === 0) return Promise.resolve(0n);
      return new Promise<bigint>((resolve, reject) => {
        queue.push({ name, updates, resolve, reject });
        if (!writing) {
          // Start on the next setImmediate, not at once: the socket messages already read in this event-loop
          // turn (other rooms' edits) get into the same statement. No timer: nothing waits for later input.
          writing = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}

const INSERT_ROWS_SQL = `
  INSERT INTO "CollabUpdate" ("docName", "update", "userId")
  SELECT t.name, decode(t.update, 'base64'), t.user_id
  FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(name, update, user_id, n)
  ORDER BY t.n
  RETURNING "seq", "docName"`;

const INSERT_ROW_SQL = `
  INSERT INTO "CollabUpdate" ("docName", "update", "userId") VALUES ($1, $2, $3)
  RETURNING "seq", "docName"`;

/**
 * The embedded database (null on PostgreSQL), looked up once while it stays open rather than on every edit (the
 * lookup reads the environment and resolves the data directory).
 */
let hot: { embedded: EmbeddedDatabase | null } | null = null;
function hotPath(): { embedded: EmbeddedDatabase | null } {
  if (!hot || hot.embedded?.closed) hot = { embedded: databaseUrl() ? null : sharedEmbeddedDatabase() };
  return hot;
}

/** Embedded PGlite's log statements, prepared once (app/platform/db/pglite-prepared.server). */
const APPEND_STATEMENT = { name: "quorum_collab_append", sql: INSERT_ROW_SQL };
/** A compaction on embedded PGlite, as prepared steps: the new snapshot, then the deletion of the rows it folds. */
export function compactionSteps(name: string, state: Uint8Array, upToSeq: bigint): PreparedStep[] {
  return [
    { statement: COMPACT_SNAPSHOT_STATEMENT, params: [state, upToSeq.toString(), name] },
    { statement: COMPACT_DELETE_STATEMENT, params: [name, upToSeq.toString()] },
  ];
}

const COMPACT_SNAPSHOT_STATEMENT = {
  name: "quorum_collab_snapshot",
  sql: `UPDATE "CollabDocument" SET "snapshot" = $1, "snapshotSeq" = $2, "updatedAt" = CURRENT_TIMESTAMP WHERE "name" = $3`,
};
const COMPACT_DELETE_STATEMENT = {
  name: "quorum_collab_fold",
  sql: `DELETE FROM "CollabUpdate" WHERE "docName" = $1 AND "seq" <= $2`,
};

/**
 * The hot path of every edit, so it skips Prisma's per-call overhead where it can:
 *  - embedded PGlite: straight to the process's PGlite (its worker thread for the server, see app/platform/db/pglite-thread),
 *    the INSERT prepared once and executed once per row, all rows in one transaction — ~0.15 ms of that thread's
 *    CPU per row against ~0.5 ms through `query()` (which re-plans) and ~1 ms more through `$queryRaw`. It takes
 *    PGlite's transaction lock, so it never lands inside a transaction Prisma holds open;
 *  - PostgreSQL, one row (the usual case at a few edits per second per room): `INSERT … VALUES` with the update as a
 *    bytea parameter; several rows: ONE multi-row INSERT of three array parameters whatever the row count, in order
 *    (ORDINALITY), the updates as base64 text decoded by the database; both through `$queryRawUnsafe`.
 */
async function insertRows(rows: AppendRow[]): Promise<{ seq: bigint; docName: string }[]> {
  const { embedded } = hotPath();
  if (embedded) {
    const written = await embedded.executePrepared(
      rows.map(({ docName, update, userId }) => ({ statement: APPEND_STATEMENT, params: [docName, update, userId] })),
    );
    return written.map(([seq, docName]) => ({ seq: BigInt(String(seq)), docName: String(docName) })); // both NOT NULL
  }
  const result =
    rows.length === 1
      ? await prisma.$queryRawUnsafe<{ seq: bigint; docName: string }[]>(
          INSERT_ROW_SQL,
          rows[0].docName,
          toBytes(rows[0].update),
          rows[0].userId,
        )
      : await prisma.$queryRawUnsafe<{ seq: bigint; docName: string }[]>(
          INSERT_ROWS_SQL,
          rows.map((row) => row.docName),
          rows.map((row) =>
            Buffer.from(row.update.buffer, row.update.byteOffset, row.update.byteLength).toString("base64"),
          ),
          rows.map((row) => row.userId),
        );
  return result.map(({ seq, docName }) => ({ seq: BigInt(seq), docName }));
}

const appendBatcher = createAppendBatcher(insertRows);

/** Prisma's Bytes type is a Uint8Array over a plain ArrayBuffer; copy views over shared or pooled buffers. */
function toBytes(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(data) as Uint8Array<ArrayBuffer>;
}
