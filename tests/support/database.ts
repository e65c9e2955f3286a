/**
 * Test databases, migrated once per run and copied per server.
 *
 * - Embedded mode (default): one template PGlite directory, tests/.tmp/template-pglite, migrated with
 *   `prisma migrate deploy` and reused across runs while prisma/migrations is unchanged (a marker file holds a
 *   digest of every migration). Each server gets a recursive copy in tests/.tmp/<random>.
 * - PostgreSQL mode (QUORUM_TEST_DATABASE_URL or DATABASE_URL set, or `prepareDatabase({ postgresUrl })`): a
 *   template database `quorum_template_<digest of the checkout's path>`, created from the admin connection given by that URL and tagged with the
 *   same digest (COMMENT ON DATABASE); each server gets `CREATE DATABASE quorum_t_<random> TEMPLATE
 *   quorum_template_…`, dropped on dispose.
 *   An unreachable PostgreSQL is an error, never a reason to skip.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const TMP_DIR = path.join(ROOT, "tests", ".tmp");
const TEMPLATE_DIR = path.join(TMP_DIR, "template-pglite");
const TEMPLATE_MARKER = path.join(TEMPLATE_DIR, ".quorum-template.json");
const TEMPLATE_LOCK_DIR = path.join(TMP_DIR, "template.lock");
const SEEDED_LOCK_DIR = path.join(TMP_DIR, "seeded-template.lock");
/** Seeded templates: a copy of the migrated template on which a seed ran (tests/support/server.ts seeds the demo). */
const SEEDED_DIR = (key: string) => path.join(TMP_DIR, `template-${key}-pglite`);
const SEEDED_MARKER = ".quorum-seeded.json";
const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");
/**
 * Name of the PostgreSQL template: one per checkout (a digest of its path), so that checkouts sharing one server
 * (parallel worktrees, another build's seed) never drop each other's template mid-run, and a seeded template's files
 * (tests/.tmp of the checkout that seeded it) always sit beside its database. QUORUM_TEST_PG_TEMPLATE names it.
 */
export const PG_TEMPLATE = (
  process.env.QUORUM_TEST_PG_TEMPLATE ?? `quorum_template_${createHash("sha256").update(ROOT).digest("hex").slice(0, 8)}`
).replace(/[^a-z0-9_]/g, "");
/** Arbitrary key of the advisory lock that serialises template preparation across processes. */
const PG_LOCK_KEY = 74_210_517;
/** Key of the advisory lock that serialises the building of seeded templates. */
const PG_SEEDED_LOCK_KEY = 74_210_518;

/** A database a server can run on: the env to give it, and how to throw it away. */
export type TestDatabase = {
  kind: "pglite" | "postgres";
  /** The data directory (embedded) or the database name (PostgreSQL). */
  location: string;
  /** Env entries selecting this database (QUORUM_DATA_DIR, or DATABASE_URL). */
  env: Record<string, string>;
  dispose(): Promise<void>;
};

/** The PostgreSQL URL requested for tests, if any (an empty value means embedded mode). */
export function postgresTestUrl(): string | undefined {
  const url = (process.env.QUORUM_TEST_DATABASE_URL ?? process.env.DATABASE_URL)?.trim();
  return url ? url : undefined;
}

export function databaseMode(): "pglite" | "postgres" {
  return postgresTestUrl() ? "postgres" : "pglite";
}

/** Digest of prisma/migrations: folder names and SQL contents, so an edited migration rebuilds the template. */
export async function migrationsDigest(): Promise<{ digest: string; migrations: string[] }> {
  const entries = await fs.readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const migrations = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const hash = createHash("sha256");
  for (const name of migrations) {
    hash.update(`${name}\n`);
    hash.update(await fs.readFile(path.join(MIGRATIONS_DIR, name, "migration.sql")));
    hash.update("\n");
  }
  return { digest: hash.digest("hex"), migrations };
}

function randomSuffix(): string {
  return randomBytes(6).toString("hex");
}

