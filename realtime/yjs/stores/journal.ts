/**
 * Embedded mode's write-ahead journal in front of the Yjs update log (docs/decisions/0006-embedded-yjs-journal.md).
 *
 * Embedded PGlite runs in a worker thread (decision 0005). Committing each edit there before broadcasting it cost a
 * cross-thread round trip on every edit (p99 1.3–2.8 ms under the benchmark's load), the largest part of Quorum's
 * latency. Here an edit is committed by appending it to a local journal file with one `write()` in the event loop's
 * own thread — the same durability as PGlite's own commit, which also ends in `write()` calls without fsync: it
 * survives the process being killed, not a power cut. The rows then reach `CollabUpdate` in the background, many
 * per transaction, and the journal's files are deleted once their rows are committed there.
 *
 *   append  → seqs from a block reserved in the database's sequence → journal write → resolved (then broadcast)
 *   ingest  → every ~250 ms: the rows journaled so far (and pending compactions) in ONE transaction → files deleted
 *   open    → rows left in the journal by a crash are inserted (idempotent: by seq, skipping folded or deleted
 *             documents) before anything reads the log
 *
 * Reads wait for the ingestion (`load`), so a document loaded, sealed or exported sees every committed edit.
 * Only for embedded PGlite, whose single process owns the database; PostgreSQL and scale mode commit directly.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import * as Y from "yjs";
import type { PreparedStatement, PreparedStep } from "~/platform/db/pglite-prepared.server";
import type { Logger } from "../document";
import type { DocumentStore, UpdateToStore } from "./document-store";
import { compactionSteps, loadFromTables } from "./tables";

/** A row of the Yjs log, as journaled and then inserted with its seq. */
export type JournalRecord = { seq: bigint; docName: string; update: Uint8Array; userId: string | null };

/** What the journaled store needs of the database: PGlite's prepared statements (app/platform/db/pglite.server). */
export type PreparedExecutor = { executePrepared(steps: PreparedStep[]): Promise<(string | null)[][]> };

export type JournaledStore = DocumentStore & {
  /** Resolves once everything journaled so far is in the database (rejects if the attempt fails). */
  drain(): Promise<void>;
  /** Drains, then closes the journal; rows it could not store stay in the journal for the next start. */
  close(): Promise<void>;
};

/** Seqs reserved at a time from `CollabUpdate`'s sequence (a restart skips what was left of its block). */
const SEQ_BLOCK = 100_000n;
/** Rows inserted per statement batch when replaying a journal at open. */
const REPLAY_CHUNK = 500;
const MAX_RETRY_DELAY_MS = 30_000;
/**
 * How long journaled rows wait for others before they are stored. Readers never wait for it (`load` starts an
 * ingestion at once). Measured with tests/bench (profile A, Quorum only, 40 s windows): 10 ms → 19–22 % of a core and
 * p99 5.0–5.2 ms; 50 ms → 14–16 % and 4.2–4.7 ms; 100 ms → 14–15 % and 4.9–5.3 ms (bigger bursts in the database
 * thread). Since an ingestion is one INSERT for all its rows (2026-12-03) the database thread took 3.5 % of a core at
 * 50 ms, 1.7 % at 250 ms, 1.5 % at 1 s: past the transaction, each row costs (its insert, its indexes, its deletion
 * at the compaction). With a document's rows merged into one per ingestion (`mergePerDocument`, 2026-12-05; the
 * database thread's own CPU from /proc over 20 s, two runs each): 1.6–1.9 % at 250 ms unmerged, 1.1 % merged,
 * 0.5–0.7 % merged at 1 s (300 edits/s become 30 rows/s). The edits' latency does not change: they never wait for it.
 */
const INGEST_DELAY_MS = 1_000;
/**
 * A journal file takes the rows of every ingestion for this long before it is closed (and deleted once its rows are
 * stored): one file per ingestion was an open, a close and an unlink every 50 ms in the event-loop thread. Rows of a
 * file still open may be in the database already: a replay after a crash inserts them again, which skips them.
 */
const FILE_SPAN_MS = 1_000;

/* ------------------------------------------------------------------------------------------------ files */

/**
 * Record: u32 payload length · u32 CRC-32 of the payload · payload = u64 seq · u16 name length · name (UTF-8) ·
 * u16 user id length (0xffff = none) · user id (UTF-8) · the Yjs update (the rest).
 */
