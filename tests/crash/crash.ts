/**
 * `npm run test:crash`: durability under a crash. Needs `npm run build` first (the harness refuses otherwise).
 *
 * For each database (PGlite, PostgreSQL): start the real production server on a fresh copy of the migrated
 * template with the demo, connect 20 y-websocket clients (three seated members) spread over the commission's
 * grids, have each make unique edits at a steady rate, as the grid's schema lets them (the president
 * `result.set("<client>-<i>", …)`, a member `assessment.set("<own user id>|<client>-<i>", …)`), then `kill -9` the
 * server mid-load (on PGlite, at a moment when its Yjs journal holds rows not yet in the database: the restart must
 * replay them), restart it on the same database, and read every grid through a fresh client. Every edit that
 * the server acknowledged to its sender (message 100) or that any peer received must be there.
 *
 *   node --import tsx tests/crash/crash.ts [--db=pglite|postgres|both] [--clients=20] [--rate=20] [--load-ms=N]
 *                                          [--seed=N]
 *
 * --db defaults to both. PostgreSQL: QUORUM_TEST_DATABASE_URL, else DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test; an unreachable PostgreSQL is a failure, never a skip.
 * The last line printed is `acked=N lost=N` (sums over the runs); the exit code is 1 when lost > 0 or a run failed.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { installAckHandler, MESSAGE_AUTH, MESSAGE_SYNC, SYNC_STEP1 } from "../../realtime/yjs/protocol";
import { declareNoConflict, findCommission, gridName, passageCommand, routeData } from "../support/clients";
import { DEMO_ACCOUNTS, login, prepareDatabase, startServer, type TestServer } from "../support/server";

const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/test";

type Options = {
  db: "pglite" | "postgres" | "both";
  clients: number;
  /** Edits per second per client. */
  rate: number;
  /** Load before the kill; default: drawn between 5 and 9 s from the seed. */
  loadMs: number | null;
  seed: number;
};

function parseOptions(argv: string[]): Options {
  const options: Options = { db: "both", clients: 20, rate: 20, loadMs: null, seed: Date.now() % 2 ** 31 };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, "").split("=", 2);
    switch (key) {
      case "db":
        if (value !== "pglite" && value !== "postgres" && value !== "both") throw new Error(`--db=${value}: pglite, postgres or both`);
        options.db = value;
        break;
      case "clients":
        options.clients = positive(key, value);
        break;
      case "rate":
        options.rate = positive(key, value);
        break;
      case "load-ms":
        options.loadMs = positive(key, value);
        break;
      case "seed":
        options.seed = positive(key, value);
        break;
      default:
        throw new Error(`unknown option ${arg} (--db=pglite|postgres|both --clients=N --rate=N --load-ms=N --seed=N)`);
    }
  }
  return options;
}

