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
 * (./bytes-columns.ts). The adapter passes the same `types` object each time: wrapped once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function keepBytes(args: any[]): any[] {
  const config = args[0] as { types?: TypeParsers } | undefined;
  if (!config || typeof config !== "object" || !config.types) return args;
  const types = config.types;
  let own = bytesKept.get(types);
  if (!own) {
    own = { getTypeParser: (oid, format) => (oid === BYTEA_OID && format === "text" ? byteaAsBuffer : types.getTypeParser(oid, format)) };
    bytesKept.set(types, own);
  }
  return [{ ...config, types: own }, ...args.slice(1)];
}

const KEEPS_BYTES = Symbol("quorum.keepsBytes");

/**
 * A pg Pool whose results report catalog types the adapter cannot map (`name`, `"char"`, `name[]`) as text,
 * which the wasm schema engine reads during every migrate command; and whose bytea values stay bytes, outside a
 * transaction (this query) and inside one (the clients it lends: connect()).
 */
class CatalogFriendlyPool extends pg.Pool {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override connect(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const patch = (client: any) => {
      if (client && !client[KEEPS_BYTES]) {
        const query = client.query.bind(client);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        client.query = (...queryArgs: any[]) => query(...keepBytes(queryArgs));
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
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...keepBytes(args));
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
  return new PGliteAdapterFactory(dataDir);
}
