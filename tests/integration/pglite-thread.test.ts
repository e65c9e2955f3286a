/**
 * The server's embedded database in a worker thread (app/platform/db/pglite-thread.server.ts): Prisma works through it as
 * it does in-thread — results, Prisma's error codes, interactive transactions and their rollback — and the raw
 * hot path (prepared statements, all-or-nothing step lists) too. Runs on a copy of the migrated template PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma, PrismaClient } from "~/platform/db/generated/client";
import { type EmbeddedDatabase, PGliteAdapterFactory, registerEmbeddedDatabase, closeEmbeddedDatabase } from "~/platform/db/pglite.server";
import { startPGliteThread } from "~/platform/db/pglite-thread.server";
import { prepareDatabase, type TestDatabase } from "../support/database";
import { ownThreadId, threadNices } from "../support/threads";

describe("PGlite in a worker thread (also in the PostgreSQL tier: it tests the embedded database itself)", () => {
  let database: TestDatabase;
  let db: EmbeddedDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await prepareDatabase({ embedded: true });
    db = await startPGliteThread(database.location);
    registerEmbeddedDatabase(database.location, db);
    prisma = new PrismaClient({ adapter: new PGliteAdapterFactory(() => database.location) });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await closeEmbeddedDatabase();
    await database?.dispose();
  });

  it("runs behind the event loop for the CPU: its thread is niced, the calling thread is not", async () => {
    await db.executePrepared([{ statement: { name: "test_ping", sql: "SELECT 1" }, params: [] }]);
    const nices = threadNices();
    expect([...nices.values()].filter((nice) => nice === 10)).toHaveLength(1); // the database thread alone
    expect(nices.get(ownThreadId())).toBe(0);
  });

  it("runs Prisma queries and reports a unique violation as P2002", async () => {
    const created = await prisma.organisation.create({
      data: { slug: "thread-test", name: "Branche test", legalName: "Branche test SAS" },
    });
    const found = await prisma.organisation.findUniqueOrThrow({ where: { slug: "thread-test" } });
    expect(found).toMatchObject({ id: created.id, name: "Branche test" });
    expect(found.createdAt).toBeInstanceOf(Date);

    const duplicate = prisma.organisation.create({ data: { slug: "thread-test", name: "Autre", legalName: "Autre" } });
    await expect(duplicate).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    await expect(duplicate).rejects.toMatchObject({ code: "P2002" });
  });

  it("commits an interactive transaction, and rolls one back entirely when it throws", async () => {
    await prisma.$transaction(async (tx) => {
      await tx.organisation.create({ data: { slug: "tx-commit", name: "Commit", legalName: "Commit" } });
    });
    const failing = prisma.$transaction(async (tx) => {
      await tx.organisation.create({ data: { slug: "tx-rollback", name: "Rollback", legalName: "Rollback" } });
      throw new Error("refusé");
    });
    await expect(failing).rejects.toThrow("refusé");
    const slugs = (await prisma.organisation.findMany({ where: { slug: { startsWith: "tx-" } } })).map((o) => o.slug);
    expect(slugs).toEqual(["tx-commit"]);
  });

  it("runs raw statements, and a statement list all or nothing", async () => {
    const add = { name: "test_add", sql: "SELECT $1::int + 1 AS n" };
    expect(await db.executePrepared([{ statement: add, params: [41] }])).toEqual([["42"]]);

    const rename = { name: "test_rename", sql: `UPDATE "Organisation" SET "name" = $1 WHERE "slug" = $2` };
    const bad = db.executePrepared([
      { statement: rename, params: ["Modifiée", "tx-commit"] },
      { statement: { name: "test_missing", sql: `SELECT * FROM "NoSuchTable"` }, params: [] },
    ]);
    await expect(bad).rejects.toThrow(/NoSuchTable/i);
    const kept = await prisma.organisation.findUniqueOrThrow({ where: { slug: "tx-commit" } });
    expect(kept.name).toBe("Commit");
  });

  describe("the prepared append of the Yjs log (executePrepared)", () => {
    const append = {
      name: "test_append",
      sql: `INSERT INTO "CollabUpdate" ("docName", "update", "userId") VALUES ($1, $2, $3) RETURNING "seq", "docName"`,
    };
    const appending = (...rows: [string, Uint8Array, string | null][]) =>
      rows.map((params) => ({ statement: append, params }));
    const storedUpdates = (docName: string) =>
      prisma.collabUpdate.findMany({ where: { docName }, orderBy: { seq: "asc" }, select: { update: true, userId: true } });

    beforeAll(async () => {
      await prisma.collabDocument.createMany({ data: [{ name: "doc:a" }, { name: "doc:b" }] });
    });

    it("writes every row in order, bytes intact, and returns each row's seq", async () => {
      const bytes = Uint8Array.from([0, 1, 2, 255, 0, 92, 39]); // NUL, backslash and quote travel as binary
      const first = await db.executePrepared(appending(["doc:a", bytes, "user-1"]));
      const next = await db.executePrepared(
        appending(["doc:a", Uint8Array.from([7]), null], ["doc:b", Uint8Array.from([8]), "user-2"]),
      );
      expect(first).toEqual([[expect.stringMatching(/^\d+$/), "doc:a"]]);
      expect(next.map(([, docName]) => docName)).toEqual(["doc:a", "doc:b"]);
      const seqs = [...first, ...next].map(([seq]) => BigInt(seq ?? -1));
      expect(seqs).toEqual([...seqs].sort((x, y) => (x < y ? -1 : 1)));
      expect(await storedUpdates("doc:a")).toEqual([
        { update: bytes, userId: "user-1" },
        { update: Uint8Array.from([7]), userId: null },
      ]);
    });

    it("writes nothing of a list when one row fails, and keeps working after", async () => {
      const failing = db.executePrepared(
        appending(["doc:b", Uint8Array.from([1]), null], ["doc:missing", Uint8Array.from([2]), null]),
      );
      await expect(failing).rejects.toMatchObject({ code: "23503" }); // foreign key: no such document
      expect(await storedUpdates("doc:b")).toEqual([{ update: Uint8Array.from([8]), userId: "user-2" }]);
      await db.executePrepared(appending(["doc:b", Uint8Array.from([3]), null]));
      expect((await storedUpdates("doc:b")).length).toBe(2);
    });

    it("waits for a Prisma transaction to end instead of landing in it (a rollback does not take it away)", async () => {
      let appended: Promise<unknown> | undefined;
      const rolledBack = prisma.$transaction(async (tx) => {
        await tx.organisation.create({ data: { slug: "tx-prepared", name: "Annulée", legalName: "Annulée" } });
        appended = db.executePrepared(appending(["doc:a", Uint8Array.from([42]), "pendant"]));
        await tx.organisation.findMany({ where: { slug: "tx-prepared" } }); // the append reached the thread first
        throw new Error("annulée");
      });
      await expect(rolledBack).rejects.toThrow("annulée");
      await appended;
      expect(await prisma.organisation.findUnique({ where: { slug: "tx-prepared" } })).toBeNull();
      expect((await storedUpdates("doc:a")).at(-1)).toEqual({ update: Uint8Array.from([42]), userId: "pendant" });
    });

    it("runs different statements as one transaction: a failing step undoes the steps before it", async () => {
      const snapshot = {
        name: "test_snapshot",
        sql: `UPDATE "CollabDocument" SET "snapshot" = $1, "snapshotSeq" = $2 WHERE "name" = $3`,
      };
      const fold = { name: "test_fold", sql: `DELETE FROM "CollabUpdate" WHERE "docName" = $1 AND "seq" <= $2` };
      const big = Uint8Array.from({ length: 40_000 }, (_, i) => (i * 31) % 256); // a compaction-sized snapshot
      const failing = db.executePrepared([
        { statement: snapshot, params: [big, "1", "doc:b"] },
        { statement: fold, params: ["doc:b", "pas un nombre"] },
      ]);
      await expect(failing).rejects.toMatchObject({ code: "22P02" }); // invalid input syntax for bigint
      const row = () => prisma.collabDocument.findUniqueOrThrow({ where: { name: "doc:b" }, select: { snapshot: true } });
      expect((await row()).snapshot).toBeNull();

      const [last] = await db.executePrepared(appending(["doc:b", Uint8Array.from([9]), null]));
      await db.executePrepared([
        { statement: snapshot, params: [big, last[0], "doc:b"] },
        { statement: fold, params: ["doc:b", last[0]] },
      ]);
      expect((await row()).snapshot).toEqual(big);
      expect(await storedUpdates("doc:b")).toEqual([]);
    });

    it("refuses to reuse a statement name for another text", async () => {
      const renamed = db.executePrepared([{ statement: { ...append, sql: "SELECT 1" }, params: [] }]);
      await expect(renamed).rejects.toThrow(/déjà définie/);
    });
  });

  it("refuses requests once closed, with a clear message", async () => {
    await prisma.$disconnect();
    await closeEmbeddedDatabase();
    expect(db.closed).toBe(true);
    const select = { statement: { name: "test_one", sql: "SELECT 1" }, params: [] };
    await expect(db.executePrepared([select])).rejects.toThrow("base embarquée fermée");
  });
});

