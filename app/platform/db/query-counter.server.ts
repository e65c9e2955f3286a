/**
 * Benchmark instrumentation, off unless QUORUM_BENCH_STATS=1 (`npm run bench:pages` sets it): counts the SQL
 * statements Prisma sends through the driver adapter (queries, transaction statements included; BEGIN/COMMIT not).
 * The count lives on globalThis because the server entry and the Remix build each load this module. Each request's own
 * statements are counted too (its request scope's `statements`), and server.ts sends them in the response's
 * `X-Quorum-Statements` header: the render jobs' polls, running meanwhile, are not a page's.
 */
import type { ServerResponse } from "node:http";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import { currentRequestScope } from "~/platform/http/request-scope.server";

const key = Symbol.for("quorum.queryCount");
const store = globalThis as unknown as { [key]?: { count: number } };
const counter = (store[key] ??= { count: 0 });

export const benchStatsEnabled = () => process.env.QUORUM_BENCH_STATS === "1";

/** SQL statements sent since the process started (0 when counting is off). */
export function queryCount(): number {
  return counter.count;
}

function countQueries<T extends SqlDriverAdapter | Transaction>(target: T): T {
  const queryRaw = target.queryRaw.bind(target);
  const executeRaw = target.executeRaw.bind(target);
  target.queryRaw = async (query) => {
    counter.count++;
    const own = currentRequestScope()?.statements;
    if (own) own.count++;
    if (process.env.QUORUM_BENCH_SQL !== "1") return queryRaw(query);
    const started = performance.now();
    const result = await queryRaw(query);
    const ms = (performance.now() - started).toFixed(2);
    const bytes = JSON.stringify(result.rows, (_k, v) => (typeof v === "bigint" ? String(v) : v))?.length ?? 0;
    const sql = process.env.QUORUM_BENCH_SQL_FULL === "1" ? `${query.sql} -- args ${JSON.stringify(query.args)}` : query.sql.slice(0, 160);
    console.log(`[sql] ${ms} ms, ${result.rows.length} rows, ${bytes} bytes: ${sql}`);
    return result;
  };
  target.executeRaw = (query) => {
    counter.count++;
    const own = currentRequestScope()?.statements;
    if (own) own.count++;
    if (process.env.QUORUM_BENCH_SQL === "1") console.log(`[sql] ${query.sql.slice(0, 160)}`);
    return executeRaw(query);
  };
  return target;
}

/** The factory itself, or (QUORUM_BENCH_STATS=1) the same factory whose adapters count their statements. */
export function withQueryCounter(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  if (!benchStatsEnabled()) return factory;
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = countQueries(await connect());
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => countQueries(await startTransaction(isolationLevel));
    return adapter;
  };
  return factory;
}

/**
 * A request's own statement counter (its request scope's `statements`), sent in the response's `X-Quorum-Statements`
 * header as the headers go out: a page's loaders have run by then (tests/integration/crawl.test.ts reads it).
 */
export function sendStatementCount(res: ServerResponse): { count: number } {
  const statements = { count: 0 };
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) this.setHeader("X-Quorum-Statements", String(statements.count));
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
  return statements;
}
