/**
 * `node --import tsx tests/bench/page-queries.ts [path…]` — the SQL statements one request of a page sends, counted at
 * the driver adapter as `npm run bench:pages` counts them (QUORUM_BENCH_STATS=1, GET /__bench/stats), without the
 * load: a fresh demo database (PGlite, or PostgreSQL with QUORUM_TEST_TIER=postgres), the render jobs of the first
 * start left to finish, each page requested once to warm it, then once measured. QUORUM_BENCH_SQL=1 prints the
 * statements. Default pages: the dashboard `/` and `/archives`, as the secretariat and as a member.
 */
import { DEMO_ACCOUNTS, login, startServer } from "../support/server";

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/", "/archives"];

const server = await startServer({ env: { QUORUM_BENCH_STATS: "1" }, bootTimeoutMs: 240_000, echo: process.env.QUORUM_BENCH_SQL === "1" });
try {
  const stats = async (query = "") => (await (await fetch(`${server.baseUrl}/__bench/stats${query}`)).json()) as { queries: number; cpuMs: number; renderJobsOpen: number | null };
  const deadline = Date.now() + 240_000;
  while (((await stats("?renderJobs=1")).renderJobsOpen ?? 0) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const viewers = { secretariat: await login(server.baseUrl, DEMO_ACCOUNTS.secretariat), member: await login(server.baseUrl, DEMO_ACCOUNTS.membre1) };
  for (const path of paths) {
    for (const [who, cookie] of Object.entries(viewers)) {
      const get = async () => {
        const res = await fetch(`${server.baseUrl}${path}`, { headers: { cookie } });
        await res.text();
        return res.status;
      };
      await get();
      if (process.env.QUORUM_BENCH_SQL === "1") console.log(`--- ${path} (${who})`);
      const before = await stats();
      const status = await get();
      const after = await stats();
      console.log(`${path} (${who}): HTTP ${status}, ${after.queries - before.queries} SQL statements, ${(after.cpuMs - before.cpuMs).toFixed(1)} ms CPU`);
    }
  }
} finally {
  await server.stop();
}
