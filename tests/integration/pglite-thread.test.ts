/**
 * The server's embedded database in a worker thread (app/db/pglite-thread.server.ts): Prisma works through it as
 * it does in-thread — results, Prisma's error codes, interactive transactions and their rollback — and the raw
 * hot path (query, all-or-nothing statement lists) too. Runs on a copy of the migrated template PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma, PrismaClient } from "~/db/generated/client";
import { type EmbeddedDatabase, PGliteAdapterFactory, registerEmbeddedDatabase, closeEmbeddedDatabase } from "~/db/pglite.server";
import { startPGliteThread } from "~/db/pglite-thread.server";
import { prepareDatabase, type TestDatabase } from "../support/database";

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
    const { rows } = await db.query<{ n: number }>("SELECT $1::int + 1 AS n", [41]);
    expect(rows).toEqual([{ n: 42 }]);

    const bad = db.transaction([
      { sql: `UPDATE "Organisation" SET "name" = $1 WHERE "slug" = $2`, params: ["Modifiée", "tx-commit"] },
      { sql: `SELECT * FROM "NoSuchTable"` },
    ]);
    await expect(bad).rejects.toThrow(/NoSuchTable/i);
    const kept = await prisma.organisation.findUniqueOrThrow({ where: { slug: "tx-commit" } });
    expect(kept.name).toBe("Commit");
  });

  it("refuses requests once closed, with a clear message", async () => {
    await prisma.$disconnect();
    await closeEmbeddedDatabase();
    expect(db.closed).toBe(true);
    await expect(db.query("SELECT 1")).rejects.toThrow("base embarquée fermée");
  });
});