function positive(key: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${key}=${value}: a positive integer is expected`);
  return n;
}

const log = (message: string) => console.log(`[crash] ${message}`);

async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether the server's Yjs journal (embedded mode, `<data dir>/yjs-journal`) has a file with rows in it. */
function journalHoldsRows(dataDir: string): boolean {
  const dir = path.join(dataDir, "yjs-journal");
  try {
    return readdirSync(dir).some((file) => file.endsWith(".log") && statSync(path.join(dir, file)).size > 0);
  } catch {
    return false; // a file deleted between the listing and its stat
  }
}

/* ------------------------------------------------------------------------------------------------ clients */

type Edit = { key: string; client: number; grid: string; epoch: number; message: number };

/** Where a client writes: the president the commission's `result`, a member their own `assessment` keys. */
type Seat = { part: "result" | "assessment"; keyPrefix: string };
const PARTS = ["result", "assessment"] as const;

type LoadClient = {
  index: number;
  grid: string;
  seat: Seat;
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: boolean;
  /** Update messages sent on the current connection; the server acknowledges them in order. */
  sent: number;
  /** Connections opened so far (acks count per connection). */
  epoch: number;
  /** Highest ack per connection. */
  acks: Map<number, number>;
  denied: string[];
  edits: Edit[];
};

/**
 * A y-websocket 3 provider with the cookie, counting the update messages (sync step 2 and update) it sends on
 * each connection, recording the acks (message 100) per connection, and reporting keys received from the server.
 */
function loadClient(baseUrl: string, grid: string, cookie: string, seat: Seat, index: number, seen: Set<string>): LoadClient {
  const client = { index, grid, seat, doc: new Y.Doc(), synced: false, sent: 0, epoch: 0, acks: new Map(), denied: [], edits: [] } as unknown as LoadClient;
  class Counting extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { Cookie: cookie } });
      client.epoch++;
      client.sent = 0;
    }
    override send(data: unknown, ...rest: unknown[]) {
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer);
      const decoder = decoding.createDecoder(bytes);
      if (decoding.readVarUint(decoder) === MESSAGE_SYNC && decoding.readVarUint(decoder) !== SYNC_STEP1) client.sent++;
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  }
  client.provider = new WebsocketProvider(`${baseUrl.replace(/^http/, "ws")}/yjs`, grid, client.doc, {
    WebSocketPolyfill: Counting as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  });
  installAckHandler(client.provider, (count) => {
    client.acks.set(client.epoch, Math.max(count, client.acks.get(client.epoch) ?? 0));
  });
  client.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    decoding.readVarUint(decoder);
    client.denied.push(decoding.readVarString(decoder));
  };
  client.provider.on("sync", (isSynced: boolean) => {
    if (isSynced) client.synced = true;
  });
  for (const part of PARTS) {
    client.doc.getMap(part).observe((event) => {
      if (event.transaction.local) return; // our own edit
      for (const key of event.keysChanged) seen.add(key);
    });
  }
  return client;
}

/** Makes one unique edit and records which update message carried it (Infinity: not sent, offline). */
function edit(client: LoadClient, i: number): void {
  const before = client.sent;
  const key = `${client.seat.keyPrefix}c${String(client.index).padStart(2, "0")}-${i}`;
  client.doc.getMap(client.seat.part).set(key, `note ${i} du client ${client.index}`);
  const message = client.sent > before ? client.sent : Infinity;
  client.edits.push({ key, client: client.index, grid: client.grid, epoch: client.epoch, message });
}

const isAcked = (client: LoadClient, e: Edit) => e.message <= (client.acks.get(e.epoch) ?? 0);

/** A fresh reader: the grid's keys as the restarted server serves them. */
async function readGrid(baseUrl: string, grid: string, cookie: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const reader = loadClient(baseUrl, grid, cookie, { part: "result", keyPrefix: "" }, -1, seen);
  try {
    await until(() => reader.synced, `${grid} synced after the restart`);
    return new Set(PARTS.flatMap((part) => [...reader.doc.getMap(part).keys()]));
  } finally {
    reader.provider.destroy();
    reader.doc.destroy();
  }
}

/* ------------------------------------------------------------------------------------------------ one run */

type RunResult = { kind: "pglite" | "postgres"; acked: number; lost: number };

async function run(kind: "pglite" | "postgres", options: Options, pgUrl: string): Promise<RunResult> {
  // The harness picks the database from these variables.
  delete process.env.DATABASE_URL;
  if (kind === "postgres") process.env.QUORUM_TEST_DATABASE_URL = pgUrl;
  else delete process.env.QUORUM_TEST_DATABASE_URL;

  const database = await prepareDatabase();
  let server: TestServer | null = null;
  const clients: LoadClient[] = [];
  try {
    server = await startServer({ database });
    log(`${kind}: server up in ${server.bootMs} ms on ${database.location}`);
    const accounts = [DEMO_ACCOUNTS.president, DEMO_ACCOUNTS.membre1, DEMO_ACCOUNTS.membre2];
    const cookies: string[] = [];
    const seats: Seat[] = [];
    for (const email of accounts) {
      const cookie = await login(server.baseUrl, email);
      cookies.push(cookie);
      const { user } = await routeData<{ user: { id: string } }>(server.baseUrl, "/sessions", cookie, "root");
      seats.push(email === DEMO_ACCOUNTS.president ? { part: "result", keyPrefix: "" } : { part: "assessment", keyPrefix: `${user.id}|` });
    }
    const ids = await findCommission(server.baseUrl, cookies[0]);
    const grids = ids.slotIds.map((slotId) => gridName(ids.sessionId, slotId));
    // Members write a grid once they declared no conflict of interest for its candidate.
    for (const cookie of cookies) {
      for (const slotId of ids.slotIds) await declareNoConflict(server.baseUrl, cookie, ids.sessionId, slotId);
    }
    // Scoring and the commission's result open once the passage has left « Accueil » (the grid's schema).
    for (const slotId of ids.slotIds) {
      const moved = await passageCommand(server.baseUrl, cookies[0], ids.sessionId, slotId, { intent: "phase", to: "PRESENTATION" });
      if (moved.status !== 200) throw new Error(`phase of ${slotId} not changed: HTTP ${moved.status} ${JSON.stringify(moved.body)}`);
    }

    const seen = new Set<string>();
    for (let i = 0; i < options.clients; i++) {
      clients.push(loadClient(server.baseUrl, grids[i % grids.length], cookies[i % cookies.length], seats[i % seats.length], i, seen));
    }
    await until(() => clients.every((client) => client.synced), "every client synced");

    // Steady load until the kill.
    const loadMs = options.loadMs ?? 5_000 + ((options.seed * 7919) % 4_000);
    let loading = true;
    const started = Date.now();
    const loops = clients.map(async (client) => {
      // Spread the clients' ticks over the period.
      await new Promise((resolve) => setTimeout(resolve, (client.index * 1000) / options.rate / options.clients));
      for (let i = 0; loading; i++) {
        edit(client, i);
        await new Promise((resolve) => setTimeout(resolve, 1000 / options.rate));
      }
    });
    await new Promise((resolve) => setTimeout(resolve, loadMs));
    // PGlite: kill while the Yjs journal holds rows not yet in the database (realtime/yjs/stores/journal.ts), so that the
    // restart has to replay them; rows wait ~250 ms there before they are stored, so this waits a few milliseconds.
    if (kind === "pglite") {
      const deadline = Date.now() + 5_000;
      while (!journalHoldsRows(database.location)) {
        if (Date.now() > deadline) throw new Error("the Yjs journal stayed empty under load for 5 s");
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }

    const inFlight = clients.reduce((sum, c) => sum + c.edits.filter((e) => e.message !== Infinity && !isAcked(c, e)).length, 0);
    server.kill9();
    loading = false;
    const crashed = server;
    await crashed.exited;
    await Promise.all(loops);
    // No client may bring its edits back after the restart: only what the server stored counts.
    for (const client of clients) client.provider.destroy();
    const made = clients.reduce((sum, c) => sum + c.edits.length, 0);
    log(
      `${kind}: ${options.clients} clients on ${grids.length} grids made ${made} edits in ${Date.now() - started} ms; ` +
        `kill -9 (${crashed.exitSignal}) with ${inFlight} edits sent and not yet acknowledged`,
    );
    const denied = clients.flatMap((c) => c.denied);
    if (denied.length > 0) throw new Error(`edits refused during the load: ${denied.slice(0, 3).join(" | ")}`);

    // Restart on the same database (PGlite must reopen its directory after the crash).
    server = await startServer({ database, demo: false });
    log(`${kind}: restarted in ${server.bootMs} ms`);
    // Embedded mode: what the kill left in the Yjs journal, stored at the restart (realtime/yjs/stores/journal.ts).
    const replayed = /journal rejoué : .*/.exec(server.logs());
    if (replayed) log(`${kind}: ${replayed[0]}`);
    else if (kind === "pglite") throw new Error("the restart replayed no Yjs journal, yet the kill left rows in it");
    const stored = new Map<string, Set<string>>();
    for (const grid of grids) stored.set(grid, await readGrid(server.baseUrl, grid, cookies[0]));

    let acked = 0;
    let seenOnly = 0;
    let unconfirmed = 0;
    let unconfirmedStored = 0;
    const lost: string[] = [];
    for (const client of clients) {
      for (const e of client.edits) {
        const present = stored.get(e.grid)!.has(e.key);
        const confirmed = isAcked(client, e) || seen.has(e.key);
        if (!confirmed) {
          unconfirmed++;
          if (present) unconfirmedStored++;
          continue;
        }
        acked++;
        if (!isAcked(client, e)) seenOnly++;
        if (!present) lost.push(e.key);
      }
    }
    log(
      `${kind}: ${acked} edits acknowledged or seen by a peer (${seenOnly} seen only), ${lost.length} lost` +
        (lost.length > 0 ? ` (${lost.slice(0, 10).join(", ")}${lost.length > 10 ? ", …" : ""})` : "") +
        `; ${unconfirmed} unconfirmed at the kill, ${unconfirmedStored} of them stored anyway`,
    );
    console.log(`${kind}: acked=${acked} lost=${lost.length}`);
    return { kind, acked, lost: lost.length };
  } catch (error) {
    if (server) console.error(`[crash] ${kind}: server output (last 4000 characters):\n${server.logs().slice(-4000)}`);
    throw error;
  } finally {
    for (const client of clients) {
      client.provider.destroy();
      client.doc.destroy();
    }
    if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
    await database.dispose();
  }
}

/* ------------------------------------------------------------------------------------------------ main */

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  process.setMaxListeners(4 * options.clients); // each y-websocket provider listens to the process's exit
  const pgUrl = (process.env.QUORUM_TEST_DATABASE_URL ?? process.env.DATABASE_URL)?.trim() || DEFAULT_PG_URL;
  const kinds = options.db === "both" ? (["pglite", "postgres"] as const) : [options.db];
  log(`seed ${options.seed}; databases: ${kinds.join(", ")}${kinds.includes("postgres") ? ` (PostgreSQL ${redact(pgUrl)})` : ""}`);
  const results: RunResult[] = [];
  let failed = false;
  for (const kind of kinds) {
    try {
      results.push(await run(kind, options, pgUrl));
    } catch (error) {
      failed = true;
      console.error(`[crash] ${kind}: FAILED — ${(error as Error).message}`);
    }
  }
  const acked = results.reduce((sum, r) => sum + r.acked, 0);
  const lost = results.reduce((sum, r) => sum + r.lost, 0);
  console.log(`acked=${acked} lost=${lost}`);
  return failed || lost > 0 ? 1 : 0;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(URL illisible)";
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[crash] ${(error as Error).message}`);
    console.log("acked=0 lost=0");
    process.exit(1);
  },
);
