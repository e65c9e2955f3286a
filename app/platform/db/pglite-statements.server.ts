/**
 * Prisma's statements on PGlite as named prepared statements with cached plans.
 *
 * `PGlite.query()` sends every statement unnamed: PostgreSQL parses, analyses and plans it again at each call, in
 * six separate calls into the WASM module. Prisma's relation joins (one statement with nested LATERAL subqueries and
 * JSON aggregation per page read) make the planning the larger part: for the demo jury room's ten statements,
 * 66–78 ms through `query()` against 8 ms as prepared statements with a generic plan (measured on this machine, the
 * same statements and arguments, docs/decisions/0016-pglite-prepared-statements.md). On the server this is the PGlite
 * thread's time per page, so the throughput of every page on the embedded database.
 *
 * Here each distinct SQL text is parsed once under its own name (Parse + Describe + Sync, which also gives the
 * parameters' types); every call is then ONE message batch: Bind (the values serialised by PGlite's own serializers,
 * as `query()` does) + Describe + Execute + Sync, and the reply is parsed by PGlite's own `parseResults` — the adapter
 * gets exactly what `query()` returns. The session plans them generically (`plan_cache_mode = force_generic_plan`,
 * set by `preparePlanCache`): the statements are key lookups on small tables, where a custom plan per call buys
 * nothing.
 *
 * At most MAX_STATEMENTS names are kept (Prisma writes one text per list length of an `IN`), least recently used
 * closed first. Prepared statements are not transactional (a rollback does not drop one), and PostgreSQL replans one
 * whose tables changed; one whose result columns changed (a migration run while the server runs) fails once with
 * 0A000 and is prepared again on the next call.
 *
 * Locks: the same as `query()` — the transaction mutex outside a transaction (a statement never lands inside one that
 * Prisma holds open), the query mutex always.
 */
import { parse, protocol, type PGlite, type QueryOptions, type Results, type Transaction } from "@electric-sql/pglite";
import { withBytesAsBuffers } from "./bytes-columns";

const { serialize } = protocol;

export const MAX_STATEMENTS = 500;

/** What the Prisma adapter calls on its PGlite client (pglite-prisma-adapter: query, exec, transaction). */
export type PGliteClient = Pick<PGlite, "query" | "exec" | "transaction" | "waitReady">;

type Statement = { name: string; paramTypes: number[] };

const clients = new WeakMap<PGlite, PGliteClient>();

type Parsers = Parameters<typeof parse.parseResults>[1];
const merged = new WeakMap<PGlite, WeakMap<Parsers, Parsers>>();

/**
 * The adapter's parsers over the database's, made once per (database, parsers object): the adapter passes the same
 * object at every call. The database's are the prototype, not a copy: PGlite adds to them when it learns new array
 * types (`refreshArrayTypes`). The adapter's bytea parser makes an array of numbers of every byte: the bytes are kept
 * as bytes instead (./bytes-columns.ts).
 */
function mergedParsers(db: PGlite, own: Parsers): Parsers {
  let byOwn = merged.get(db);
  if (!byOwn) merged.set(db, (byOwn = new WeakMap()));
  let parsers = byOwn.get(own);
  if (!parsers) {
    parsers = Object.assign(Object.create(db.parsers) as Parsers, withBytesAsBuffers(own as Parameters<typeof withBytesAsBuffers>[0]));
    byOwn.set(own, parsers);
  }
  return parsers;
}
let nextClient = 1;

/** Makes this database session plan prepared statements generically (once per PGlite, before the first query). */
export async function preparePlanCache(db: PGlite): Promise<void> {
  await db.exec("SET plan_cache_mode = force_generic_plan");
}

/**
 * A client for the Prisma adapter over `db` whose `query` (also inside `transaction`) runs named prepared
 * statements. One per PGlite: the statements' names belong to its session.
 */
export function preparedStatementsClient(db: PGlite, maxStatements = MAX_STATEMENTS): PGliteClient {
  const known = clients.get(db);
  if (known) return known;
  const prefix = `prisma${nextClient++}_`;
  let nextName = 1;
  const statements = new Map<string, Statement>(); // in use order, least recent first

  async function batch(parts: Uint8Array[]) {
    return db.execProtocolStream(Buffer.concat(parts), { syncToFs: false });
  }

  async function statementFor(sql: string, options: QueryOptions | undefined): Promise<Statement> {
    const cached = statements.get(sql);
    if (cached) {
      statements.delete(sql);
      statements.set(sql, cached);
      return cached;
    }
    const name = `${prefix}${nextName++}`;
    const described = await batch([
      serialize.parse({ name, text: sql, types: options?.paramTypes }),
      serialize.describe({ type: "S", name }),
      serialize.sync(),
    ]);
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(described) };
    statements.set(sql, statement);
    if (statements.size > maxStatements) {
      const [oldest, dropped] = statements.entries().next().value as [string, Statement];
      statements.delete(oldest);
      await batch([serialize.close({ type: "S", name: dropped.name }), serialize.sync()]);
    }
    return statement;
  }

  async function run<T>(sql: string, params: unknown[] = [], options: QueryOptions | undefined, inTransaction: boolean) {
    return db._runExclusiveQuery(async () => {
      const statement = await statementFor(sql, options);
      const values = params.map((param, i) => {
        if (param === null || param === undefined) return null;
        const oid = statement.paramTypes[i]!;
        const serializer = options?.serializers?.[oid] ?? db.serializers[oid];
        return serializer ? serializer(param) : String(param);
      });
      let messages;
      try {
        messages = await batch([
          serialize.bind({ statement: statement.name, values: values as (string | Buffer | null)[] }),
          serialize.describe({ type: "P" }),
          serialize.execute({}),
          serialize.sync(),
        ]);
      } catch (error) {
        // "cached plan must not change result type": the table changed under the statement; prepare it again next time.
        if ((error as { code?: string }).code === "0A000" && statements.get(sql) === statement) {
          statements.delete(sql);
          await batch([serialize.close({ type: "S", name: statement.name }), serialize.sync()]);
        }
        throw error;
      }
      if (!inTransaction) await db.syncToFs();
      // Given `parsers`, PGlite's parseResults copies the database's 318 and them into a new object at every call
      // (~0.1 ms per statement, a fifth of the PGlite thread's time on the live room): they go as the database's.
      const { parsers: own, ...rest } = options ?? {};
      return parse.parseResults(messages, own ? mergedParsers(db, own as Parsers) : (db.parsers as Parsers), rest as QueryOptions)[0] as Results<T>;
    });
  }

  const client: PGliteClient = {
    get waitReady() {
      return db.waitReady;
    },
    async query<T>(sql: string, params?: unknown[], options?: QueryOptions) {
      await db.waitReady;
      return db._runExclusiveTransaction(() => run<T>(sql, params, options, false));
    },
    exec: (sql, options) => db.exec(sql, options),
    transaction: <T>(callback: (tx: Transaction) => Promise<T>) =>
      db.transaction((tx) => {
        const prepared: Transaction = Object.create(tx) as Transaction;
        prepared.query = async <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
          if (tx.closed) throw new Error("Transaction is closed");
          return run<R>(sql, params, options, true);
        };
        return callback(prepared);
      }),
  };
  clients.set(db, client);
  return client;
}
