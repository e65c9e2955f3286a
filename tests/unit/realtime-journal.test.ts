/**
 * Embedded mode's Yjs journal (realtime/yjs/stores/journal.ts) on a real PGlite copied from the migrated template: an edit
 * is durable once `append` resolves, a crash before the ingestion loses nothing, a replay stores each row once,
 * compactions keep the rows journaled after them, and a database failure keeps the rows until it answers.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { PreparedStep } from "~/platform/db/pglite-prepared.server";
import type { JournaledStore, JournalRecord, PreparedExecutor } from "../../realtime/yjs/stores/journal";
import type { TestDatabase } from "../support/database";
import { TMP_DIR } from "../support/database";
import { inProcessDatabase, recordingLogger } from "../support/yjs-harness";

type Prisma = typeof import("~/platform/db/db.server").prisma;
type JournalModule = typeof import("../../realtime/yjs/stores/journal");

let database: TestDatabase;
let prisma: Prisma;
let journal: JournalModule;
let db: PreparedExecutor;
const dirs: string[] = [];
const stores: JournaledStore[] = [];
const { logged, logger } = recordingLogger();
const infos: string[] = [];
const log = { ...logger, info: (message: string) => void infos.push(message) };

beforeAll(async () => {
  ({ database, prisma } = await inProcessDatabase());
  journal = await import("../../realtime/yjs/stores/journal");
  const { sharedEmbeddedDatabase } = await import("~/platform/db/adapters.server");
  db = sharedEmbeddedDatabase();
  // Prisma's first query loads its query compiler: paid here, not inside the first test's time limit.
  await prisma.collabUpdate.findMany({ take: 1, select: { seq: true } });
}, 180_000);

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  logged.length = 0;
  infos.length = 0;
});

afterAll(async () => {
  const { disconnectDatabase } = await import("~/platform/db/db.server");
  await disconnectDatabase();
  await database.dispose();
});

/* ------------------------------------------------------------------------------------------------ helpers */

let counter = 0;
const freshName = () => `grid:journal${Date.now().toString(36)}:${++counter}`;

function journalDir(): string {
  const dir = mkdtempSync(path.join(TMP_DIR, "journal-"));
  dirs.push(dir);
  return dir;
}

async function open(dir: string, executor: PreparedExecutor = db, ingestDelayMs = 10): Promise<JournaledStore> {
  const store = await journal.openJournaledStore({ dir, db: executor, logger: log, ingestDelayMs });
  stores.push(store);
  return store;
}

/** A database whose writes of journaled rows can be held (never answered) or made to fail. */
function controllable() {
  const state = { hold: false, failures: 0 };
  const executor: PreparedExecutor = {
    executePrepared(steps: PreparedStep[]) {
      const writesRows = steps.some(({ statement }) => statement.name === "quorum_collab_journaled_rows");
      if (writesRows && state.hold) return new Promise(() => {});
      if (writesRows && state.failures > 0) {
        state.failures--;
        return Promise.reject(new Error("base indisponible"));
      }
      return db.executePrepared(steps);
    },
  };
  return { state, executor };
}

/** Successive Yjs updates of one writer, one per text. */
function writer() {
  const doc = new Y.Doc();
  return (text: string): Uint8Array => {
    let captured: Uint8Array | null = null;
    const capture = (update: Uint8Array) => (captured = update);
    doc.on("update", capture);
    doc.getText("t").insert(doc.getText("t").length, text);
    doc.off("update", capture);
    return captured!;
  };
}

const rowsOf = (name: string) =>
  prisma.collabUpdate.findMany({ where: { docName: name }, orderBy: { seq: "asc" }, select: { seq: true, update: true, userId: true } });

async function storedText(store: JournaledStore, name: string): Promise<string> {
  const stored = await store.load(name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const { update } of stored.updates) Y.applyUpdate(doc, update);
  return doc.getText("t").toString();
}

const journalFiles = (dir: string) => readdirSync(dir).filter((file) => file.endsWith(".log"));

/* ------------------------------------------------------------------------------------------------ tests */

