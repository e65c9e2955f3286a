/**
 * Bytes columns through the database's driver adapter (app/platform/db/bytes-columns.ts): a `bytea` reaches Prisma as
 * its bytes, not as an array of one number per byte (that array cost ~150 ms of the event loop for a session's ZIP of
 * 30 grids), exactly, every byte value, outside and inside a transaction. On the tier's database (PGlite or PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "~/platform/db/generated/client";
import { createAdapterFactory } from "~/platform/db/adapters.server";
import { PGliteAdapterFactory, closeEmbeddedDatabase } from "~/platform/db/pglite.server";
import { prepareDatabase, type TestDatabase } from "../support/database";

describe("bytes columns", () => {
  let database: TestDatabase;
  let adapter: SqlDriverAdapter;
  let prisma: PrismaClient;
  const every = Buffer.from(Array.from({ length: 256 * 40 }, (_, i) => (i * 7) % 256));

  beforeAll(async () => {
    database = await prepareDatabase();
    const factory = () => {
      if (database.kind === "pglite") return new PGliteAdapterFactory(() => database.location);
      const previous = process.env.DATABASE_URL;
      process.env.DATABASE_URL = database.env.DATABASE_URL;
      try {
        return createAdapterFactory();
      } finally {
        if (previous === undefined) delete process.env.DATABASE_URL;
        else process.env.DATABASE_URL = previous;
      }
    };
    adapter = await factory().connect();
    prisma = new PrismaClient({ adapter: factory() });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await adapter?.dispose();
    await closeEmbeddedDatabase();
    await database?.dispose();
  });

  it("the adapter gives a bytea as a Uint8Array of its bytes, outside and inside a transaction", async () => {
    const query = { sql: "SELECT decode('00ff10', 'hex') AS b, NULL::bytea AS n", args: [], argTypes: [] };
    const outside = await adapter.queryRaw(query);
    expect(outside.rows[0][0]).toBeInstanceOf(Uint8Array);
    expect([...(outside.rows[0][0] as Uint8Array)]).toEqual([0, 255, 16]);
    expect(outside.rows[0][1]).toBeNull();
    const tx = await adapter.startTransaction();
    try {
      const inside = await tx.queryRaw(query);
      expect(inside.rows[0][0]).toBeInstanceOf(Uint8Array);
      expect([...(inside.rows[0][0] as Uint8Array)]).toEqual([0, 255, 16]);
    } finally {
      await tx.rollback();
    }
  });

  it("Prisma writes and reads every byte value back exactly", async () => {
    await prisma.collabDocument.create({ data: { name: "bytes-columns-test", snapshot: every } });
    const read = await prisma.collabDocument.findUniqueOrThrow({ where: { name: "bytes-columns-test" }, select: { snapshot: true } });
    expect(Buffer.from(read.snapshot!).equals(every)).toBe(true);
    const inTransaction = await prisma.$transaction((tx) =>
      tx.collabDocument.findUniqueOrThrow({ where: { name: "bytes-columns-test" }, select: { snapshot: true } }),
    );
    expect(Buffer.from(inTransaction.snapshot!).equals(every)).toBe(true);
  });
});
