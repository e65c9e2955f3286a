/**
 * Profiles the production server while one page is loaded in a closed loop (diagnostic, not a benchmark):
 *   node --import tsx tests/bench/profile-page.ts <live|jury|jury-data|sessions|dashboard|candidates|archives> [pglite|postgres] [seconds]
 * or while the render jobs produce the 30 grid PDFs of `npm run bench:pages` (tests/bench/pages-fixture.ts), no page
 * loaded, from the first job to the last (`seconds` ignored):
 *   node --import tsx tests/bench/profile-page.ts render [pglite|postgres] [noprof]
 * (`noprof`: without the profiler, to read the main thread's CPU per PDF from /proc, polling every 250 ms).
 * QUORUM_BENCH_ECHO=1 prints the measured server's output (with QUORUM_BENCH_SQL=1: each statement, its rows and size).
 * Writes bench-results/prof/<pid>.cpuprofile (every thread) and prints the top self times of the main thread.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Pool } from "undici";
import { DEMO_ACCOUNTS, login, prepareDatabase, startServer, type TestDatabase } from "../support/server";
import { mainThreadCpuSeconds } from "./stats";
import { ROOT } from "../support/database";

const [pageName = "live", kind = "postgres", secondsArg = "10"] = process.argv.slice(2);
const seconds = Number(secondsArg);
const profiling = !(pageName === "render" && secondsArg === "noprof");
const postgresUrl = process.env.QUORUM_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl });
if (pageName === "render") {
  // The server seeds the demo organisation at its first start (the fixture builds on it) and renders its documents.
  const seeding = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" }, bootTimeoutMs: 240_000 });
  const open = async () => ((await (await fetch(`${seeding.baseUrl}/__bench/stats?renderJobs=1`)).json()) as { renderJobsOpen: number }).renderJobsOpen;
  while ((await open()) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  await seeding.stop();
  await runFixture(database, 25);
}
const server = await startServer({
  database,
  env: profiling
    ? { NODE_OPTIONS: "--import=./tests/bench/cpu-profile.mjs", BENCH_PROFILE_ON_SIGNAL: "1", QUORUM_BENCH_STATS: "1" }
    : { QUORUM_BENCH_STATS: "1" },
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
  const open = async () => {
    const res = await fetch(`${server.baseUrl}/__bench/stats?renderJobs=1`);
    return ((await res.json()) as { renderJobsOpen: number }).renderJobsOpen;
  };
  const total = await open();
  if (total < 30) console.log(`! only ${total} jobs left when the profiler starts (slow boot)`);
  if (profiling) process.kill(server.pid, "SIGUSR2");
  await fetch(`${server.baseUrl}/__bench/stats?reset=1`);
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
  const stats = (await (await fetch(`${server.baseUrl}/__bench/stats`)).json()) as { loopDelay: { p99: number; max: number } };
  console.log(
    `${total} render jobs: the first done ${first.toFixed(1)} s after the profiler started, the last ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s; event loop delay meanwhile (idle wait included) ` +
      `p99 ${stats.loopDelay.p99.toFixed(1)} ms, max ${stats.loopDelay.max.toFixed(1)} ms; main thread from the first ` +
      `PDF stored to the last: ${cpuMs.toFixed(0)} ms of CPU, ${(cpuMs / (total - 1)).toFixed(1)} ms per PDF` +
      `${profiling ? " (profiler on)" : ""}`,
  );
}

async function profilePage() {
  // Let the demo's render and issuance jobs finish first.
  const openJobs = async () =>
    ((await (await fetch(`${server.baseUrl}/__bench/stats?renderJobs=1`)).json()) as { renderJobsOpen: number }).renderJobsOpen;
  while ((await openJobs()) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  const president = await login(server.baseUrl, DEMO_ACCOUNTS.president);
  const secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  const html = await (await fetch(`${server.baseUrl}/sessions`, { headers: { cookie: president } })).text();
  const links = [...html.matchAll(/href="\/sessions\/([A-Za-z0-9_-]+)"[^>]*>([^<]+)</g)].map((m) => ({ id: m[1], title: m[2] }));
  const commission = links.find((l) => l.title.startsWith("Commission d"))!.id;
  const jury = links.find((l) => l.title.startsWith("Jury paritaire"))!.id;
  const paths: Record<string, [string, string]> = {
    live: [`/sessions/${commission}`, president],
    jury: [`/sessions/${jury}`, president],
    "jury-data": [`/sessions/${jury}/jury`, president],
    sessions: ["/sessions", president],
    dashboard: ["/", president],
    candidates: ["/candidates", secretariat],
    archives: ["/archives", secretariat],
  };
  const [p, cookie] = paths[pageName];
  const pool = new Pool(server.baseUrl, { connections: 1 });
  for (let i = 0; i < 30; i++) await (await pool.request({ path: p, method: "GET", headers: { cookie } })).body.text();
  process.kill(server.pid, "SIGUSR2");
  const end = performance.now() + seconds * 1000;
  let n = 0;
  while (performance.now() < end) {
    const res = await pool.request({ path: p, method: "GET", headers: { cookie } });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    n++;
  }
  await pool.close();
  console.log(`${n} requests of ${p} in ${seconds} s`);
}

/** tests/bench/pages-fixture.ts on the database (no server running on it): 30 grid render jobs due in `delay` s. */
function runFixture(db: TestDatabase, delaySeconds: number): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...db.env };
  if (!db.env.DATABASE_URL) delete env.DATABASE_URL;
  if (!db.env.QUORUM_DATA_DIR) delete env.QUORUM_DATA_DIR;
  const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/pages-fixture.ts", String(delaySeconds)], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pages-fixture.ts exited ${code}`)))),
  );
}
