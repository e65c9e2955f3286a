/**
 * The embedded database (no DATABASE_URL): PGlite in QUORUM_DATA_DIR (default ./data), one per process.
 *
 * Two ways to run it, one interface (`EmbeddedDatabase`):
 *  - in this thread (`inThreadDatabase`): the Prisma CLI, seed scripts, tests that use Prisma in-process;
 *  - in a worker thread (`./pglite-thread.server`): the server, so that PGlite's statements (WASM, ~0.5–3 ms each)
 *    and its garbage do not stall every room's websocket messages. The server registers it at boot with
 *    `registerEmbeddedDatabase`; the Prisma adapter and the Yjs hot path then reach PGlite through it.
 *
 * The pglite-prisma-adapter fixes (argument mapping, multi-statement scripts) live here and run where PGlite runs.
 */
import { PGlite } from "@electric-sql/pglite";
import {
  type ArgType,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { preparedStatementsClient, preparePlanCache } from "./pglite-statements.server";
import { type PreparedStep, executePrepared } from "./pglite-prepared.server";

/** What the app needs from the embedded database, wherever PGlite runs. */
export interface EmbeddedDatabase {
  readonly kind: "thread" | "worker";
  /**
   * Named statements, each parsed once, executed step by step in one transaction (all or nothing); their data rows
   * as text. For the Yjs log's append and compaction (see ./pglite-prepared.server).
   */
  executePrepared(steps: PreparedStep[]): Promise<(string | null)[][]>;
  /** A Prisma driver adapter over this database. */
  connectAdapter(): Promise<SqlDriverAdapter>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/**
 * PGlite on `dir`, as the server and the CLI open it. PostgreSQL's buffer pool lives in PGlite's WebAssembly memory
 * and is resident from the start: PGlite keeps PostgreSQL's default of 128 MB, which was 110 MiB of the server's RSS
 * for a database of a few MB. 16 MB (QUORUM_PGLITE_SHARED_BUFFERS) holds an organisation's working set; a page
 * missing from it is read again from the data directory through the OS page cache
 * (docs/decisions/0013-server-memory.md).
 */
export function openPGlite(dir: string): PGlite {
  const sharedBuffers = process.env.QUORUM_PGLITE_SHARED_BUFFERS?.trim() || "16MB";
  return new PGlite({ dataDir: dir, startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${sharedBuffers}`] });
}

const registryKey = Symbol.for("quorum.embedded-database");
const globalStore = globalThis as unknown as { [registryKey]?: { dir: string; db: EmbeddedDatabase } };

/**
 * The embedded database of this process: the registered one (the server's worker thread) or, by default, PGlite
 * opened in this thread on first use. The server entry and the Remix build share it through globalThis.
 */
export function embeddedDatabase(dir: string): EmbeddedDatabase {
  const held = globalStore[registryKey];
  if (held && !held.db.closed) {
    if (held.dir !== dir) throw new Error(`PGlite already open on ${held.dir}, refused a second one on ${dir}`);
    return held.db;
  }
  const db = inThreadDatabase(openPGlite(dir));
  globalStore[registryKey] = { dir, db };
  return db;
}

/** Registers `db` as this process's embedded database (before the first query). */
export function registerEmbeddedDatabase(dir: string, db: EmbeddedDatabase): void {
  const held = globalStore[registryKey];
  if (held && !held.db.closed) throw new Error(`PGlite already open on ${held.dir}`);
  globalStore[registryKey] = { dir, db };
}

export async function closeEmbeddedDatabase(): Promise<void> {
  const held = globalStore[registryKey];
  if (held && !held.db.closed) await held.db.close();
  delete globalStore[registryKey];
}

/** PGlite in this thread. */
export function inThreadDatabase(db: PGlite): EmbeddedDatabase {
  return {
    kind: "thread",
    executePrepared: (steps) => executePrepared(db, steps),
    connectAdapter: () => connectFixedAdapter(db),
    close: () => db.close(),
    get closed() {
      return db.closed;
    },
  };
}

/* ------------------------------------------------------------------------------------------------ adapter */

function formatDateTime(date: Date): string {
  // Same text form as @prisma/adapter-pg: UTC, no zone (columns are `timestamp(3)`).
  return date.toISOString().replace("T", " ").replace("Z", "");
}

function mapArg(arg: unknown, argType: ArgType | undefined): unknown {
  if (arg === null || arg === undefined || !argType) return arg;
  if (Array.isArray(arg) && argType.arity === "list") return arg.map((value) => mapArg(value, argType));
  if (typeof arg === "string" && argType.scalarType === "datetime") arg = new Date(arg);
  if (arg instanceof Date) {
    if (argType.dbType === "DATE") return formatDateTime(arg).slice(0, 10);
    if (argType.dbType === "TIME" || argType.dbType === "TIMETZ") return formatDateTime(arg).slice(11);
    return formatDateTime(arg);
  }
  if (typeof arg === "string" && argType.scalarType === "bytes") return Buffer.from(arg, "base64");
  if (Array.isArray(arg) && argType.scalarType === "bytes") return Buffer.from(arg as number[]);
  if (arg instanceof Uint8Array && !Buffer.isBuffer(arg) && argType.scalarType === "bytes") {
    // A Buffer sent to a worker thread arrives as a plain Uint8Array.
    return Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength);
  }
  return arg;
}

function mapQuery(query: SqlQuery): SqlQuery {
  return { ...query, args: query.args.map((arg, i) => mapArg(arg, query.argTypes?.[i])) };
}

type PostgresCause = { kind: "postgres"; code: string; message: string; detail?: string; column?: string };

/**
 * pglite-prisma-adapter (built for Prisma 6.10) reports every database error as kind "postgres"; Prisma 6.19
 * expects the adapter to name the constraint errors itself, as @prisma/adapter-pg does — without this a unique
 * violation reaches the app as a raw DriverAdapterError instead of P2002. Same mapping as adapter-pg's.
 */
function mapPostgresError(error: unknown): never {
  const cause = (error as { cause?: PostgresCause }).cause;
  if (!(error instanceof Error) || error.name !== "DriverAdapterError" || cause?.kind !== "postgres") throw error;
  const fields = cause.detail?.match(/Key \(([^)]+)\)/)?.at(1)?.split(", ");
  const constraint = fields ? { fields } : undefined;
  const original = { originalCode: cause.code, originalMessage: cause.message };
  switch (cause.code) {
    case "23505":
      throw new DriverAdapterError({ ...original, kind: "UniqueConstraintViolation", constraint });
    case "23502":
      throw new DriverAdapterError({ ...original, kind: "NullConstraintViolation", constraint });
    case "23503":
      throw new DriverAdapterError({
        ...original,
        kind: "ForeignKeyConstraintViolation",
        constraint: cause.column ? { fields: [cause.column] } : undefined,
      });
    case "40001":
      throw new DriverAdapterError({ ...original, kind: "TransactionWriteConflict" });
    case "22001":
      throw new DriverAdapterError({ ...original, kind: "LengthMismatch", column: cause.column });
    default:
      throw error;
  }
}

/** Wraps a PGlite queryable: maps argument types, errors, and runs argument-less multi-statement SQL with exec(). */
function fixQueryable<T extends SqlQueryable>(inner: T, db: PGlite): T {
  const wrapper = Object.create(inner) as T;
  wrapper.queryRaw = (query) => inner.queryRaw(mapQuery(query)).catch(mapPostgresError);
  wrapper.executeRaw = async (query) => {
    if (query.args.length === 0 && query.sql.includes(";")) {
      // The schema engine replays whole migration scripts through executeRaw.
      await db.exec(query.sql);
      return 0;
    }
    return inner.executeRaw(mapQuery(query)).catch(mapPostgresError);
  };
  return wrapper;
}

function fixPGliteAdapter(inner: SqlDriverAdapter, db: PGlite, onDispose?: () => Promise<void>): SqlDriverAdapter {
  const wrapper = fixQueryable(inner, db);
  wrapper.executeScript = async (script) => {
    await db.exec(script);
  };
  wrapper.startTransaction = async (isolationLevel) => {
    const tx: Transaction = await inner.startTransaction(isolationLevel);
    return fixQueryable(tx, db);
  };
  wrapper.dispose = async () => {
    await inner.dispose();
    await onDispose?.();
  };
  return wrapper;
}

/** pglite-prisma-adapter 0.6.1 (typed against driver-adapter-utils 6.10; same runtime contract) with our fixes. */
export async function connectFixedAdapter(db: PGlite, onDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
  await db.waitReady;
  // Prisma's statements as named prepared statements with cached plans (./pglite-statements.server.ts);
  // QUORUM_PGLITE_PREPARED=0 sends them through PGlite's query() as before (to compare, or to rule it out).
  const prepared = process.env.QUORUM_PGLITE_PREPARED !== "0";
  if (prepared) await preparePlanCache(db);
  const client = prepared ? (preparedStatementsClient(db) as unknown as PGlite) : db;
  const inner = (await new PrismaPGlite(client).connect()) as unknown as SqlDriverAdapter;
  return fixPGliteAdapter(inner, db, onDispose);
}

/** Prisma's adapter factory for the embedded database; it opens the database on first connect, not at import. */
export class PGliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "pglite-prisma-adapter";
  constructor(private readonly dir: () => string) {}

  connect(): Promise<SqlDriverAdapter> {
    return embeddedDatabase(this.dir()).connectAdapter();
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = new PGlite();
    return connectFixedAdapter(shadow, () => shadow.close());
  }
}
