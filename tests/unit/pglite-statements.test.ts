/**
 * Prisma's statements on PGlite as named prepared statements (app/platform/db/pglite-statements.server.ts): the
 * adapter gets exactly what PGlite's own query() returns, for every column type Quorum stores, in and out of
 * transactions, and each SQL text is prepared once.
 */
import { PGlite, types } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preparedStatementsClient, preparePlanCache } from "~/platform/db/pglite-statements.server";

const db = new PGlite();
const client = preparedStatementsClient(db, 3);
/** As pglite-prisma-adapter asks: rows as arrays, some types left as text for Prisma to convert. */
const adapterOptions = {
  rowMode: "array" as const,
  parsers: { [types.NUMERIC]: (x: string) => x, [types.TIMESTAMP]: (x: string) => x, [types.JSONB]: (x: string) => x },
};

const preparedNames = async () =>
  (await db.query<{ name: string }>("SELECT name FROM pg_prepared_statements ORDER BY prepare_time, name")).rows.map((r) => r.name);

beforeAll(async () => {
  await db.waitReady;
  await preparePlanCache(db);
  await db.exec(`
    CREATE TABLE item (
      id text PRIMARY KEY, n integer, big bigint, amount numeric(10,2), ok boolean, at timestamp(3),
      doc jsonb, bytes bytea, tags text[]
    );
    INSERT INTO item VALUES
      ('a', 1, 9007199254740993, 12.50, true, '2026-12-03 09:30:00.123', '{"k":[1,"é"]}', '\\x00ff10', '{x,y}'),
      ('b', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
  `);
});
afterAll(() => db.close());

describe("prepared statements for Prisma on PGlite", () => {
  const read = 'SELECT id, n, big, amount, ok, at, doc, bytes, tags FROM item WHERE id = ANY($1) AND (n IS NULL OR n >= $2) ORDER BY id';

  it("answers as query() does, every column type and nulls included, the first time and from the prepared statement", async () => {
    const expected = await db.query(read, [["a", "b"], 0], adapterOptions);
    for (let call = 0; call < 3; call++) {
      const got = await client.query(read, [["a", "b"], 0], adapterOptions);
      expect(got.rows).toEqual(expected.rows);
      expect(got.fields).toEqual(expected.fields);
    }
    expect((await client.query(read, [["a"], 5], adapterOptions)).rows).toEqual([]); // other values, same statement
  });

  it("prepares each SQL text once and closes the least recently used beyond its limit", async () => {
    await client.query("SELECT 1 AS one");
    await client.query("SELECT 1 AS one");
    const afterOne = await preparedNames();
    expect(afterOne).toHaveLength(2); // `read` (three calls above) and this one (two calls): one statement each
    await client.query("SELECT 2 AS two");
    await client.query("SELECT 3 AS three"); // a fourth text with `read`: the limit is 3
    const names = await preparedNames();
    expect(names).toHaveLength(3);
    expect(names).not.toContain(afterOne[0]); // `read`, the least recently used, was closed
    expect((await client.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });

  it("reports affected rows and database errors (code, detail) as query() does", async () => {
    const insert = "INSERT INTO item (id, n) VALUES ($1, $2)";
    expect((await client.query(insert, ["c", 3])).affectedRows).toBe(1);
    const error = await client.query(insert, ["c", 4]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "23505", detail: expect.stringContaining("(id)=(c)") });
    expect((await client.query("DELETE FROM item WHERE id = $1", ["c"])).affectedRows).toBe(1);
  });

  it("runs inside a transaction: its writes roll back with it, the prepared statement stays", async () => {
    const update = "UPDATE item SET n = $1 WHERE id = $2";
    await client
      .transaction(async (tx) => {
        await tx.query(update, [42, "a"]);
        expect((await tx.query<{ n: number }>("SELECT n FROM item WHERE id = $1", ["a"])).rows).toEqual([{ n: 42 }]);
        throw new Error("abandon");
      })
      .catch(() => undefined);
    expect((await client.query<{ n: number }>("SELECT n FROM item WHERE id = $1", ["a"])).rows).toEqual([{ n: 1 }]);
    await client.transaction(async (tx) => {
      await tx.query(update, [7, "a"]);
    });
    expect((await client.query<{ n: number }>("SELECT n FROM item WHERE id = $1", ["a"])).rows).toEqual([{ n: 7 }]);
  });

  it("prepares a statement again once its table's columns changed under it", async () => {
    const all = "SELECT * FROM item WHERE id = $1";
    expect(await client.query(all, ["b"])).toMatchObject({ rows: [expect.objectContaining({ id: "b" })] });
    await db.exec("ALTER TABLE item ADD COLUMN note text DEFAULT 'neuf'");
    const first = await client.query(all, ["b"]).then(
      (r) => r,
      (e: { code?: string }) => e,
    );
    // PostgreSQL refuses the old plan once (0A000) or replans it; either way the next call sees the new column.
    if ("code" in first) expect(first.code).toBe("0A000");
    expect((await client.query<{ note: string }>(all, ["b"])).rows[0]?.note).toBe("neuf");
  });
});
