/**
 * Two servers measured side by side, in alternating windows, so that both see the same machine (diagnostic): on a
 * shared 2-core VM the same build reads ±30 % of CPU per page from one run to the next, which hides a 5 % change.
 *   node --import tsx tests/bench/ab-pages.ts [--pages=jury,live] [--rounds=12] [--window=2] [--warm=5]
 *     [--a-root=<checkout>] [--b-root=<checkout>]      builds to compare (each with its own ./build and node_modules)
 *     [--a-postgres=<url>] [--b-postgres=<url>]        PostgreSQL to run on (default 127.0.0.1:5432, database test)
 *     [--embedded]                                     both on PGlite instead
 *     [--a-env=K=V,K2=V2] [--b-env=K=V]                 extra environment of a server (e.g. --b-env=QUORUM_PG_PREPARED=0)
 *     [--connections=1]                                closed-loop clients per window (e.g. 50 to compare under a crowd)
 * `warm`: seconds each page is first loaded on each server, unmeasured (V8 is still optimising a page's code for its
 * first thousand or so requests: 30 s takes the desk to its steady state).
 * Each round loads each page on A then B (B then A the next round) for `window` seconds at 1 connection, and reads
 * each server's CPU (every thread, /proc) over its window. Prints per page and server: requests/s and CPU per request
 * (median of the windows and overall), the p95 of every window's answers, and B against A.
 */
import { Pool } from "undici";
import { prepareDatabase, startServer, type TestServer } from "../support/server";
import { demoPages, waitForRenderJobs } from "./demo-pages";
import { cpuSeconds, round, summarize } from "./stats";

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const pages = (option("pages") ?? "jury,live").split(",");
const rounds = Number(option("rounds") ?? 12);
const windowMs = Number(option("window") ?? 2) * 1000;
const warmMs = Number(option("warm") ?? 5) * 1000;
const embedded = process.argv.includes("--embedded");
const connections = Number(option("connections") ?? 1);
const defaultUrl = "postgres://postgres@127.0.0.1:5432/test";

type Variant = { name: "A" | "B"; server: TestServer; dispose: () => Promise<void>; paths: Map<string, { path: string; cookie: string }> };

async function start(name: "A" | "B"): Promise<Variant> {
  const lower = name.toLowerCase();
  const database = await prepareDatabase(embedded ? { embedded: true } : { postgresUrl: option(`${lower}-postgres`) ?? defaultUrl });
  const extra = Object.fromEntries((option(`${lower}-env`) ?? "").split(",").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
  const env = { QUORUM_BENCH_STATS: "1", QUORUM_QUERY_PLAN_FREEZE: "0", ...extra };
  const server = await startServer({ database, root: option(`${lower}-root`), env, bootTimeoutMs: 240_000 });
  await waitForRenderJobs(server);
  const paths = new Map((await demoPages(server)).map((p) => [p.name, { path: p.path, cookie: p.cookie }]));
  return { name, server, paths, dispose: async () => { await server.stop(); await database.dispose(); } };
}

async function load(variant: Variant, page: string, ms: number): Promise<{ requests: number; cpu: number; latencies: number[] }> {
  const { path, cookie } = variant.paths.get(page)!;
  const pool = new Pool(variant.server.baseUrl, { connections });
  const cpuBefore = cpuSeconds(variant.server.pid);
  const deadline = Date.now() + ms;
  let requests = 0;
  const latencies: number[] = [];
  const client = async () => {
    while (Date.now() < deadline) {
      const sent = performance.now();
      const res = await pool.request({ path, method: "GET", headers: { cookie } });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`${variant.name} ${path}: ${res.statusCode}`);
      latencies.push(performance.now() - sent);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const cpu = cpuSeconds(variant.server.pid) - cpuBefore;
  await pool.close();
  return { requests, cpu, latencies };
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

const variants = [await start("A"), await start("B")];
try {
  for (const page of pages) {
    for (const v of variants) await load(v, page, warmMs); // warm-up (JIT, caches)
    const windows = new Map(variants.map((v) => [v.name, [] as { requests: number; cpu: number; latencies: number[] }[]]));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) windows.get(v.name)!.push(await load(v, page, windowMs));
    }
    const line = (name: "A" | "B") => {
      const w = windows.get(name)!;
      const requests = w.reduce((s, x) => s + x.requests, 0);
      const cpu = w.reduce((s, x) => s + x.cpu, 0);
      return {
        reqPerS: requests / ((w.length * windowMs) / 1000),
        cpuMs: (cpu / requests) * 1000,
        cpuMsMedian: median(w.map((x) => (x.cpu / x.requests) * 1000)),
        p95: summarize(w.flatMap((x) => x.latencies)).p95,
      };
    };
    const a = line("A");
    const b = line("B");
    console.log(
      `${page} (${connections} conn.): A ${round(a.reqPerS)} req/s, ${round(a.cpuMs, 2)} ms CPU/req (median ${round(a.cpuMsMedian, 2)}), p95 ${round(a.p95)} ms | ` +
        `B ${round(b.reqPerS)} req/s, ${round(b.cpuMs, 2)} ms (median ${round(b.cpuMsMedian, 2)}), p95 ${round(b.p95)} ms | B/A CPU ${round(b.cpuMs / a.cpuMs, 3)}, req/s ${round(b.reqPerS / a.reqPerS, 3)}`,
    );
  }
} finally {
  for (const v of variants) await v.dispose();
}
