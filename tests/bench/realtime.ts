/**
 * `npm run bench:realtime` — the realtime load benchmark: simulated jury members editing grid documents against
 *   (a) Quorum's real server (`node build/node/server.js`, NODE_ENV=production, cookie auth, per-document
 *       access check, durable group commit before broadcast, acks) on a fresh database from the test harness;
 *   (b) a bare in-memory y-protocols relay (./bare-relay.ts): the floor;
 *   (c) Hocuspocus 4 in memory, no extensions (./hocuspocus-server.ts): the reference.
 * One after the other in the same run, each server in its own child process (CPU from /proc/<pid>/stat over the
 * measured window, peak RSS = VmHWM), the clients in another (./load.ts).
 *
 * Options:
 *   --profile=A|B|all   A: 300 clients / 30 rooms / 1 edit/s each (default);  B: 1,000 / 100 / 0.5 edit/s
 *   --duration=<s>      measured seconds (default 60)        --warmup=<s>  warm-up seconds (default 10)
 *   --drain=<s>         wait for in-flight edits after the last send (default 10)
 *   --targets=quorum,bare,hocuspocus   subset to run (default all three)
 *   --client=lean|provider   lean raw-protocol clients (default) or the real WebsocketProvider/HocuspocusProvider
 *   --rounds=<n>        measure every target n times, alternating (round r starts with the r-th target), and
 *                       report per target the median of its rounds' p99 (default 1). On a shared 2-core machine a
 *                       single 60 s window's p99 moves by ±10 ms from one run to the next; alternating rounds expose
 *                       every target to the same drift, and the median of several windows is what can be compared
 *   --out=<file>        JSON results (default bench-results/realtime-<timestamp>.json)
 *   --wait-quiet=<s>    before each phase, wait up to <s> seconds (default 300; 0 = no wait) for the shared machine
 *                       to be idle (< 0.15 core busy over 5 s); each phase reports the cores other processes used
 *                       during its measured window, so a disturbed measurement shows as such
 * Quorum runs on PGlite (a copy of the harness's template), or on PostgreSQL when DATABASE_URL (or
 * QUORUM_TEST_DATABASE_URL) names an admin connection: a fresh database is then cloned from the template there.
 *
 * Quorum's fixture (./fixture.ts) seats per room a president and members who declared no conflict, on a passage past
 * « Accueil » of a certification scored in percentages: each member's edits overwrite their own `assessment` key, the
 * president's the `result`, with a score of the scale under a competence of the référentiel, as the grid schema allows
 * (./lean-client.ts `seatWrite`, `gridEdit`); the other servers get the same edits. A permission-denied answer
 * to any edit ends the run with exit code 1 and the server's reason: refused edits are never reported as lost.
 *
 * Last line, on success: `quorum_p99_ms=N bare_p99_ms=N hocuspocus_p99_ms=N lost=N` (p99 of the edit-reaches-every-
 * peer latency of profile A, or of B when only B ran — the median over rounds; lost summed over every phase; NaN for
 * a target not run).
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { prepareDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { ROOT, TMP_DIR } from "../support/database";
import type { BenchFixture } from "./fixture";
import { anonymousCompetenceIds, benchUserId } from "./lean-client";
import type { ChildMessage, LoadConfig, LoadResult, ParentMessage } from "./load";
import { cpuSeconds, machineBusyCores, machineBusySeconds, peakRssMiB, round } from "./stats";

type Target = "quorum" | "bare" | "hocuspocus";
type Profile = { name: "A" | "B"; clients: number; rooms: number; rate: number; p99TargetMs: number };

const PROFILES: Record<"A" | "B", Profile> = {
  A: { name: "A", clients: 300, rooms: 30, rate: 1, p99TargetMs: 25 },
  B: { name: "B", clients: 1000, rooms: 100, rate: 0.5, p99TargetMs: 100 },
};

type PhaseResult = LoadResult & {
  profile: "A" | "B";
  /** 1-based round (see --rounds). */
  round?: number;
  server: { cpuSecondsWindow: number; cpuShareWindow: number; cpuSecondsTotal: number; peakRssMiB: number };
  database?: string;
  serverWarnings?: string[];
  /** 1-minute load average when the phase started and ended (the machine is shared: read the numbers with it). */
  loadavg: { start: number; end: number };
  /**
   * Cores used during the measured window by everything but this benchmark (server, generator, orchestrator):
   * other sessions' work on the shared machine. Near 0 = a clean measurement.
   */
  otherCores: number;
  /** Machine busy cores just before the phase (after waiting for quiet). */
  busyCoresBefore: number;
};

