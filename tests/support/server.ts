/**
 * Test harness: runs the real production server (`node build/node/server.js`, NODE_ENV=production) on a fresh
 * database and logs in through the real POST /login. Used by the integration tests (Vitest) and the Playwright
 * web server.
 *
 *   const server = await startServer();              // fresh copy of the demo template (seeded once per run)
 *   const cookie = await login(server.baseUrl, "admin@quorum.test", DEMO_PASSWORD);
 *   await server.stop();                             // SIGTERM, awaits exit, throws the DB copy away
 *
 * To restart on the same data, own the database: `const db = await prepareDatabase()`, pass `{ database: db }`
 * to each startServer, then `await db.dispose()`.
 *
 * To change or read data while the server runs (a test's setup between two steps, a check of what was stored), use
 * the server's own Prisma client: `await server.prisma.renderJob.updateMany({ … })` — no stop, no second boot
 * (app/platform/db/test-channel.server.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import {
  ROOT,
  type TestDatabase,
  migrationsDigest,
  prepareDatabase,
  prepareSeededDatabase,
  prepareSeededTemplate,
  shiftTimestamps,
} from "./database";

type PrismaClient = import("~/platform/db/db.server").PrismaClient;

export { advanceClock, prepareDatabase, prepareTemplate, databaseMode, withSql, type TestDatabase } from "./database";

export const DEMO_PASSWORD = "quorum-demo";
export const DEMO_ACCOUNTS = {
  admin: "admin@quorum.test",
  secretariat: "secretariat@quorum.test",
  president: "president@quorum.test",
  membre1: "membre1@quorum.test",
  membre2: "membre2@quorum.test",
  membre3: "membre3@quorum.test",
  observateur: "observateur@quorum.test",
} as const;

export type StartServerOptions = {
  /** Seed the demo organisation on an empty database (QUORUM_DEMO). Default true. */
  demo?: boolean;
  /** Extra env for the server process (wins over the harness's own entries). */
  env?: Record<string, string | undefined>;
  /** Run on this database; the caller then owns it (stop() leaves it). Default: a fresh copy, disposed by stop(). */
  database?: TestDatabase;
  /** Fixed port; default: a free port picked by the OS. */
  port?: number;
  /** How long to wait for /healthz. Default 60 s. */
  bootTimeoutMs?: number;
  /** Copy the server's output to this process's stdout/stderr as well (the Playwright web server does). */
  echo?: boolean;
  /** Run the build of this checkout (its ./build and node_modules) instead of this one's (tests/bench/ab-pages.ts). */
  root?: string;
};

/**
 * The running server's own Prisma client, reached over its IPC channel (app/platform/db/test-channel.server.ts): every
 * model's methods, `$queryRawUnsafe` and `$executeRawUnsafe`. Each call runs on its own, between the server's requests
 * (no interactive transaction); a server that exited rejects the call.
 */
export type ServerPrisma = Omit<PrismaClient, `$${string}`> & Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

export type TestServer = {
  baseUrl: string;
  port: number;
  /** The server process's pid. */
  pid: number;
  database: TestDatabase;
  /** Milliseconds from spawn to a healthy /healthz. */
  bootMs: number;
  /** null while running; the exit code once exited (null too when killed by a signal, see exitSignal). */
  readonly exitCode: number | null;
  readonly exitSignal: NodeJS.Signals | null;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** SIGTERM, then waits for the exit (a hung server gets SIGKILL after `timeoutMs`); returns the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL to the server's whole process group: a crash, no shutdown code runs. */
  kill9(): void;
  /** Everything the server wrote to stdout and stderr so far. */
  logs(): string;
  /** The server's own Prisma client, while it runs (see ServerPrisma). */
  prisma: ServerPrisma;
};