describe("journal records", () => {
  const records: JournalRecord[] = [
    { seq: 41n, docName: "grid:é-1", update: Uint8Array.from([1, 2, 3]), userId: "alice" },
    { seq: 42n, docName: "grid:é-1", update: Uint8Array.from([4]), userId: null },
    { seq: 9_007_199_254_740_993n, docName: "grid:2", update: new Uint8Array(0), userId: "bob" },
  ];

  it("round-trips, and reading stops at a record a crash cut short or corrupted", () => {
    const data = journal.encodeRecords(records);
    expect(journal.decodeRecords(data)).toEqual({ records, ignoredBytes: 0 });

    const cut = journal.decodeRecords(data.subarray(0, data.byteLength - 1));
    expect(cut.records).toEqual(records.slice(0, 2));
    expect(cut.ignoredBytes).toBeGreaterThan(0);

    const corrupted = Buffer.from(data);
    const second = journal.encodeRecords(records.slice(0, 1)).byteLength + 8 + 3; // a byte inside record 2's payload
    corrupted[second] ^= 0xff;
    expect(journal.decodeRecords(corrupted).records).toEqual(records.slice(0, 1));
  });
});

describe("journaled store", () => {
  it("makes an edit durable once append resolves: a crash before the ingestion loses nothing", async () => {
    const dir = journalDir();
    const { state, executor } = controllable();
    const crashed = await open(dir, executor);
    stores.pop(); // the crashed process never closes its store
    const name = freshName();
    await crashed.load(name);
    state.hold = true; // the database never gets the rows: the process dies first
    const edit = writer();
    const first = await crashed.append(name, [{ update: edit("Vote "), userId: "alice" }]);
    const last = await crashed.append(name, [
      { update: edit("à main "), userId: "bob" },
      { update: edit("levée"), userId: null },
    ]);
    expect(last - first).toBe(2n);
    expect(await rowsOf(name)).toEqual([]);
    expect(journalFiles(dir).length).toBeGreaterThan(0);

    const restarted = await open(dir); // the restart replays the journal before anything reads the log
    const rows = await rowsOf(name);
    expect(rows.map((row) => [row.seq, row.userId])).toEqual([
      [first, "alice"],
      [first + 1n, "bob"],
      [last, null],
    ]);
    expect(await storedText(restarted, name)).toBe("Vote à main levée");
    expect(journalFiles(dir)).toEqual([]);
    expect(infos.join("\n")).toMatch(/journal rejoué : 3 mise\(s\) à jour relue\(s\), 3 ajoutée\(s\)/);

    // New seqs come after every stored row, whatever the crashed process had reserved.
    const next = await restarted.append(name, [{ update: edit("."), userId: "alice" }]);
    expect(next).toBeGreaterThan(last);
    await restarted.drain();
    expect(await storedText(restarted, name)).toBe("Vote à main levée.");
  });

  it("replays each row once, and skips rows folded into a snapshot or of a deleted document", async () => {
    const dir = journalDir();
    const store = await open(dir);
    const kept = freshName();
    const folded = freshName();
    await store.load(kept);
    await store.load(folded);
    const edit = writer();
    const stored = await store.append(kept, [{ update: edit("a"), userId: "alice" }]);
    await store.close();
    expect(await rowsOf(kept)).toHaveLength(1);
    await prisma.collabDocument.update({ where: { name: folded }, data: { snapshotSeq: stored + 10n } });

    // What a process killed between its ingestion's commit and the deletion of the file leaves, and more.
    writeFileSync(
      path.join(dir, "000000000007.log"),
      journal.encodeRecords([
        { seq: stored, docName: kept, update: (await rowsOf(kept))[0].update, userId: "alice" }, // already stored
        { seq: stored + 1n, docName: kept, update: edit("b"), userId: "bob" },
        { seq: stored + 2n, docName: folded, update: edit("c"), userId: "bob" }, // folded (snapshotSeq above)
        { seq: stored + 3n, docName: `${kept}:supprimé`, update: edit("d"), userId: "bob" }, // no such document
      ]),
    );
    const restarted = await open(dir);
    expect((await rowsOf(kept)).map((row) => [row.seq, row.userId])).toEqual([
      [stored, "alice"],
      [stored + 1n, "bob"],
    ]);
    expect(await rowsOf(folded)).toEqual([]);
    expect(await prisma.collabDocument.count({ where: { name: `${kept}:supprimé` } })).toBe(0);
    expect(await storedText(restarted, kept)).toBe("ab");
    expect(infos.join("\n")).toMatch(/4 mise\(s\) à jour relue\(s\), 1 ajoutée\(s\)/);
    expect(journalFiles(dir)).toEqual([]);
  });

  it("ignores the interrupted end of a journal file and keeps what came before and after it", async () => {
    const dir = journalDir();
    const store = await open(dir);
    const name = freshName();
    await store.load(name);
    const base = await store.append(name, [{ update: writer()("x"), userId: "alice" }]);
    await store.close();
    await prisma.collabUpdate.deleteMany({ where: { docName: name } });
    const edit = writer();
    const one = journal.encodeRecords([{ seq: base + 1n, docName: name, update: edit("Avis "), userId: "alice" }]);
    const two = journal.encodeRecords([{ seq: base + 2n, docName: name, update: edit("favorable"), userId: "alice" }]);
    // A write cut short by a failure ends file 1; the next write went to file 2.
    writeFileSync(path.join(dir, "000000000001.log"), Buffer.concat([one, two.subarray(0, 5)]));
    writeFileSync(path.join(dir, "000000000002.log"), two);
    const restarted = await open(dir);
    expect((await rowsOf(name)).map((row) => row.seq)).toEqual([base + 1n, base + 2n]);
    expect(await storedText(restarted, name)).toBe("Avis favorable");
    expect(logged).toEqual([{ level: "warn", message: expect.stringMatching(/000000000001\.log : 5 octet\(s\) d'écriture interrompue ignorés/) }]);
  });

  it("loads a document with the edits still on their way to the database", async () => {
    const store = await open(journalDir(), db, 60_000); // the ingestion would wait a minute: the load must not
    const name = freshName();
    await store.load(name);
    const edit = writer();
    await store.append(name, [{ update: edit("Admis"), userId: "alice" }]);
    expect(await storedText(store, name)).toBe("Admis");
    expect(await rowsOf(name)).toHaveLength(1);
  });

  it("stores one row per document and ingestion, under its last seq, and a replay over it changes nothing", async () => {
    const dir = journalDir();
    const store = await open(dir, db, 60_000); // every append below waits for the same ingestion
    stores.pop(); // closed by hand below, as a crash would leave it
    const grid = freshName();
    const minutes = freshName();
    await store.load(grid);
    await store.load(minutes);
    const gridEdit = writer();
    const minutesEdit = writer();
    const first = await store.append(grid, [{ update: gridEdit("Compétence 1 acquise. "), userId: "alice" }]);
    await store.append(minutes, [{ update: minutesEdit("Séance ouverte "), userId: "carol" }]);
    await store.append(grid, [{ update: gridEdit("Compétence 2 "), userId: "bob" }]);
    const last = await store.append(grid, [{ update: gridEdit("à revoir."), userId: "alice" }]);
    const minutesLast = await store.append(minutes, [{ update: minutesEdit("à 9 h."), userId: "carol" }]);
    const journaled = readdirSync(dir).map((file) => [file, readFileSync(path.join(dir, file))] as const);
    await store.drain();

    // Two writers: the row names none; one writer: the row names them.
    expect((await rowsOf(grid)).map((row) => [row.seq, row.userId])).toEqual([[last, null]]);
    expect((await rowsOf(minutes)).map((row) => [row.seq, row.userId])).toEqual([[minutesLast, "carol"]]);
    expect(await storedText(store, grid)).toBe("Compétence 1 acquise. Compétence 2 à revoir.");
    expect(await storedText(store, minutes)).toBe("Séance ouverte à 9 h.");

    // A crash between the ingestion's commit and the deletion of its file: the restart replays each update under
    // its own seq (the merged row's seq skipped), and the documents read the same.
    for (const [file, data] of journaled) writeFileSync(path.join(dir, file), data);
    const restarted = await open(dir);
    expect((await rowsOf(grid)).map((row) => row.seq)).toEqual([first, first + 2n, last]);
    expect(await storedText(restarted, grid)).toBe("Compétence 1 acquise. Compétence 2 à revoir.");
    expect(await storedText(restarted, minutes)).toBe("Séance ouverte à 9 h.");
  });

  it("folds the rows journaled before a compaction and keeps the later ones", async () => {
    const store = await open(journalDir());
    const name = freshName();
    await store.load(name);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (update: Uint8Array) => updates.push(update));
    doc.getText("t").insert(0, "Bloc 1 ");
    doc.getText("t").insert(7, "acquis");
    await store.append(name, [{ update: updates[0], userId: "alice" }]);
    const upTo = await store.append(name, [{ update: updates[1], userId: "bob" }]);
    await store.compact(name, Y.encodeStateAsUpdate(doc), upTo);
    doc.getText("t").insert(13, ", bloc 2 à revoir");
    const later = await store.append(name, [{ update: updates[2], userId: "alice" }]);
    await store.drain();

    const row = await prisma.collabDocument.findUniqueOrThrow({ where: { name } });
    expect(row.snapshotSeq).toBe(upTo);
    expect((await rowsOf(name)).map((r) => r.seq)).toEqual([later]);
    expect(await storedText(store, name)).toBe("Bloc 1 acquis, bloc 2 à revoir");
  });

  it("keeps the rows through a database failure, tells waiting readers, and stores them once it answers", async () => {
    const dir = journalDir();
    const { state, executor } = controllable();
    const store = await open(dir, executor);
    const name = freshName();
    await store.load(name);
    state.failures = 1;
    await store.append(name, [{ update: writer()("Ajourné"), userId: "alice" }]);
    await expect(store.drain()).rejects.toThrow("base indisponible");
    expect(logged).toEqual([{ level: "error", message: expect.stringMatching(/1 mise\(s\) à jour non reportée\(s\) en base/) }]);
    expect(journalFiles(dir)).toHaveLength(1); // still journaled
    await store.drain(); // the retry
    expect(await rowsOf(name)).toHaveLength(1);
    expect(journalFiles(dir)).toEqual([]);
  });

  it("stores everything on close, then refuses appends", async () => {
    const dir = journalDir();
    const store = await open(dir, db, 60_000);
    const name = freshName();
    await store.load(name);
    await store.append(name, [{ update: writer()("Fin de séance"), userId: "alice" }]);
    await store.close();
    expect(await rowsOf(name)).toHaveLength(1);
    expect(journalFiles(dir)).toEqual([]);
    await expect(store.append(name, [{ update: writer()("x"), userId: "alice" }])).rejects.toThrow("journal fermé");
  });

  it("keeps in the journal what it could not store at shutdown, for the next start", async () => {
    const dir = journalDir();
    const { state, executor } = controllable();
    const store = await open(dir, executor, 60_000);
    const name = freshName();
    await store.load(name);
    state.failures = Number.POSITIVE_INFINITY; // the database is gone for good
    await store.append(name, [{ update: writer()("Délibération"), userId: "alice" }]);
    await store.close(); // resolves: the shutdown goes on
    expect(logged).toEqual([{ level: "error", message: expect.stringMatching(/gardées pour le prochain démarrage/) }]);
    expect(await rowsOf(name)).toEqual([]);
    expect(journalFiles(dir)).toHaveLength(1);

    const restarted = await open(dir);
    expect(await storedText(restarted, name)).toBe("Délibération");
    expect(journalFiles(dir)).toEqual([]);
  });

  it("writes each append to the journal file before it resolves", async () => {
    const dir = journalDir();
    const { state, executor } = controllable();
    const store = await open(dir, executor);
    stores.pop();
    const name = freshName();
    await store.load(name);
    state.hold = true;
    const update = writer()("Signé");
    const seq = await store.append(name, [{ update, userId: "alice" }]);
    const [file] = journalFiles(dir);
    expect(journal.decodeRecords(readFileSync(path.join(dir, file))).records).toEqual([
      { seq, docName: name, update, userId: "alice" },
    ]);
  });
});