/** Runs `prisma migrate deploy` with the given database env; rejects with its output on failure. */
async function migrateDeploy(dbEnv: Record<string, string>): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...dbEnv };
  if (!dbEnv.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(path.join(ROOT, "node_modules", ".bin", "prisma"), ["migrate", "deploy"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`);
}

/* ------------------------------------------------------------------------------------------------ embedded */

async function readMarker(): Promise<string | null> {
  try {
    return (JSON.parse(await fs.readFile(TEMPLATE_MARKER, "utf8")) as { digest?: string }).digest ?? null;
  } catch {
    return null;
  }
}

async function processAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A cross-process lock: an atomic mkdir holding the owner's pid; a dead owner's lock is taken over. */
async function withFileLock<T>(fn: () => Promise<T>, lockDir = TEMPLATE_LOCK_DIR): Promise<T> {
  await fs.mkdir(TMP_DIR, { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      await fs.writeFile(path.join(lockDir, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(await fs.readFile(path.join(lockDir, "pid"), "utf8").catch(() => "0"));
      if (owner && !(await processAlive(owner))) {
        await fs.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`template lock ${lockDir} held by pid ${owner} for 2 minutes`);
      // Another process is migrating the template: wait for its lock to go.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

/** Removes database copies and half-built templates left by runs that were killed (older than 12 hours). */
async function sweepStaleCopies(): Promise<void> {
  const entries = await fs.readdir(TMP_DIR).catch(() => [] as string[]);
  const limit = Date.now() - 12 * 60 * 60 * 1000;
  for (const name of entries) {
    if (!/^(db-[0-9a-f]+|template-building-[0-9a-f]+|files-quorum_t_[0-9a-f]+|demo-building-[0-9a-z_]+)$/.test(name)) continue;
    const dir = path.join(TMP_DIR, name);
    const stat = await fs.stat(dir).catch(() => null);
    if (stat && stat.mtimeMs < limit) await fs.rm(dir, { recursive: true, force: true });
  }
}

async function prepareTemplatePGlite(): Promise<{ reused: boolean; ms: number }> {
  const started = Date.now();
  await sweepStaleCopies();
  const { digest, migrations } = await migrationsDigest();
  if ((await readMarker()) === digest) return { reused: true, ms: Date.now() - started };
  return withFileLock(async () => {
    if ((await readMarker()) === digest) return { reused: true, ms: Date.now() - started };
    // Build beside the template, then swap: a half-migrated directory is never taken for a template.
    const building = path.join(TMP_DIR, `template-building-${randomSuffix()}`);
    try {
      await migrateDeploy({ QUORUM_DATA_DIR: building });
      await fs.writeFile(
        path.join(building, path.basename(TEMPLATE_MARKER)),
        JSON.stringify({ digest, migrations, createdAt: new Date().toISOString() }, null, 2),
      );
      await fs.rm(TEMPLATE_DIR, { recursive: true, force: true });
      await fs.rename(building, TEMPLATE_DIR);
    } finally {
      await fs.rm(building, { recursive: true, force: true });
    }
    return { reused: false, ms: Date.now() - started };
  });
}

async function createPGliteDatabase(from: string = TEMPLATE_DIR): Promise<TestDatabase> {
  const dir = path.join(TMP_DIR, `db-${randomSuffix()}`);
  await fs.cp(from, dir, { recursive: true });
  return {
    kind: "pglite",
    location: dir,
    env: { QUORUM_DATA_DIR: dir },
    dispose: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/* ------------------------------------------------------------------------------------------------ PostgreSQL */

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}

async function adminClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new Error(
      `PostgreSQL test mode was requested (QUORUM_TEST_DATABASE_URL / DATABASE_URL = ${redact(url)}) but the ` +
        `server cannot be reached: ${(error as Error).message}. Start PostgreSQL (e.g. ` +
        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) or unset the variable " +
        "to test on embedded PGlite.",
      { cause: error },
    );
  }
  return client;
}

/** The comment a template database is tagged with (what it was built from), or null. */
async function databaseComment(admin: pg.Client, database: string): Promise<string | null> {
  const { rows } = await admin.query<{ comment: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    [database],
  );
  return rows[0]?.comment ?? null;
}

async function prepareTemplatePostgres(url: string): Promise<{ reused: boolean; ms: number }> {
  const started = Date.now();
  const { digest } = await migrationsDigest();
  const admin = await adminClient(url);
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [PG_LOCK_KEY]);
    if ((await databaseComment(admin, PG_TEMPLATE)) === `quorum-migrations:${digest}`) return { reused: true, ms: Date.now() - started };
    await admin.query(`DROP DATABASE IF EXISTS "${PG_TEMPLATE}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${PG_TEMPLATE}"`);
    await migrateDeploy({ DATABASE_URL: withDatabase(url, PG_TEMPLATE) });
    // Tagged last: a failed migration leaves an untagged template that the next run rebuilds.
    await admin.query(`COMMENT ON DATABASE "${PG_TEMPLATE}" IS 'quorum-migrations:${digest}'`);
    return { reused: false, ms: Date.now() - started };
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [PG_LOCK_KEY]).catch(() => {});
    await admin.end();
  }
}

/**
 * A database cloned from `template`, with its own directory for the server's files (seal certificate, audit key,
 * credentials: QUORUM_DATA_DIR), empty or a copy of `filesFrom` (the files that go with a seeded template).
 */
async function createPostgresDatabase(url: string, template = PG_TEMPLATE, filesFrom?: string): Promise<TestDatabase> {
  const name = `quorum_t_${randomSuffix()}`;
  const files = path.join(TMP_DIR, `files-${name}`);
  if (filesFrom) await fs.cp(filesFrom, files, { recursive: true });
  else await fs.mkdir(files, { recursive: true });
  const admin = await adminClient(url);
  try {
    // Cloning fails while another session is connected to the template (55006); those sessions are brief.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await admin.end();
  }
  return {
    kind: "postgres",
    location: name,
    env: { DATABASE_URL: withDatabase(url, name), QUORUM_DATA_DIR: files },
    dispose: async () => {
      const client = await adminClient(url);
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
        await fs.rm(files, { recursive: true, force: true });
      }
    },
  };
}

/* ------------------------------------------------------------------------------------------------ API */

/**
 * Migrates the template once (reused while prisma/migrations is unchanged). Call it from a global setup; calling
 * it again is cheap.
 */
export async function prepareTemplate(): Promise<{ mode: "pglite" | "postgres"; reused: boolean; ms: number }> {
  const url = postgresTestUrl();
  if (url) return { mode: "postgres", ...(await prepareTemplatePostgres(url)) };
  return { mode: "pglite", ...(await prepareTemplatePGlite()) };
}

export type PrepareDatabaseOptions = {
  /**
   * Force PostgreSQL mode on this admin URL, whatever QUORUM_TEST_DATABASE_URL says (for tests that only make
   * sense on PostgreSQL, e.g. several server processes on one database). Unreachable → an error, never a skip.
   */
  postgresUrl?: string;
  /** Force an embedded PGlite copy whatever QUORUM_TEST_DATABASE_URL says (tests of the embedded database itself). */
  embedded?: boolean;
};

/** A fresh, migrated, empty database copied from the template (which is prepared first if needed). */
export async function prepareDatabase(options: PrepareDatabaseOptions = {}): Promise<TestDatabase> {
  const url = options.embedded ? undefined : (options.postgresUrl ?? postgresTestUrl());
  if (url) {
    await prepareTemplatePostgres(url); // a catalog lookup on the admin database once the template exists
    return createPostgresDatabase(url);
  }
  await prepareTemplatePGlite();
  return createPGliteDatabase();
}

/* ------------------------------------------------------------------------------------------------ seeded templates */

/** Builds a seeded template: `seed` runs on a fresh copy of the migrated template, which then becomes the template. */
export type SeedTemplate = (database: TestDatabase) => Promise<void>;

export type SeededTemplateOptions = {
  /** Names the template (letters, digits, underscores). */
  key: string;
  /** What the seed depends on (its code, the migrations): another digest rebuilds the template. */
  digest: string;
  seed: SeedTemplate;
  /** Rebuild even when a template with this digest exists (a test run's global setup: the seed's dates are today's). */
  force?: boolean;
  /** A template older than this is rebuilt. Default 1 hour. */
  maxAgeMs?: number;
};

type SeededMarker = { digest: string; createdAt: number };

function seededIsCurrent(marker: SeededMarker | null, options: SeededTemplateOptions): boolean {
  return (
    !options.force && marker?.digest === options.digest && Date.now() - marker.createdAt < (options.maxAgeMs ?? 60 * 60 * 1000)
  );
}

async function prepareSeededPGlite(options: SeededTemplateOptions): Promise<string> {
  await prepareTemplatePGlite();
  const dir = SEEDED_DIR(options.key);
  const readSeededMarker = async () =>
    (JSON.parse(await fs.readFile(path.join(dir, SEEDED_MARKER), "utf8").catch(() => "null")) as SeededMarker | null);
  if (seededIsCurrent(await readSeededMarker(), options)) return dir;
  return withFileLock(async () => {
    if (seededIsCurrent(await readSeededMarker(), options)) return dir;
    const building = path.join(TMP_DIR, `demo-building-${randomSuffix()}`);
    try {
      await fs.cp(TEMPLATE_DIR, building, { recursive: true });
      await options.seed({ kind: "pglite", location: building, env: { QUORUM_DATA_DIR: building }, dispose: async () => {} });
      const marker: SeededMarker = { digest: options.digest, createdAt: Date.now() };
      await fs.writeFile(path.join(building, SEEDED_MARKER), JSON.stringify(marker));
      await fs.rm(dir, { recursive: true, force: true });
      await fs.rename(building, dir);
    } finally {
      await fs.rm(building, { recursive: true, force: true });
    }
    return dir;
  }, SEEDED_LOCK_DIR);
}

async function prepareSeededPostgres(url: string, options: SeededTemplateOptions): Promise<{ template: string; files: string }> {
  await prepareTemplatePostgres(url);
  const template = `${PG_TEMPLATE}_${options.key}`.replace(/[^a-z0-9_]/g, "");
  const files = path.join(TMP_DIR, `template-${template}-files`);
  const admin = await adminClient(url);
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [PG_SEEDED_LOCK_KEY]);
    const tag = /^quorum-seeded:([0-9a-f]+):([0-9]+)$/.exec((await databaseComment(admin, template)) ?? "");
    const marker = tag ? { digest: tag[1]!, createdAt: Number(tag[2]) } : null;
    if (seededIsCurrent(marker, options)) return { template, files };
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${template}" TEMPLATE "${PG_TEMPLATE}"`);
    await fs.rm(files, { recursive: true, force: true });
    await fs.mkdir(files, { recursive: true });
    await options.seed({
      kind: "postgres",
      location: template,
      env: { DATABASE_URL: withDatabase(url, template), QUORUM_DATA_DIR: files },
      dispose: async () => {},
    });
    // Tagged last: a failed seed leaves an untagged template that the next call rebuilds.
    await admin.query(`COMMENT ON DATABASE "${template}" IS 'quorum-seeded:${options.digest}:${Date.now()}'`);
    return { template, files };
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [PG_SEEDED_LOCK_KEY]).catch(() => {});
    await admin.end();
  }
}