/** Process groups still running, killed if the test process exits without stopping them. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const pid of liveGroups) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function healthy(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return false;
    const body = (await res.json()) as { ok?: unknown };
    return body.ok === true;
  } catch {
    return false;
  }
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

class PortInUse extends Error {}

/**
 * `node build/node/server.js`, as `npm start` runs it: server.ts bundled by `npm run build` (no tsx in production,
 * docs/decisions/0013-server-memory.md), so a change to server.ts, realtime/ or app/ needs `npm run build` before
 * the tests, like the Remix build. One process, which receives SIGTERM itself (never the `tsx` CLI, which relays
 * signals to a child and SIGKILLs it when its event loop is busy).
 */
const SERVER_ENTRY = path.join("build", "node", "server.js");
/**
 * As `npm start`: a 1 GiB old generation makes V8 grow the heap by ~1.6× its live size instead of up to 4× (the
 * default on a machine with 16 GiB or more), ~110–200 MiB less RSS under load (decision 0013).
 */
const SERVER_ARGS = ["--max-old-space-size=1024", SERVER_ENTRY];

async function spawnServer(
  database: TestDatabase,
  port: number,
  options: StartServerOptions,
): Promise<Omit<TestServer, "database">> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    QUORUM_DEMO: options.demo === false ? "off" : "on",
    // Every cached query plan deep-frozen (app/platform/db/query-plan-cache.server.ts): Prisma writing into one throws.
    QUORUM_QUERY_PLAN_FREEZE: "1",
    // server.prisma: the harness's Prisma calls over the IPC channel below (app/platform/db/test-channel.server.ts).
    QUORUM_TEST_DB_CHANNEL: "1",
    ...database.env,
  };
  // The database is chosen by the harness only: a stray DATABASE_URL would point every server at one database.
  if (!database.env.DATABASE_URL) delete env.DATABASE_URL;
  if (!database.env.QUORUM_DATA_DIR) delete env.QUORUM_DATA_DIR;
  delete env.QUORUM_TEST_DATABASE_URL;
  // Scale mode only when a test asks for it (options.env): a REDIS_URL in the shell must not join every server.
  delete env.REDIS_URL;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  const started = Date.now();
  const child = spawn(process.execPath, SERVER_ARGS, {
    cwd: options.root ?? ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    // The IPC channel carries dates, BigInts and bytes as they are (server.prisma).
    serialization: "advanced",
    detached: true, // its own process group: kill9() takes down anything the server spawned too
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn node ${SERVER_ENTRY}`);
  installExitHook();
  liveGroups.add(pid);

  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (options.echo) process.stderr.write(chunk);
  });
  const calls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void; name: string }>();
  let lastCall = 0;
  child.on("message", (message: { id: number; value?: unknown; error?: string }) => {
    const call = calls.get(message.id);
    if (!call) return;
    calls.delete(message.id);
    if (message.error !== undefined) call.reject(new Error(`server.prisma.${call.name} failed in the server: ${message.error}`));
    else call.resolve(message.value);
  });
  const exited = waitForExit(child).then(() => {
    liveGroups.delete(pid);
    for (const call of calls.values()) call.reject(new Error(`server.prisma.${call.name}: the server exited before answering`));
    calls.clear();
  });
  const prisma = serverPrisma((model, method, args) => {
    const name = `${model ?? ""}${model ? "." : ""}${method}`;
    if (!child.connected) return Promise.reject(new Error(`server.prisma.${name}: the server is not running`));
    return new Promise((resolve, reject) => {
      const id = ++lastCall;
      calls.set(id, { resolve, reject, name });
      child.send({ id, model, method, args }, (error) => {
        if (!error) return;
        calls.delete(id);
        reject(error);
      });
    });
  });

  const baseUrl = `http://localhost:${port}`;
  const deadline = started + (options.bootTimeoutMs ?? Number(process.env.QUORUM_TEST_BOOT_TIMEOUT_MS ?? 60_000));
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      if (/EADDRINUSE/.test(output)) throw new PortInUse(output);
      throw new Error(
        `server exited during boot (code ${child.exitCode}, signal ${child.signalCode}) on ${database.location}:\n${output}`,
      );
    }
    // Our process must have announced this port (contract: "[quorum] prêt sur http://localhost:<port>"), so a
    // server of another test that happens to hold the port is never taken for ours.
    if (output.includes(`prêt sur http://localhost:${port}`) && (await healthy(baseUrl))) break;
    if (Date.now() > deadline) {
      killGroup(pid);
      await exited;
      throw new Error(`server not healthy on ${baseUrl}/healthz after ${Date.now() - started} ms:\n${output}`);
    }
    // Poll again soon, or as soon as the process exits.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  const bootMs = Date.now() - started;

  const stop = async (timeoutMs = 15_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => killGroup(pid), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    return child.exitCode;
  };

  return {
    baseUrl,
    port,
    pid,
    bootMs,
    get exitCode() {
      return child.exitCode;
    },
    get exitSignal() {
      return child.signalCode;
    },
    exited,
    stop,
    kill9: () => killGroup(pid),
    logs: () => output,
    prisma,
  };
}

