/**
 * Profiles the production server while one page is loaded in a closed loop (diagnostic, not a benchmark):
 *   node --import tsx tests/bench/profile-page.ts <live|jury|jury-data|sessions|dashboard|candidates|archives> [pglite|postgres] [seconds]
 * or while the render jobs produce the 30 grid PDFs of `npm run bench:pages` (tests/bench/pages-fixture.ts), no page
 * loaded, from the first job to the last (`seconds` ignored):
 *   node --import tsx tests/bench/profile-page.ts render [pglite|postgres] [noprof]
 * (`noprof`: without the profiler, to read the main thread's CPU per PDF from /proc, polling every 250 ms).
 * QUORUM_BENCH_HISTORY=<n> first adds n settled decisions of past years (tests/bench/volume-fixture.ts), as
 * `npm run bench:pages -- --history=<n>`; the pages of a secretariat's history are then profiled as well: declarations,
 * records, partials, decisions-csv, holders-csv.
 * Each page is first loaded 3,000 times at 10 connections, unprofiled (QUORUM_BENCH_WARM=<n>), then profiled at 1
 * connection (QUORUM_BENCH_CONNECTIONS=<n>).
 * QUORUM_BENCH_ECHO=1 prints the measured server's output (with QUORUM_BENCH_SQL=1: each statement, its rows and size).
 * Writes bench-results/prof/<pid>.cpuprofile (every thread) and prints the top self times of the main thread.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Pool } from "undici";
import { prepareDatabase, startServer } from "../support/server";
import { mainThreadCpuSeconds } from "./stats";
import { DEMO_PAGE_NAMES, demoPages, openRenderJobs, runRenderFixture, runVolumeFixture, waitForRenderJobs } from "./demo-pages";

const [pageName = "live", kind = "postgres", secondsArg = "10"] = process.argv.slice(2);
const seconds = Number(secondsArg);
const profiling = !(pageName === "render" && secondsArg === "noprof");
const postgresUrl = process.env.QUORUM_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl });
if (pageName === "render") {
  // The server seeds the demo organisation at its first start (the fixture builds on it) and renders its documents.
  const seeding = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" }, bootTimeoutMs: 240_000 });
  await waitForRenderJobs(seeding);
  await seeding.stop();
  await runRenderFixture(database, 25);
}
const history = Number(process.env.QUORUM_BENCH_HISTORY ?? 0);
if (history > 0) {
  const seeding = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" }, bootTimeoutMs: 240_000 });
  await waitForRenderJobs(seeding);
  await seeding.stop();
  await runVolumeFixture(database, history);
}
const server = await startServer({
  database,
  env: profiling
    ? { NODE_OPTIONS: "--import=./tests/bench/cpu-profile.mjs", BENCH_PROFILE_ON_SIGNAL: "1", QUORUM_BENCH_STATS: "1", QUORUM_QUERY_PLAN_FREEZE: "0" }
    : { QUORUM_BENCH_STATS: "1", QUORUM_QUERY_PLAN_FREEZE: "0" },
  bootTimeoutMs: 240_000,
  echo: process.env.QUORUM_BENCH_ECHO === "1",
});
const startedAt = Date.now();
try {
  if (pageName === "render") await profileRender();
  else await profilePage();
} finally {
  await server.stop();
  await database.dispose();
}
const dir = path.resolve("bench-results", "prof");
const files = (profiling ? readdirSync(dir) : [])
  .map((f) => path.join(dir, f))
  .filter((f) => statSync(f).mtimeMs >= startedAt);
for (const f of files) {
  console.log(`\n# ${f}`);
  spawnSync(process.execPath, ["tests/bench/cpu-profile.mjs", f], { stdio: "inherit" });
}

/** The render jobs of the fixture, profiled from just before they are due until none is left. */
async function profileRender() {
  const open = () => openRenderJobs(server);
  const total = await open();
  if (total < 30) console.log(`! only ${total} jobs left when the profiler starts (slow boot)`);
  if (profiling) process.kill(server.pid, "SIGUSR2");
  type Plans = Record<string, number>;
  const plansBefore = ((await (await fetch(`${server.baseUrl}/__bench/stats?reset=1`)).json()) as { queryPlans: Plans }).queryPlans;
  const started = performance.now();
  let first = NaN;
  let cpuAtFirst = NaN;
  for (let left = total; left > 0; left = await open()) {
    if (left < total && Number.isNaN(first)) {
      first = (performance.now() - started) / 1000;
      cpuAtFirst = mainThreadCpuSeconds(server.pid);
    }
    await new Promise((resolve) => setTimeout(resolve, profiling ? 50 : 250));
  }
  const cpuMs = (mainThreadCpuSeconds(server.pid) - cpuAtFirst) * 1000;
  const stats = (await (await fetch(`${server.baseUrl}/__bench/stats`)).json()) as { loopDelay: { p99: number; max: number }; queryPlans: Plans };
  console.log(
    `${total} render jobs: the first done ${first.toFixed(1)} s after the profiler started, the last ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; event loop delay meanwhile (idle wait included) ` +
      `p99 ${stats.loopDelay.p99.toFixed(1)} ms, max ${stats.loopDelay.max.toFixed(1)} ms; main thread from the first ` +
      `PDF stored to the last: ${cpuMs.toFixed(0)} ms of CPU, ${(cpuMs / (total - 1)).toFixed(1)} ms per PDF` +
      `${profiling ? " (profiler on)" : ""}`,
  );
  const plans = Object.entries(stats.queryPlans).map(([name, n]) => `${name} ${n - (plansBefore[name] ?? 0)}`);
  console.log(`query plans meanwhile (app/platform/db/query-plan-cache.server.ts): ${plans.join(", ")}`);
}

async function profilePage() {
  // Let the demo's render and issuance jobs finish first.
  await waitForRenderJobs(server);
  const page = (await demoPages(server)).find((candidate) => candidate.name === pageName);
  if (!page) throw new Error(`unknown page ${pageName}: one of render, ${DEMO_PAGE_NAMES.join(", ")}`);
  const { path: p, cookie } = page;
  const connections = Number(process.env.QUORUM_BENCH_CONNECTIONS ?? 1);
  const pool = new Pool(server.baseUrl, { connections });
  // Warm as `npm run bench:pages` does: V8 optimises a page's code over its first ~1,500 requests (30 used to profile
  // mostly code still interpreted). QUORUM_BENCH_WARM=<n> to change it.
  const warm = Number(process.env.QUORUM_BENCH_WARM ?? 3000);
  const warmPool = new Pool(server.baseUrl, { connections: 10 });
  let sent = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (sent++ < warm) await (await warmPool.request({ path: p, method: "GET", headers: { cookie } })).body.text();
    }),
  );
  await warmPool.close();
  process.kill(server.pid, "SIGUSR2");
  const end = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const res = await pool.request({ path: p, method: "GET", headers: { cookie } });
        await res.body.text();
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
        n++;
      }
    }),
  );
  await pool.close();
  console.log(`${n} requests of ${p} in ${seconds} s`);
}
