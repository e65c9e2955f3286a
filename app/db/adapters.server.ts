/**
 * Driver adapters for Prisma 6.19 (engine "js"), shared by the Prisma CLI (prisma.config.ts) and the app.
 *
 * - Embedded mode (no DATABASE_URL): PGlite in QUORUM_DATA_DIR (default ./data), one instance per process.
 * - Server mode (DATABASE_URL=postgres://…): @prisma/adapter-pg.
 *
 * Both upstream adapters need small fixes under Prisma 6.19 and its wasm schema engine; each fix is a thin
 * wrapper here, documented in docs/decisions/0002-prisma-driver-adapters.md.
 */
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type {
  ArgType,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  SqlQueryable,
  Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";
import { parse as parsePgArray } from "postgres-array";
import { PrismaPGlite } from "pglite-prisma-adapter";

export function databaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL?.trim();
  return url ? url : undefined;
}

export function dataDir(): string {
  return path.resolve(process.env.QUORUM_DATA_DIR ?? "data");
}

/* ------------------------------------------------------------------------------------------------ PGlite */

type PGliteHolder = { dir: string; db: PGlite; refs: number };
const pgliteKey = Symbol.for("quorum.pglite");
const globalStore = globalThis as unknown as { [pgliteKey]?: PGliteHolder };

/** The one PGlite of this process (the server entry and the Remix build both import this module). */
export function sharedPGlite(): PGlite {
  const dir = dataDir();
  const held = globalStore[pgliteKey];
  if (held && !held.db.closed) {
    if (held.dir !== dir) throw new Error(`PGlite already open on ${held.dir}, refused a second one on ${dir}`);
    return held.db;
  }
  const db = new PGlite({ dataDir: dir });
  globalStore[pgliteKey] = { dir, db, refs: 0 };
  return db;
}

export async function closeSharedPGlite(): Promise<void> {
  const held = globalStore[pgliteKey];
  if (held && !held.db.closed) await held.db.close();
  delete globalStore[pgliteKey];
}

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
  return arg;
}

function mapQuery(query: SqlQuery): SqlQuery {
  return { ...query, args: query.args.map((arg, i) => mapArg(arg, query.argTypes?.[i])) };
}

/** Wraps a PGlite queryable: maps argument types and runs argument-less multi-statement SQL with exec(). */
function fixQueryable<T extends SqlQueryable>(inner: T, db: PGlite): T {
  const wrapper = Object.create(inner) as T;
  wrapper.queryRaw = (query) => inner.queryRaw(mapQuery(query));
  wrapper.executeRaw = async (query) => {
    if (query.args.length === 0 && query.sql.includes(";")) {
      // The schema engine replays whole migration scripts through executeRaw.
      await db.exec(query.sql);
      return 0;
    }
    return inner.executeRaw(mapQuery(query));
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

/** pglite-prisma-adapter 0.6.1 is typed against driver-adapter-utils 6.10; the runtime contract is the same. */
async function connectPGlite(db: PGlite): Promise<SqlDriverAdapter> {
  return (await new PrismaPGlite(db).connect()) as unknown as SqlDriverAdapter;
}

class PGliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "pglite-prisma-adapter";
  constructor(private readonly db: PGlite) {}

  async connect(): Promise<SqlDriverAdapter> {
    await this.db.waitReady;
    return fixPGliteAdapter(await connectPGlite(this.db), this.db);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = new PGlite();
    await shadow.waitReady;
    return fixPGliteAdapter(await connectPGlite(shadow), shadow, () => shadow.close());
  }
}

/* ------------------------------------------------------------------------------------------------ PostgreSQL */

const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;

/**
 * A pg Pool whose results report catalog types the adapter cannot map (`name`, `"char"`, `name[]`) as text,
 * which the wasm schema engine reads during every migrate command.
 */
class CatalogFriendlyPool extends pg.Pool {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    if (!(result instanceof Promise)) return result;
    return result.then((res: pg.QueryResult) => {
      res.fields?.forEach((field, i) => {
        if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = TEXT_OID;
        else if (field.dataTypeID === 1003) {
          field.dataTypeID = TEXT_ARRAY_OID;
          for (const row of res.rows as unknown[][]) {
            if (typeof row[i] === "string") row[i] = parsePgArray(row[i] as string);
          }
        }
      });
      return res;
    });
  }
}

function pgConfig(url: string): pg.PoolConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || undefined,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  };
}

class PostgresAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pg";
  constructor(private readonly config: pg.PoolConfig) {}

  connect(): Promise<SqlDriverAdapter> {
    return new PrismaPg(new CatalogFriendlyPool(this.config), { disposeExternalPool: true }).connect();
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const admin = new pg.Client(this.config);
    await admin.connect();
    const database = `quorum_shadow_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const adapter = await new PrismaPg(new CatalogFriendlyPool({ ...this.config, database }), {
      disposeExternalPool: true,
    }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.end();
    };
    return adapter;
  }
}

/** The adapter factory for the configured database (used by the CLI and by the app). */
export function createAdapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  const url = databaseUrl();
  if (url) return new PostgresAdapterFactory(pgConfig(url));
  return new PGliteAdapterFactory(sharedPGlite());
}