/**
 * Runs `run` with the running server's own Prisma client: what `withPrisma(database, …)` (tests/support/prisma.ts) does on
 * a stopped server's database, without the stop and the next boot.
 */
export function withServerPrisma<T>(server: TestServer, run: (prisma: ServerPrisma) => Promise<T>): Promise<T> {
  return run(server.prisma);
}

/**
 * advanceClock (tests/support/database.ts) on a running server's database, through its own client: for what the server
 * reads from the database each time it compares a time (login sessions, sign-in attempts), no restart is needed.
 */
export function advanceServerClock(server: TestServer, ms: number): Promise<void> {
  return shiftTimestamps((sql, params = []) => server.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(sql, ...params), ms);
}

/** `prisma.<model>.<method>(…args)` and `prisma.$queryRawUnsafe(…)` as calls of `call(model, method, args)`. */
function serverPrisma(call: (model: string | null, method: string, args: unknown[]) => Promise<unknown>): ServerPrisma {
  // `then` stays undefined: the proxies are not thenables (awaiting one must not call the server).
  const methods = (model: string | null) =>
    new Proxy({}, { get: (_target, method) => (typeof method !== "string" || method === "then" ? undefined : (...args: unknown[]) => call(model, method, args)) });
  return new Proxy({}, {
    get: (_target, key) => (typeof key !== "string" || key === "then" ? undefined : key.startsWith("$") ? (...args: unknown[]) => call(null, key, args) : methods(key)),
  }) as ServerPrisma;
}

function killGroup(pid: number) {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    /* already gone */
  }
}

/* ------------------------------------------------------------------------------------------------ demo template */

/**
 * What the demo seed depends on: the migrations and the build that seeds it (prisma/seed is bundled into the
 * server). Another build or another migration rebuilds the demo template.
 */