const HEADER_BYTES = 8;
const NO_USER = 0xffff;

export function encodeRecords(records: JournalRecord[]): Buffer {
  // One buffer for every record, the strings written straight into it (no intermediate buffers): this runs on every
  // commit, in the event loop's thread.
  let total = 0;
  const sizes: number[] = [];
  for (const { docName, update, userId } of records) {
    const nameBytes = Buffer.byteLength(docName, "utf8");
    const userBytes = userId === null ? 0 : Buffer.byteLength(userId, "utf8");
    if (nameBytes >= NO_USER || userBytes >= NO_USER) throw new Error("journal : nom trop long");
    const payloadBytes = 8 + 2 + nameBytes + 2 + userBytes + update.byteLength;
    sizes.push(nameBytes, userBytes, payloadBytes);
    total += HEADER_BYTES + payloadBytes;
  }
  const data = Buffer.allocUnsafe(total);
  let at = 0;
  records.forEach(({ seq, docName, update, userId }, i) => {
    const [nameBytes, userBytes, payloadBytes] = [sizes[3 * i], sizes[3 * i + 1], sizes[3 * i + 2]];
    const start = at;
    at = data.writeUInt32LE(payloadBytes, at);
    at += 4; // CRC-32, below
    at = data.writeBigUInt64LE(seq, at);
    at = data.writeUInt16LE(nameBytes, at);
    at += data.write(docName, at, nameBytes, "utf8");
    at = data.writeUInt16LE(userId === null ? NO_USER : userBytes, at);
    if (userId !== null) at += data.write(userId, at, userBytes, "utf8");
    data.set(update, at);
    at += update.byteLength;
    data.writeUInt32LE(crc32(data.subarray(start + HEADER_BYTES, at)), start + 4);
  });
  return data;
}

/**
 * The records of one journal file, in order. Reading stops at the first record that is cut short or fails its
 * checksum (a write the crash interrupted, never acknowledged): `ignoredBytes` says how much was left.
 */
export function decodeRecords(data: Buffer): { records: JournalRecord[]; ignoredBytes: number } {
  const records: JournalRecord[] = [];
  let at = 0;
  while (data.byteLength - at >= HEADER_BYTES) {
    const payloadBytes = data.readUInt32LE(at);
    const end = at + HEADER_BYTES + payloadBytes;
    if (payloadBytes < 12 || end > data.byteLength) break;
    const payload = data.subarray(at + HEADER_BYTES, end);
    if (crc32(payload) !== data.readUInt32LE(at + 4)) break;
    const seq = payload.readBigUInt64LE(0);
    const nameBytes = payload.readUInt16LE(8);
    let p = 10 + nameBytes;
    if (p + 2 > payload.byteLength) break;
    const docName = payload.toString("utf8", 10, p);
    const userBytes = payload.readUInt16LE(p);
    p += 2;
    let userId: string | null = null;
    if (userBytes !== NO_USER) {
      if (p + userBytes > payload.byteLength) break;
      userId = payload.toString("utf8", p, p + userBytes);
      p += userBytes;
    }
    records.push({ seq, docName, userId, update: new Uint8Array(payload.subarray(p)) });
    at = end;
  }
  return { records, ignoredBytes: data.byteLength - at };
}

/**
 * The journal's files: `<n>.log`, written one at a time. `cut()` closes the current one (the next write opens the
 * next file), so each ingestion deletes exactly the files whose records it committed.
 */
