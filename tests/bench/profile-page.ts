/**
 * Profiles the production server while one page is loaded in a closed loop (diagnostic, not a benchmark):
 *   node --import tsx tests/bench/profile-page.ts <live|jury|jury-data|sessions|dashboard|candidates|archives> [pglite|postgres] [seconds]
 * Writes bench-results/prof/<pid>.cpuprofile (every thread) and prints the top self times of the main thread.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { Pool } from "undici";
import { DEMO_ACCOUNTS, login, prepareDatabase, startServer } from "../support/server";

const [pageName = "live", kind = "postgres", secondsArg = "10"] = process.argv.slice(2);
const seconds = Number(secondsArg);
const postgresUrl = process.env.QUORUM_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl });
const server = await startServer({
  database,
  env: { NODE_OPTIONS: "--import=./tests/bench/cpu-profile.mjs", BENCH_PROFILE_ON_SIGNAL: "1", QUORUM_BENCH_STATS: "1" },
  bootTimeoutMs: 240_000,
});
const startedAt = Date.now();
try {
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
} finally {
  await server.stop();
  await database.dispose();
}
const dir = path.resolve("bench-results", "prof");
const files = readdirSync(dir)
  .map((f) => path.join(dir, f))
  .filter((f) => statSync(f).mtimeMs >= startedAt);
for (const f of files) {
  console.log(`\n# ${f}`);
  spawnSync(process.execPath, ["tests/bench/cpu-profile.mjs", f], { stdio: "inherit" });
}