async function demoDigest(): Promise<string> {
  const hash = createHash("sha256").update((await migrationsDigest()).digest);
  for (const file of [SERVER_ENTRY, path.join("build", "server", "index.js")]) {
    const stat = statSync(path.join(ROOT, file));
    hash.update(`${file}:${stat.size}:${stat.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

/**
 * Seeds the demo the way production does: the real server boots on the empty copy (QUORUM_DEMO on), its render
 * runner seals the documents the seed signed, and it stops cleanly. Each demo server of the run then starts on a
 * copy of that database, instead of seeding and sealing again (~9 s of CPU per server). The demo's sealed documents
 * and e-mails were made by that server: their links name its address (http://localhost:<its port>, no PUBLIC_URL in
 * tests); a test that follows one issues its own document first.
 */
async function seedDemo(database: TestDatabase): Promise<void> {
  const server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" }, bootTimeoutMs: 180_000 });
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const stats = (await (await fetch(`${server.baseUrl}/__bench/stats?renderJobs=1`)).json()) as { renderJobsOpen: number };
      if (stats.renderJobsOpen === 0) break;
      if (Date.now() > deadline) throw new Error(`the demo's PDFs were still being sealed after 3 minutes:\n${server.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  // A clean stop: the embedded database is checkpointed and closed before its directory is copied.
  const code = await server.stop();
  if (code !== 0) throw new Error(`the demo template's server exited with ${code}:\n${server.logs()}`);
}

/**
 * Builds the demo template (the demo seeded, its PDFs sealed). A run's global setup forces it, so the seed's dates
 * are the run's; elsewhere a template of the same build and migrations younger than an hour is reused.
 */
export async function prepareDemoTemplate(options: { force?: boolean } = {}): Promise<void> {
  await prepareSeededTemplate({ key: "demo", digest: await demoDigest(), seed: seedDemo, ...options });
}

/** A fresh copy of the demo template: the demo organisation seeded and its documents sealed. */
export async function prepareDemoDatabase(): Promise<TestDatabase> {
  return prepareSeededDatabase({ key: "demo", digest: await demoDigest(), seed: seedDemo });
}

/** Starts the production server (the Remix build must exist: `npm run build`). */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  for (const file of [path.join("build", "server", "index.js"), SERVER_ENTRY]) {
    if (!existsSync(path.join(ROOT, file))) {
      throw new Error(`${file} is missing: run \`npm run build\` before the integration and e2e tests`);
    }
  }
  const owned = !options.database;
  // The demo comes from the demo template (seeded once per run); `demo: false` gets an empty database.
  const database = options.database ?? (options.demo === false ? await prepareDatabase() : await prepareDemoDatabase());
  try {
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await freePort());
      try {
        const server = await spawnServer(database, port, options);
        const stop = async (timeoutMs?: number) => {
          const code = await server.stop(timeoutMs);
          if (owned) await database.dispose();
          return code;
        };
        return Object.defineProperties({ ...server, database, stop } as TestServer, {
          exitCode: { get: () => server.exitCode },
          exitSignal: { get: () => server.exitSignal },
        });
      } catch (error) {
        // Another process took the picked port between the probe and the listen: pick another.
        if (error instanceof PortInUse && options.port === undefined && attempt < 3) continue;
        throw error;
      }
    }
  } catch (error) {
    if (owned) await database.dispose();
    throw error;
  }
}

/** Pulls `quorum_session=<value>` out of a response's Set-Cookie headers, or null. */
export function sessionCookieFrom(res: Response): string | null {
  for (const header of res.headers.getSetCookie()) {
    const match = /^((?:__Host-)?quorum_session)=([^;]*)/.exec(header);
    if (match && match[2]) return `${match[1]}=${match[2]}`;
  }
  return null;
}

/** POSTs the login form as a browser on `baseUrl` would (same Origin); the raw response, redirect not followed. */
export function postLogin(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseUrl, ...headers },
    body: new URLSearchParams({ email, password }),
  });
}

/** Logs in through the real POST /login and returns the cookie to send ("quorum_session=…"). */
export async function login(baseUrl: string, email: string, password: string = DEMO_PASSWORD): Promise<string> {
  const res = await postLogin(baseUrl, email, password);
  const cookie = sessionCookieFrom(res);
  if (!cookie) {
    const body = await res.text().catch(() => "");
    throw new Error(`login as ${email} failed: HTTP ${res.status}, no quorum_session cookie\n${body.slice(0, 2000)}`);
  }
  return cookie;
}

/**
 * POSTs the login form from another local address (the whole of 127.0.0.0/8 is the loopback): the server sees
 * `localAddress` as the client's address, so per-address limits can be tested without touching 127.0.0.1.
 */
export function postLoginFrom(
  baseUrl: string,
  localAddress: string,
  email: string,
  password: string,
): Promise<Response> {
  const url = new URL(`${baseUrl}/login`);
  const body = new URLSearchParams({ email, password }).toString();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress,
        headers: {
          Host: url.host,
          Origin: baseUrl,
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
          }
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers }));
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