class JournalFiles {
  private fd: number | null = null;
  private current: string | null = null;
  /** When the current file was opened (performance.now()). */
  private openedAt = 0;
  private next: number;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const numbers = this.list().map((file) => Number.parseInt(file, 10));
    this.next = numbers.length > 0 ? Math.max(...numbers) + 1 : 1;
  }

  /** The journal's files, oldest first. */
  list(): string[] {
    return readdirSync(this.dir)
      .filter((file) => /^\d+\.log$/.test(file))
      .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
  }

  read(file: string): Buffer {
    return readFileSync(path.join(this.dir, file));
  }

  /** Appends the records to the current file (opened on the first write after a cut); throws on an I/O error. */
  write(data: Buffer): void {
    if (this.fd === null) {
      this.current = `${String(this.next++).padStart(12, "0")}.log`;
      this.fd = openSync(path.join(this.dir, this.current), "wx");
      this.openedAt = performance.now();
    }
    try {
      for (let written = 0; written < data.byteLength; ) written += writeSync(this.fd, data, written);
    } catch (error) {
      // A partial record may end this file: later records go to the next one, which replay reads on its own.
      this.cut();
      throw error;
    }
  }

  /** How long the current file has been open, in ms (0 when none is). */
  age(): number {
    return this.fd === null ? 0 : performance.now() - this.openedAt;
  }

  /** Closes the current file and returns its name (null when nothing was written since the last cut). */
  cut(): string | null {
    const file = this.current;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.current = null;
    return file;
  }

  remove(files: string[]): void {
    for (const file of files) unlinkSync(path.join(this.dir, file));
  }
}

/* ------------------------------------------------------------------------------------------------ statements */

/**
 * Inserts journaled rows under their seqs, unless a row is already there (a replay after the crash of a process that
 * had stored it), its document was folded past it (compacted after it was stored) or deleted. ONE statement for
 * every row of an ingestion: the rows as a JSON array (seq, document, user, where the update starts and its length in
 * $2), the updates concatenated in $2, sent binary. One Bind + Execute per row cost ~0.15 ms of the database thread
 * each, i.e. ~5 % of a core at the benchmark's 300 edits/s; one per ingestion makes that a fraction.
 */
const INSERT_JOURNALED_STATEMENT: PreparedStatement = {
  name: "quorum_collab_journaled_rows",
  sql: `INSERT INTO "CollabUpdate" ("seq", "docName", "update", "userId")
    SELECT r.seq, r.doc, substring($2::bytea FROM r.at FOR r.len), r.usr
    FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, doc text, usr text, at integer, len integer)
    WHERE EXISTS (SELECT 1 FROM "CollabDocument" d WHERE d."name" = r.doc AND d."snapshotSeq" < r.seq)
    ORDER BY r.seq
    ON CONFLICT ("seq") DO NOTHING
    RETURNING "seq"`,
};

/**
 * Reserves the next `$1` seqs: moves the sequence past them (beyond any stored row), so that a row inserted without
 * a seq (the sequence's default) never takes one of ours. Returns the last one reserved.
 */
const RESERVE_STATEMENT: PreparedStatement = {
  name: "quorum_collab_reserve",
  sql: `SELECT setval('"CollabUpdate_seq_seq"', GREATEST(
      (SELECT last_value FROM "CollabUpdate_seq_seq"),
      (SELECT COALESCE(max("seq"), 0) FROM "CollabUpdate"),
      $2::bigint) + $1::bigint)`,
};

/** The insertion of `records` as one step (none when there is nothing to insert). */
export function insertSteps(records: JournalRecord[]): PreparedStep[] {
  if (records.length === 0) return [];
  const rows: { seq: string; doc: string; usr: string | null; at: number; len: number }[] = [];
  const updates = Buffer.allocUnsafeSlow(records.reduce((total, { update }) => total + update.byteLength, 0));
  let at = 0;
  for (const { seq, docName, update, userId } of records) {
    updates.set(update, at);
    rows.push({ seq: seq.toString(), doc: docName, usr: userId, at: at + 1, len: update.byteLength }); // SQL counts from 1
    at += update.byteLength;
  }
  return [{ statement: INSERT_JOURNALED_STATEMENT, params: [JSON.stringify(rows), updates] }];
}

/**
 * One row per document for an ingestion: a document's journaled updates merged into one Yjs update
 * (`Y.mergeUpdates`), under the seq of the last of them, attributed to their writer when they all have the same one.
 * The database's work is per row (the insert, its two indexes, the compaction's delete): at the benchmark's 300
 * edits/s over 30 documents that is 2–3 updates per document every 250 ms, and a third of the rows. The journal's
 * files keep each update: a replay after a crash inserts those under their own seqs, skipping the merged row's seq,
 * and applying an update twice changes nothing in a Yjs document.
 */
