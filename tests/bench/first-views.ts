/**
 * Pages opened for the first time (diagnostic): the page benchmark loads the same URL as the same person again and
 * again, so every read it sends is answered from a cached plan; a secretariat going through its candidates, or twelve
 * jury members each opening their room once, send reads naming ids the server has not seen yet. This opens every
 * candidate's and every dossier's page of the demo once as the secretariat, and every session's page once as the
 * president and as the secretariat, on two servers (A and B, as tests/bench/ab-pages.ts), and prints each server's CPU
 * per page and its query-plan counters.
 *   node --import tsx tests/bench/first-views.ts [--a-root=<checkout>] [--b-root=<checkout>] [--embedded]
 *     [--a-env=K=V,…] [--b-env=K=V,…]
 */
import { Pool } from "undici";
import { prepareDatabase, startServer, type TestServer } from "../support/server";
import { demoPages, waitForRenderJobs } from "./demo-pages";
import { cpuSeconds, round } from "./stats";

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const embedded = process.argv.includes("--embedded");

type Visit = { path: string; cookie: string };

async function start(name: "A" | "B") {
  const lower = name.toLowerCase();
  const database = await prepareDatabase(embedded ? { embedded: true } : { postgresUrl: "postgres://postgres@127.0.0.1:5432/test" });
  const extra = Object.fromEntries((option(`${lower}-env`) ?? "").split(",").filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
  const server = await startServer({ database, root: option(`${lower}-root`), env: { QUORUM_BENCH_STATS: "1", QUORUM_QUERY_PLAN_FREEZE: "0", ...extra }, bootTimeoutMs: 240_000 });
  await waitForRenderJobs(server);
  return { name, server, dispose: async () => { await server.stop(); await database.dispose(); } };
}

/** The pages to open once: every candidate, dossier and session linked from the lists. */
async function visitsOf(server: TestServer): Promise<{ visits: Visit[]; warm: Visit[] }> {
  const pages = await demoPages(server);
  const cookieOf = (name: string) => pages.find((p) => p.name === name)!.cookie;
  const secretariat = cookieOf("desk");
  const president = cookieOf("dashboard");
  const links = async (path: string, cookie: string, pattern: RegExp) => {
    const html = await (await fetch(`${server.baseUrl}${path}`, { headers: { cookie } })).text();
    return [...new Set([...html.matchAll(pattern)].map((m) => m[1]!))];
  };
  const candidates = await links("/candidates", secretariat, /href="(\/candidates\/c[a-z0-9]{24})"/g);
  const dossiers = (await Promise.all(candidates.map((c) => links(c, secretariat, /href="(\/dossiers\/c[a-z0-9]{24})"/g)))).flat();
  const sessions = await links("/sessions", president, /href="(\/sessions\/c[a-z0-9]{24})"/g);
  const visits = [
    ...candidates.map((path) => ({ path, cookie: secretariat })),
    ...[...new Set(dossiers)].map((path) => ({ path, cookie: secretariat })),
    ...sessions.flatMap((path) => [{ path, cookie: president }, { path, cookie: secretariat }]),
  ];
  // The lists themselves were opened above (JIT and the lists' own plans warm).
  return { visits, warm: pages.slice(0, 8).map(({ path, cookie }) => ({ path, cookie })) };
}

async function open(server: TestServer, visits: Visit[]) {
  const pool = new Pool(server.baseUrl, { connections: 1 });
  const before = cpuSeconds(server.pid);
  const started = performance.now();
  for (const { path, cookie } of visits) {
    const res = await pool.request({ path, method: "GET", headers: { cookie } });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode}`);
  }
  const result = { cpuMs: (cpuSeconds(server.pid) - before) * 1000, wallMs: performance.now() - started };
  await pool.close();
  return result;
}

const variants = [await start("A"), await start("B")];
try {
  for (const v of variants) {
    const { visits, warm } = await visitsOf(v.server);
    for (let i = 0; i < 20; i++) await open(v.server, warm);
    const plans = async () => ((await (await fetch(`${v.server.baseUrl}/__bench/stats`)).json()) as { queryPlans: Record<string, number> }).queryPlans;
    const before = await plans();
    const first = await open(v.server, visits);
    const after = await plans();
    const again = await open(v.server, visits);
    const delta = Object.entries(after).map(([k, n]) => `${k} ${n - (before[k] ?? 0)}`).join(", ");
    console.log(
      `${v.name}: ${visits.length} pages opened once: ${round(first.cpuMs / visits.length, 2)} ms CPU and ${round(first.wallMs / visits.length, 2)} ms per page ` +
        `(opened again: ${round(again.cpuMs / visits.length, 2)} ms CPU, ${round(again.wallMs / visits.length, 2)} ms); query plans: ${delta}`,
    );
  }
} finally {
  for (const v of variants) await v.dispose();
}