/** Builds the seeded template unless a current one exists (see SeededTemplateOptions). */
export async function prepareSeededTemplate(options: SeededTemplateOptions): Promise<void> {
  const url = postgresTestUrl();
  if (url) await prepareSeededPostgres(url, options);
  else await prepareSeededPGlite(options);
}

/** A fresh copy of a seeded template (built first if missing, stale or of another digest). */
export async function prepareSeededDatabase(options: SeededTemplateOptions): Promise<TestDatabase> {
  const url = postgresTestUrl();
  if (url) {
    const { template, files } = await prepareSeededPostgres(url, options);
    return createPostgresDatabase(url, template, files);
  }
  return createPGliteDatabase(await prepareSeededPGlite(options));
}

/* ------------------------------------------------------------------------------------------------ time travel */

/**
 * Runs SQL on a database whose server is stopped (PGlite allows one process per data directory): an embedded
 * PGlite opened on the copy, or a pg client on the PostgreSQL database.
 */
export async function withSql<T>(
  database: TestDatabase,
  fn: (query: (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>) => Promise<T>,
): Promise<T> {
  if (database.kind === "pglite") {
    const { PGlite } = await import("@electric-sql/pglite");
    const db = new PGlite({ dataDir: database.location });
    try {
      return await fn(async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows);
    } finally {
      await db.close();
    }
  }
  const client = new pg.Client({ connectionString: database.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await fn(async (sql, params) => (await client.query(sql, params)).rows as Array<Record<string, unknown>>);
  } finally {
    await client.end();
  }
}

/** Runs one statement with its parameters and returns its rows. */
export type SqlQuery = (sql: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * Moves a database `ms` into the past through `query`, as if the clock had advanced by `ms`: every timestamp column of
 * every table (whatever the schema adds later: login attempts, throttles, sessions, idle marks) is shifted back, except
 * the audit chain (its hashes cover its timestamps) and Prisma's migration log.
 */
export async function shiftTimestamps(query: SqlQuery, ms: number): Promise<void> {
  const columns = await query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('timestamp without time zone', 'timestamp with time zone')
        AND table_name NOT IN ('_prisma_migrations', 'AuditEvent')`,
  );
  for (const { table_name: table, column_name: column } of columns) {
    await query(`UPDATE "${String(table)}" SET "${String(column)}" = "${String(column)}" - $1::interval`, [`${ms} milliseconds`]);
  }
}

/** shiftTimestamps on a stopped server's database (a running one: advanceServerClock in tests/support/server.ts). */
export async function advanceClock(database: TestDatabase, ms: number): Promise<void> {
  await withSql(database, (query) => shiftTimestamps(query, ms));
}