export function mergePerDocument(records: JournalRecord[]): JournalRecord[] {
  const byDocument = new Map<string, JournalRecord[]>();
  for (const record of records) {
    const list = byDocument.get(record.docName);
    if (list) list.push(record);
    else byDocument.set(record.docName, [record]);
  }
  if (byDocument.size === records.length) return records;
  const merged: JournalRecord[] = [];
  for (const [docName, list] of byDocument) {
    if (list.length === 1) {
      merged.push(list[0]);
      continue;
    }
    const userId = list.every((record) => record.userId === list[0].userId) ? list[0].userId : null;
    const update = Y.mergeUpdates(list.map((record) => record.update));
    merged.push({ seq: list[list.length - 1].seq, docName, update, userId });
  }
  return merged.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
}

/* ------------------------------------------------------------------------------------------------ store */

type Compaction = { name: string; state: Uint8Array; upToSeq: bigint };
type Waiter = { resolve(): void; reject(error: unknown): void };

/**
 * Opens the journal in `dir`: replays what a crash left there into the database, then returns the store. Call it
 * before anything reads the Yjs log.
 */
export async function openJournaledStore(options: {
  dir: string;
  db: PreparedExecutor;
  logger: Logger & { info?(message: string): void };
  /** How long rows wait before an ingestion starts (more rows per transaction, less of the database's time). */
  ingestDelayMs?: number;
  /** Reads a document (after the ingestion): the tables' `loadFromTables` by default. */
  load?: DocumentStore["load"];
}): Promise<JournaledStore> {
  const { db, logger } = options;
  const ingestDelayMs = options.ingestDelayMs ?? INGEST_DELAY_MS;
  const load = options.load ?? loadFromTables;
  const files = new JournalFiles(options.dir);

  /* ---- replay */
  const left = files.list();
  let highestReplayed = 0n;
  if (left.length > 0) {
    const records: JournalRecord[] = [];
    for (const file of left) {
      const decoded = decodeRecords(files.read(file));
      if (decoded.ignoredBytes > 0) {
        logger.warn(`[yjs] journal ${file} : ${decoded.ignoredBytes} octet(s) d'écriture interrompue ignorés`);
      }
      for (const record of decoded.records) records.push(record);
    }
    let inserted = 0;
    for (let i = 0; i < records.length; i += REPLAY_CHUNK) {
      inserted += (await db.executePrepared(insertSteps(records.slice(i, i + REPLAY_CHUNK)))).length;
    }
    for (const { seq } of records) if (seq > highestReplayed) highestReplayed = seq;
    files.remove(left);
    logger.info?.(`[yjs] journal rejoué : ${records.length} mise(s) à jour relue(s), ${inserted} ajoutée(s) au journal des documents`);
  }

  /* ---- seqs */
  const reserve = async (): Promise<{ next: bigint; last: bigint }> => {
    const [[value]] = await db.executePrepared([{ statement: RESERVE_STATEMENT, params: [SEQ_BLOCK, highestReplayed] }]);
    const last = BigInt(String(value));
    return { next: last - SEQ_BLOCK + 1n, last };
  };
  let block = await reserve();
  let spare: { next: bigint; last: bigint } | null = null;
  let reserving: Promise<void> | null = null;
  const reserveSpare = (): Promise<void> =>
    (reserving ??= reserve()
      .then((reserved) => void (spare = reserved))
      .finally(() => (reserving = null)));

  /** `count` consecutive seqs, or null when the block ran out before the spare arrived. */
  function allocate(count: number): bigint | null {
    const wanted = BigInt(count);
    if (block.last - block.next + 1n < wanted) {
      if (!spare) return null;
      block = spare;
      spare = null;
    }
    const first = block.next;
    block.next += wanted;
    if (!spare && block.last - block.next < SEQ_BLOCK / 2n) {
      reserveSpare().catch((error: unknown) => logger.error("[yjs] journal : réservation de numéros impossible", error));
    }
    return first;
  }

  /* ---- ingestion */
  let rows: JournalRecord[] = [];
  const compactions = new Map<string, Compaction>();
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let closed = false;
  const waiters: Waiter[] = [];
  let retryDelayMs = 0;

  const pending = () => rows.length > 0 || compactions.size > 0;

  function schedule(delayMs: number): void {
    if (running || timer || !pending()) return;
    timer = setTimeout(() => {
      timer = null;
      void ingest();
    }, delayMs);
  }

  async function ingest(): Promise<void> {
    running = true;
    const batchRows = rows;
    const batchCompactions = [...compactions.values()];
    rows = [];
    compactions.clear();
    // Readers and a closing store want the journal emptied; otherwise the file goes on for FILE_SPAN_MS.
    const written = waiters.length > 0 || closed || files.age() >= FILE_SPAN_MS ? files.cut() : null;
    const cut = written ? [written] : [];
    try {
      for (;;) {
        try {
          // A row that a compaction of this batch folds is in its snapshot already: not inserted only to be deleted.
          const folded = new Map(batchCompactions.map(({ name, upToSeq }) => [name, upToSeq]));
          const kept = batchRows.filter(({ docName, seq }) => seq > (folded.get(docName) ?? 0n));
          const merged = mergePerDocument(kept);
          const steps = insertSteps(merged);
          for (const { name, state, upToSeq } of batchCompactions) steps.push(...compactionSteps(name, state, upToSeq));
          const inserted = (await db.executePrepared(steps)).length;
          if (inserted < merged.length) {
            logger.warn(`[yjs] journal : ${merged.length - inserted} mise(s) à jour de documents supprimés ignorée(s)`);
          }
          break;
        } catch (error) {
          for (const waiter of waiters.splice(0)) waiter.reject(error);
          if (closed) {
            // Shutting down: the rows stay in the journal, replayed at the next start.
            logger.error(`[yjs] journal : ${batchRows.length} mise(s) à jour non reportée(s) en base, gardées pour le prochain démarrage`, error);
            rows = batchRows.concat(rows);
            return;
          }
          retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, Math.max(1_000, retryDelayMs * 2));
          logger.error(`[yjs] journal : ${batchRows.length} mise(s) à jour non reportée(s) en base, nouvel essai dans ${retryDelayMs / 1000} s`, error);
          await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
        }
      }
      retryDelayMs = 0;
      files.remove(cut);
    } finally {
      running = false;
    }
    if (pending()) {
      // Waiting readers or a closing store want it now; otherwise leave the rows a moment to gather.
      schedule(waiters.length > 0 || closed ? 0 : ingestDelayMs);
    } else {
      for (const waiter of waiters.splice(0)) waiter.resolve();
      tidy();
    }
  }

  /** Nothing left to ingest: the open file holds only stored rows; close and delete it if no row comes meanwhile. */
  let tidying: NodeJS.Timeout | null = null;
  function tidy(): void {
    if (tidying || files.age() === 0) return;
    tidying = setTimeout(() => {
      tidying = null;
      if (running || pending()) return; // the next ingestion cuts it
      try {
        const file = files.cut();
        if (file) files.remove([file]);
      } catch (error) {
        logger.warn("[yjs] journal : fichier non supprimé (ses lignes sont en base, un redémarrage les ignorera)", error);
      }
    }, FILE_SPAN_MS);
    tidying.unref();
  }

  function drain(): Promise<void> {
    if (!pending() && !running) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      waiters.push({ resolve, reject });
      if (running) return; // it goes on at once when done (see `ingest`)
      if (timer) clearTimeout(timer);
      timer = null;
      void ingest();
    });
  }

  function append(name: string, updates: UpdateToStore[]): Promise<bigint> {
    if (closed) return Promise.reject(new Error("journal fermé"));
    if (updates.length === 0) return Promise.resolve(0n);
    const first = allocate(updates.length);
    if (first === null) return reserveSpare().then(() => append(name, updates));
    const records = updates.map(({ update, userId }, i) => ({ seq: first + BigInt(i), docName: name, update, userId }));
    try {
      files.write(encodeRecords(records));
    } catch (error) {
      return Promise.reject(error);
    }
    for (const record of records) rows.push(record);
    schedule(ingestDelayMs);
    return Promise.resolve(records[records.length - 1].seq);
  }

  return {
    async load(name) {
      await drain();
      return load(name);
    },

    append,

    compact(name, state, upToSeq) {
      // Ordered after the rows journaled so far (same transaction, after their inserts): the later ones are kept.
      compactions.set(name, { name, state, upToSeq });
      schedule(ingestDelayMs);
      return Promise.resolve();
    },

    drain,

    async close() {
      if (closed) return;
      closed = true;
      // A failure is logged by the ingestion; what it could not store stays in the journal for the next start.
      await drain().catch(() => {});
      if (tidying) clearTimeout(tidying);
      files.cut();
    },
  };
}