/* ------------------------------------------------------------------------------------------------ options */

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

const profileArg = (option("profile") ?? "A").toUpperCase();
if (!["A", "B", "ALL"].includes(profileArg)) throw new Error(`--profile must be A, B or all (got ${profileArg})`);
const profiles: Profile[] = profileArg === "ALL" ? [PROFILES.A, PROFILES.B] : [PROFILES[profileArg as "A" | "B"]];
const durationS = Number(option("duration") ?? 60);
const warmupS = Number(option("warmup") ?? 10);
const drainS = Number(option("drain") ?? 10);
const rounds = Number(option("rounds") ?? 1);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number ≥ 1 (got ${rounds})`);
const clientKind = (option("client") ?? "lean") as "lean" | "provider";
/** Before each phase, wait (at most this many seconds) until the machine is idle; 0 = do not wait. */
const waitQuietS = Number(option("wait-quiet") ?? 300);
/** "Idle": the whole machine busy less than this many cores over 5 s (other sessions share it). */
const QUIET_CORES = 0.15;
const targets = (option("targets") ?? "quorum,bare,hocuspocus").split(",") as Target[];
for (const target of targets) {
  if (!["quorum", "bare", "hocuspocus"].includes(target)) throw new Error(`unknown target ${target}`);
}
const started = new Date();
const outFile =
  option("out") ?? path.join(ROOT, "bench-results", `realtime-${started.toISOString().replace(/[:.]/g, "-")}.json`);

const log = (message: string) => console.log(`[bench] ${message}`);

/* ------------------------------------------------------------------------------------------------ servers */

/** Children to kill if this process exits early (the Quorum server's group is the harness's business). */
const liveChildren = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of liveChildren) child.kill("SIGKILL");
});
function track(child: ChildProcess): ChildProcess {
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  return child;
}

type RunningServer = { pid: number; port: number; stop(): Promise<void>; logs(): string };

/** Starts bare-relay.ts or hocuspocus-server.ts as `node --import tsx <file>` and waits for its port. */
async function startScript(file: string, banner: RegExp): Promise<RunningServer> {
  const child = track(
    spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tests", "bench", file)], {
      cwd: ROOT,
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${file} did not start:\n${output}`));
    }, 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = banner.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`${file} exited (${code}) during start:\n${output}`)));
  });
  return {
    pid: child.pid!,
    port,
    logs: () => output,
    stop: () => stopChild(child),
  };
}

/** SIGTERM after `graceMs` (SIGKILL 10 s later) unless the child exits by itself first. */
function stopChild(child: ChildProcess, graceMs = 0): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const term = setTimeout(() => child.kill("SIGTERM"), graceMs);
    const kill = setTimeout(() => child.kill("SIGKILL"), graceMs + 10_000);
    child.once("exit", () => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve();
    });
  });
}

/**
 * The production server needs the Remix build (`npm run build`). On a shared machine a concurrent build may have
 * removed it for a moment: wait for it (up to 5 minutes) rather than fail.
 */
