/**
 * Driver adapters for Prisma 6.19 (engine "js"), shared by the Prisma CLI (prisma.config.ts) and the app.
 *
 * - Embedded mode (no DATABASE_URL): PGlite in QUORUM_DATA_DIR (default ./data), one instance per process
 *   (./pglite.server: in this thread, or in a worker thread for the server).
 * - Server mode (DATABASE_URL=postgres://…): @prisma/adapter-pg.
 *
 * Both upstream adapters need small fixes under Prisma 6.19 and its wasm schema engine; each fix is a thin
 * wrapper here, documented in docs/decisions/0002-prisma-driver-adapters.md.
 */
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { parse as parsePgArray } from "postgres-array";
import { BYTEA_OID, byteaAsBuffer } from "./bytes-columns";
import { resultTypeChanged, statementFailed, statementName } from "./pg-statements.server";
import { closeEmbeddedDatabase, embeddedDatabase, type EmbeddedDatabase, PGliteAdapterFactory } from "./pglite.server";

export function databaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL?.trim();
  return url ? url : undefined;
}

export function dataDir(): string {
  return path.resolve(process.env.QUORUM_DATA_DIR ?? "data");
}

/** This process's embedded database (PGlite in ./data or QUORUM_DATA_DIR). */
export function sharedEmbeddedDatabase(): EmbeddedDatabase {
  return embeddedDatabase(dataDir());
}

export const closeSharedEmbeddedDatabase = closeEmbeddedDatabase;

/* ------------------------------------------------------------------------------------------------ PostgreSQL */

const TEXT_OID = 25;
const TEXT_ARRAY_OID = 1009;

type TypeParsers = { getTypeParser: (oid: number, format?: string) => unknown };
const bytesKept = new WeakMap<TypeParsers, TypeParsers>();

/**
 * A query's config with bytea values parsed to Buffers rather than the adapter's arrays of numbers
 * (./bytes-columns.ts), and, for the app's pool, a statement name (./pg-statements.server.ts).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function configure(args: any[], namedStatements: boolean): any[] {
  const config = args[0] as { types?: TypeParsers; text?: unknown; name?: string } | undefined;
  if (!config || typeof config !== "object" || !config.types) return args;
  const types = config.types;
  let own = bytesKept.get(types);
  if (!own) {
    own = { getTypeParser: (oid, format) => (oid === BYTEA_OID && format === "text" ? byteaAsBuffer : types.getTypeParser(oid, format)) };
    bytesKept.set(types, own);
  }
  const name = namedStatements && config.name === undefined && typeof config.text === "string" ? statementName(config.text) : undefined;
  return [name === undefined ? { ...config, types: own } : { ...config, types: own, name }, ...args.slice(1)];
}

/** A named statement's failure reported to ./pg-statements.server.ts (one whose result type changed is renamed). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function watchNamed(result: any, config: any): any {
  if (!(result instanceof Promise) || typeof config?.name !== "string") return result;
  return result.catch((error: unknown) => {
    statementFailed(config.text, config.name, error);
    throw error;
  });
}


const KEEPS_BYTES = Symbol("quorum.keepsBytes");

/**
 * A pg Pool whose results report catalog types the adapter cannot map (`name`, `"char"`, `name[]`) as text,
 * which the wasm schema engine reads during every migrate command; and whose bytea values stay bytes, outside a
 * transaction (this query) and inside one (the clients it lends: connect()).
 */
class CatalogFriendlyPool extends pg.Pool {
  /** `namedStatements`: the app's pool prepares its repeated statements (never the CLI's: migrations change tables). */
  constructor(
    config: pg.PoolConfig,
    private readonly namedStatements = false,
  ) {
    super(config);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const patch = (client: any) => {
      if (client && !client[KEEPS_BYTES]) {
        const query = client.query.bind(client);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        client.query = (...queryArgs: any[]) => {
          const configured = configure(queryArgs, this.namedStatements);
          return watchNamed(query(...configured), configured[0]);
        };
        client[KEEPS_BYTES] = true;
      }
      return client;
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    if (typeof args[0] === "function") return (super.connect as any)((error: unknown, client: any, done: unknown) => args[0](error, patch(client), done));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (super.connect as any)().then(patch);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const configured = configure(args, this.namedStatements);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const run = (queryArgs: any[]) => (super.query as any)(...queryArgs);
    let result = watchNamed(run(configured), configured[0]);
    if (!(result instanceof Promise)) return result;
    if (typeof configured[0]?.name === "string") {
      // Outside a transaction, a prepared statement refused because its table changed shape (0A000, nothing ran)
      // is sent again unnamed, once; its text is named afresh later (./pg-statements.server.ts).
      result = result.catch((error: unknown) => {
        if (!resultTypeChanged(error)) throw error;
        const { name: _name, ...unnamed } = configured[0];
        return run([unnamed, ...configured.slice(1)]);
      });
    }
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

/**
 * The pool's settings for DATABASE_URL: pg reads the whole URL, its parameters included — a socket directory
 * (`?host=/var/run/postgresql`, for a database on the same machine), `sslmode`, `application_name`, `options`…
 * (until 2026-12-04 only its host, port, user, password and database were read: the rest was silently dropped).
 */
export function pgConfig(url: string): pg.PoolConfig & { connectionString: string } {
  return { connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) };
}

/** The same URL naming another database (its parameters kept). */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

class PostgresAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "@prisma/adapter-pg";
  constructor(
    private readonly config: ReturnType<typeof pgConfig>,
    private readonly namedStatements = false,
  ) {}

  connect(): Promise<SqlDriverAdapter> {
    return new PrismaPg(new CatalogFriendlyPool(this.config, this.namedStatements), { disposeExternalPool: true }).connect();
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const admin = new pg.Client(this.config);
    await admin.connect();
    const database = `quorum_shadow_${globalThis.crypto.randomUUID().replaceAll("-", "")}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const adapter = await new PrismaPg(new CatalogFriendlyPool({ ...this.config, connectionString: withDatabase(this.config.connectionString, database) }), {
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

/**
 * The adapter factory for the configured database (used by the CLI and by the app). `app`: the app's own pool, whose
 * repeated statements are prepared on PostgreSQL (./pg-statements.server.ts; QUORUM_PG_PREPARED=0 turns it off).
 */
export function createAdapterFactory(options: { app?: boolean } = {}): SqlMigrationAwareDriverAdapterFactory {
  const url = databaseUrl();
  if (url) return new PostgresAdapterFactory(pgConfig(url), options.app === true && process.env.QUORUM_PG_PREPARED !== "0");
  return new PGliteAdapterFactory(dataDir);
}
