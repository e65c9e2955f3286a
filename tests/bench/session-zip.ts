/**
 * A session's whole file as a ZIP (`/archives/sessions/:id/dossier.zip`), for the 30-passage session of
 * `npm run bench:pages` (tests/bench/pages-fixture.ts: 30 grid PDFs rendered by the render jobs): per download, the
 * wall time, the server's main-thread CPU and the event loop's delay (lateness: decision 0015) while it is built,
 * measured with nothing else loaded (diagnostic, not part of `npm test`):
 *   node --import tsx tests/bench/session-zip.ts [pglite|postgres] [downloads]
 */
import { prepareDatabase, startServer, login, DEMO_ACCOUNTS, withSql } from "../support/server";
import { mainThreadCpuSeconds } from "./stats";
import { runRenderFixture, waitForRenderJobs } from "./demo-pages";

const [kind = "postgres", downloadsArg = "10"] = process.argv.slice(2);
const downloads = Number(downloadsArg);
const postgresUrl = process.env.QUORUM_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl });
const env = { QUORUM_BENCH_STATS: "1", QUORUM_QUERY_PLAN_FREEZE: "0" };
try {
  const seeding = await startServer({ database, env, bootTimeoutMs: 240_000 });
  await waitForRenderJobs(seeding);
  await seeding.stop();
  await runRenderFixture(database, 1);
  // QUORUM_BENCH_PROFILE=1: the main thread profiled over the measured downloads (bench-results/prof/<pid>.cpuprofile).
  const profiling = process.env.QUORUM_BENCH_PROFILE === "1";
  const server = await startServer({
    database,
    env: profiling ? { ...env, NODE_OPTIONS: "--import=./tests/bench/cpu-profile.mjs", BENCH_PROFILE_ON_SIGNAL: "1" } : env,
    bootTimeoutMs: 240_000,
  });
  try {
    await waitForRenderJobs(server);
    const [{ id }] = await withSql(database, (q) => q(`SELECT id FROM "Session" WHERE title = 'Banc d''essai — 30 grilles'`));
    const cookie = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    const url = `${server.baseUrl}/archives/sessions/${String(id)}/dossier.zip`;
    // One download to warm up, then the measured ones.
    await (await fetch(url, { headers: { cookie } })).arrayBuffer();
    const walls: number[] = [];
    let bytes = 0;
    if (profiling) process.kill(server.pid, "SIGUSR2");
    await fetch(`${server.baseUrl}/__bench/stats?reset=1`);
    const cpuBefore = mainThreadCpuSeconds(server.pid);
    for (let i = 0; i < downloads; i++) {
      const started = performance.now();
      const res = await fetch(url, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      bytes = (await res.arrayBuffer()).byteLength;
      walls.push(performance.now() - started);
    }
    const cpuMs = ((mainThreadCpuSeconds(server.pid) - cpuBefore) * 1000) / downloads;
    const stats = (await (await fetch(`${server.baseUrl}/__bench/stats`)).json()) as { loopDelay: { p99: number; max: number } };
    walls.sort((a, b) => a - b);
    console.log(
      `${kind}: session ZIP of ${(bytes / 1024).toFixed(0)} kB, ${downloads} downloads: wall p50 ${walls[Math.floor(downloads / 2)].toFixed(0)} ms, ` +
        `max ${walls.at(-1)!.toFixed(0)} ms; main thread ${cpuMs.toFixed(1)} ms per download; event loop delay p99 ` +
        `${stats.loopDelay.p99.toFixed(1)} ms, max ${stats.loopDelay.max.toFixed(1)} ms`,
    );
  } finally {
    await server.stop();
  }
} finally {
  await database.dispose();
}