async function waitForBuild(): Promise<void> {
  const entry = path.join(ROOT, "build", "node", "server.js"); // written last by `npm run build`
  const deadline = Date.now() + 300_000;
  let told = false;
  while (!existsSync(entry)) {
    if (Date.now() > deadline) throw new Error("build/node/server.js is missing: run `npm run build` first");
    if (!told) log("  waiting for build/node/server.js (run `npm run build`)…");
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** Writes the fixture with a short child process (PGlite: one process per data directory at a time). */
async function createFixture(database: TestDatabase, profile: Profile): Promise<BenchFixture> {
  mkdirSync(TMP_DIR, { recursive: true });
  const out = path.join(TMP_DIR, `bench-fixture-${process.pid}-${Date.now()}.json`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...database.env };
  if (!database.env.DATABASE_URL) delete env.DATABASE_URL;
  if (!database.env.QUORUM_DATA_DIR) delete env.QUORUM_DATA_DIR;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tests/bench/fixture.ts", String(profile.rooms), String(profile.clients / profile.rooms), out],
    { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"] },
  );
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`fixture creation failed (exit ${code})`);
  try {
    return JSON.parse(readFileSync(out, "utf8")) as BenchFixture;
  } finally {
    rmSync(out, { force: true });
  }
}

/* ------------------------------------------------------------------------------------------------ phases */

async function runLoad(
  config: LoadConfig,
  serverPid: number,
): Promise<{ result: LoadResult; cpuWindow: number; windowSeconds: number; otherCores: number }> {
  const child = track(
    fork(path.join(ROOT, "tests", "bench", "load.ts"), [], {
      cwd: ROOT,
      // BENCH_GENERATOR_PROFILE=1 writes the generator's CPU profile to bench-results/prof (at its exit).
      execArgv: [
        "--import",
        "tsx",
        // 1,000 Y.Docs allocate a lot of short-lived garbage: a larger young generation keeps it out of the old
        // one, whose stop-the-world compactions otherwise stalled the generator for 100–250 ms (it measures the
        // latency, so its pauses would be charged to the server).
        "--max-semi-space-size=64",
        ...(process.env.BENCH_GENERATOR_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.join(ROOT, "bench-results", "prof")}`] : []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  );
  let cpuAtStart = NaN;
  let cpuWindow = NaN;
  let machineAtStart = NaN;
  let machineWindow = NaN;
  let selfAtStart = process.cpuUsage();
  let selfWindow = NaN;
  let startedAt = 0;
  let windowSeconds = NaN;
  try {
    const result = await new Promise<LoadResult>((resolve, reject) => {
      child.on("message", (message: ChildMessage) => {
        switch (message.type) {
          case "connected":
            log(`  ${config.rooms.length * config.rooms[0].tokens.length} clients connected and synced in ${round(message.seconds, 1)} s`);
            break;
          case "window-start":
            cpuAtStart = cpuSeconds(serverPid);
            machineAtStart = machineBusySeconds();
            selfAtStart = process.cpuUsage();
            startedAt = performance.now();
            break;
          case "window-end": {
            cpuWindow = cpuSeconds(serverPid) - cpuAtStart;
            machineWindow = machineBusySeconds() - machineAtStart;
            const self = process.cpuUsage(selfAtStart);
            selfWindow = (self.user + self.system) / 1e6;
            windowSeconds = (performance.now() - startedAt) / 1000;
            break;
          }
          case "result":
            resolve(message.result);
            break;
          case "error":
            reject(new Error(`load generator failed:\n${message.message}`));
            break;
        }
      });
      child.once("exit", (code) => reject(new Error(`load generator exited (${code}) before reporting`)));
      child.send({ type: "run", config } satisfies ParentMessage);
    });
    // Everything the machine did in the window minus the server, the generator and this process.
    const otherCores = (machineWindow - cpuWindow - result.generator.cpuSeconds - selfWindow) / windowSeconds;
    return { result, cpuWindow, windowSeconds, otherCores: Math.max(0, otherCores) };
  } finally {
    // Disconnecting lets the generator exit by itself (process.exit: a --cpu-prof profile gets written).
    if (child.connected) child.disconnect();
    await stopChild(child, 5_000);
  }
}

function loadConfig(target: Target, profile: Profile, port: number, rooms: LoadConfig["rooms"]): LoadConfig {
  return {
    target,
    framing: target === "hocuspocus" ? "hocuspocus" : "y-websocket",
    client: clientKind,
    baseUrl: `ws://127.0.0.1:${port}`,
    pathPrefix: target === "quorum" ? "/yjs" : "",
    rooms,
    rate: profile.rate,
    warmupS,
    durationS,
    drainS,
    connectConcurrency: 16,
  };
}

/**
 * Rooms without auth (bare relay, Hocuspocus): the same names, sizes, user ids' lengths and so the same edits
 * (parts, keys, values) as Quorum's.
 */
function anonymousRooms(profile: Profile): LoadConfig["rooms"] {
  const perRoom = profile.clients / profile.rooms;
  const run = Date.now().toString(36);
  return Array.from({ length: profile.rooms }, (_, r) => ({
    documentName: `grid:benchsession${String(r).padStart(4, "0")}:benchslot${String(r).padStart(4, "0")}`,
    tokens: Array.from({ length: perRoom }, () => null),
    userIds: Array.from({ length: perRoom }, (_, m) => benchUserId(run, r * perRoom + m)),
    competenceIds: anonymousCompetenceIds(),
  }));
}

type StartedTarget = { server: RunningServer; rooms: LoadConfig["rooms"]; database: TestDatabase | null };

/** Quorum: fresh database + fixture, then the production server on it. Cleans up what it made if it fails. */
async function startQuorum(profile: Profile): Promise<StartedTarget> {
  const database = await prepareDatabase();
  let quorum: TestServer | null = null;
  try {
    const fixture = await createFixture(database, profile);
    const rooms = fixture.rooms.map((room) => ({
      documentName: room.documentName,
      tokens: room.seats.map((seat) => seat.token),
      userIds: room.seats.map((seat) => seat.userId),
      competenceIds: fixture.competenceIds,
    }));
    await waitForBuild();
    // BENCH_SERVER_NODE_OPTIONS="--import=./tests/bench/cpu-profile.mjs" profiles the server (see that file).
    quorum = await startServer({
      database,
      demo: false,
      env: { REDIS_URL: undefined, NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS },
    });
    const running = quorum;
    const server = { pid: quorum.pid, port: running.port, logs: () => running.logs(), stop: async () => void (await running.stop()) };
    log(`  Quorum server pid ${server.pid} on ${database.kind} (${database.kind === "pglite" ? "embedded" : database.location}), booted in ${round(quorum.bootMs / 1000, 1)} s`);
    return { server, rooms, database };
  } catch (error) {
    await quorum?.stop();
    await database.dispose();
    throw error;
  }
}

const loadavg1 = () => Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);

/** Waits until the machine is idle (other sessions' builds and tests off), at most `waitQuietS` seconds. */
async function waitForQuiet(): Promise<number> {
  const deadline = Date.now() + waitQuietS * 1000;
  let busy = await machineBusyCores(5_000);
  let told = false;
  while (busy >= QUIET_CORES && Date.now() < deadline) {
    if (!told) log(`  waiting for a quiet machine (${round(busy, 2)} cores busy; at most ${waitQuietS} s)…`);
    told = true;
    busy = await machineBusyCores(5_000);
  }
  if (busy >= QUIET_CORES && waitQuietS > 0) log(`  machine still busy (${round(busy, 2)} cores): measuring anyway`);
  return busy;
}

async function phase(target: Target, profile: Profile): Promise<PhaseResult> {
  const busyCoresBefore = await waitForQuiet();
  const loadAtStart = loadavg1();
  log(`profile ${profile.name} · ${target}: ${profile.clients} clients / ${profile.rooms} rooms / ${profile.rate} edit/s each, warm-up ${warmupS} s, measured ${durationS} s`);
  const { server, rooms, database }: StartedTarget =
    target === "quorum"
      ? await startQuorum(profile)
      : {
          server:
            target === "bare"
              ? await startScript("bare-relay.ts", /bare-relay listening on (\d+)/)
              : await startScript("hocuspocus-server.ts", /hocuspocus listening on (\d+)/),
          rooms: anonymousRooms(profile),
          database: null,
        };
  try {
    const { result, cpuWindow, windowSeconds, otherCores } = await runLoad(loadConfig(target, profile, server.port, rooms), server.pid);
    const phaseResult: PhaseResult = {
      ...result,
      profile: profile.name,
      loadavg: { start: loadAtStart, end: loadavg1() },
      otherCores: round(otherCores, 2),
      busyCoresBefore: round(busyCoresBefore, 2),
      server: {
        cpuSecondsWindow: round(cpuWindow, 2),
        cpuShareWindow: round(cpuWindow / windowSeconds, 3),
        cpuSecondsTotal: round(cpuSeconds(server.pid), 2),
        peakRssMiB: round(peakRssMiB(server.pid), 1),
      },
    };
    if (database) phaseResult.database = database.kind;
    const warnings = server
      .logs()
      .split("\n")
      .filter((line) => /\[yjs\]|\[db\]|error|warn/i.test(line));
    if (warnings.length > 0) phaseResult.serverWarnings = warnings.slice(0, 20);
    printPhase(phaseResult);
    if (result.deniedClients > 0) {
      throw new Error(
        `${target} refused the edits of ${result.deniedClients} client(s) (permission denied: ${result.deniedReasons.map((r) => `« ${r} »`).join(", ")}): ` +
          "the benchmark's edits do not match what the server allows, nothing was measured",
      );
    }
    return phaseResult;
  } finally {
    await server.stop();
    await database?.dispose();
  }
}

/* ------------------------------------------------------------------------------------------------ report */

const ms = (value: number) => (Number.isFinite(value) ? round(value, 1).toFixed(1) : "NaN");

function printPhase(r: PhaseResult): void {
  const a = r.allPeers;
  log(
    `  ${r.target} [${r.profile}] edit→every peer: p50 ${ms(a.p50)} · p95 ${ms(a.p95)} · p99 ${ms(a.p99)} · max ${ms(a.max)} ms ` +
      `(${a.count} edits measured)`,
  );
  const d = r.perDelivery;
  log(`  ${r.target} [${r.profile}] per delivery:   p50 ${ms(d.p50)} · p95 ${ms(d.p95)} · p99 ${ms(d.p99)} · max ${ms(d.max)} ms`);
  const x = r.afterSend;
  log(`  ${r.target} [${r.profile}] from actual send: p50 ${ms(x.p50)} · p95 ${ms(x.p95)} · p99 ${ms(x.p99)} · max ${ms(x.max)} ms (without the generator's lag)`);
  if (r.ack) {
    log(`  ${r.target} [${r.profile}] ack to sender:   p50 ${ms(r.ack.p50)} · p95 ${ms(r.ack.p95)} · p99 ${ms(r.ack.p99)} · max ${ms(r.ack.max)} ms`);
  }
  log(
    `  ${r.target} [${r.profile}] sent ${r.editsSent}, lost ${r.lost} (${r.missingDeliveries} deliveries), ` +
      `converged ${r.converged ? "yes" : `NO (${r.divergentRooms.length} rooms)`}, closed during run ${r.closedDuringRun}, ` +
      `connect failures ${r.connectFailures}`,
  );
  log(
    `  ${r.target} [${r.profile}] server CPU ${r.server.cpuSecondsWindow} s in the window (${round(r.server.cpuShareWindow * 100, 1)} % of a core), ` +
      `${r.server.cpuSecondsTotal} s total, peak RSS ${r.server.peakRssMiB} MiB; generator CPU ${round(r.generator.cpuShare * 100, 1)} %, ` +
      `event-loop delay p99 ${r.generator.eventLoopDelayP99Ms} ms / max ${r.generator.eventLoopDelayMaxMs} ms, send lag p99 ${ms(r.sendLag.p99)} ms`,
  );
  log(
    `  ${r.target} [${r.profile}] worst seconds (max ms @ second): ` +
      r.worstSeconds.map((w) => `${ms(w.max)} @ ${w.second}`).join(", ") +
      `; other processes used ${r.otherCores} cores meanwhile (load average ${r.loadavg.start} → ${r.loadavg.end})`,
  );
  for (const warning of r.serverWarnings ?? []) log(`  server: ${warning}`);
}

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  return {
    nproc: os.cpus().length,
    model: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? "unknown",
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    loadavg: readFileSync("/proc/loadavg", "utf8").trim(),
  };
}

async function main() {
  const info = machine();
  log(`${started.toISOString()} · ${info.nproc} × ${info.model} · ${info.memoryGiB} GiB · node ${info.node} · load ${info.loadavg}`);
  log(`clients: ${clientKind}; targets: ${targets.join(", ")}; profiles: ${profiles.map((p) => p.name).join(", ")}`);
  const results: PhaseResult[] = [];
  for (const profile of profiles) {
    for (let round = 0; round < rounds; round++) {
      const order = targets.map((_, i) => targets[(i + round) % targets.length]);
      if (rounds > 1) log(`profile ${profile.name} · round ${round + 1}/${rounds}: ${order.join(", ")}`);
      for (const target of order) results.push({ ...(await phase(target, profile)), round: round + 1 });
    }
  }

  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(
    outFile,
    JSON.stringify({ started: started.toISOString(), argv: process.argv.slice(2), machine: info, durationS, warmupS, rounds, clientKind, results }, null, 2),
  );
  log(`results: ${path.relative(ROOT, outFile)}`);

  const headline = profiles.some((p) => p.name === "A") ? "A" : "B";
  /** The median over rounds of a target's p99 (its only p99 with one round). */
  const median = (target: Target, profile: "A" | "B", of: (r: (typeof results)[number]) => number) => {
    const values = results
      .filter((r) => r.target === target && r.profile === profile)
      .map(of)
      .sort((a, b) => a - b);
    if (values.length === 0) return NaN;
    const mid = Math.floor(values.length / 2);
    return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  };
  const p99 = (target: Target, profile: "A" | "B") => median(target, profile, (r) => r.allPeers.p99);
  /** The median over rounds of a server's CPU in the measured window (every round sends the same edits). */
  const cpu = (target: Target, profile: "A" | "B") => median(target, profile, (r) => r.server.cpuShareWindow);
  if (rounds > 1) {
    for (const profile of profiles) {
      for (const target of targets) {
        const each = results.filter((r) => r.target === target && r.profile === profile.name).map((r) => ms(r.allPeers.p99));
        log(`profile ${profile.name} · ${target}: p99 per round ${each.join(" / ")} ms → median ${ms(p99(target, profile.name))} ms`);
      }
    }
  }
  for (const profile of profiles) {
    const quorum = p99("quorum", profile.name);
    const bare = p99("bare", profile.name);
    const hocuspocus = p99("hocuspocus", profile.name);
    const checks = [
      `p99 ${ms(quorum)} ≤ ${profile.p99TargetMs} ms: ${quorum <= profile.p99TargetMs ? "ok" : "MISSED"}`,
      // Issue 19's profile-A targets: p99 within 1.2 × the bare relay's and below Hocuspocus's; CPU per edit not above
      // Hocuspocus's by more than a third (each target receives the same edits, so CPU per edit compares as CPU).
      ...(profile.name === "A" && Number.isFinite(bare) ? [`≤ 1.2 × bare (${ms(1.2 * bare)}): ${quorum <= 1.2 * bare ? "ok" : "MISSED"}`] : []),
      ...(profile.name === "A" && Number.isFinite(hocuspocus) ? [`< Hocuspocus (${ms(hocuspocus)}): ${quorum < hocuspocus ? "ok" : "MISSED"}`] : []),
      ...(profile.name === "A" && Number.isFinite(cpu("hocuspocus", "A"))
        ? [
            `CPU ${round(cpu("quorum", "A") / cpu("hocuspocus", "A"), 2)} × Hocuspocus's (≤ 1.33): ${
              cpu("quorum", "A") <= (4 / 3) * cpu("hocuspocus", "A") ? "ok" : "MISSED"
            }`,
          ]
        : []),
    ];
    if (targets.includes("quorum")) log(`profile ${profile.name} targets for Quorum: ${checks.join(" · ")}`);
    if (profile.name !== headline) {
      console.log(
        `profile_${profile.name}: quorum_p99_ms=${ms(quorum)} bare_p99_ms=${ms(bare)} hocuspocus_p99_ms=${ms(hocuspocus)}`,
      );
    }
  }
  const lost = results.reduce((sum, r) => sum + r.lost, 0);
  console.log(
    `quorum_p99_ms=${ms(p99("quorum", headline))} bare_p99_ms=${ms(p99("bare", headline))} ` +
      `hocuspocus_p99_ms=${ms(p99("hocuspocus", headline))} lost=${lost}`,
  );
}

// Interrupted: exit through process.exit so the harness's exit hook kills the Quorum server's process group.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error("[bench] failed:", error);
    process.exit(1);
  },
);
