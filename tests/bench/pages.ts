/**
 * `npm run bench:pages` — how fast Quorum's pages answer, on the production server, on PGlite and on PostgreSQL,
 * in one run:
 *   - the live room (`/sessions/:id` of the demo commission), the jury room (`/sessions/:id` of the demo jury, and
 *     its read model `/sessions/:id/jury`), `/sessions`, the dashboard `/`, `/candidates` and `/archives`,
 *     each at 1, 10 and 50 connections (a closed loop of undici connections, each sending its next request when
 *     the previous answer has been read);
 *   - per page and load: requests/s, p50/p95/p99, the server's CPU per request (process.cpuUsage of the whole
 *     process — PGlite's worker thread included) and SQL statements per request (counted at the driver adapter);
 *   - the server's RSS after start and after the page run;
 *   - the event loop's delay (monitorEventLoopDelay p99, max) while a 30-passage set of grid PDFs is produced by
 *     the render jobs, with the live room loaded at 1 connection meanwhile.
 * The server runs with QUORUM_BENCH_STATS=1, which enables the counters and GET /__bench/stats (server.ts).
 *
 * Options:
 *   --duration=<s>        measured seconds per page and load (default 5)     --warmup=<s>  (default 1)
 *   --warm-all=<n>        before the first point, every page loaded until it has answered n requests at 10
 *                         connections (default 3000, at most 60 s a page): V8 optimises (and deoptimises, and optimises
 *                         again) a page's code over its first ~1,500 requests, on its helper threads. The desk at 10
 *                         connections read 13.8 + 7.1 ms of CPU per request (main thread + the others) over its first
 *                         264 requests, 9.3 + 2.6 around the 1,000th, 8.2 + 1.4 from the 1,600th on; the live room
 *                         on PGlite at 1 connection 6.4 + 4.1 until the 2,300th, 4.7 + 2.8 after (2026-12-04, 22:20-
 *                         22:30); with 3 s a page (until then) the first points measured the warm-up
 *   --connections=1,10,50 loads                                              --databases=pglite,postgres
 *   --pages=live,jury,...  subset (live, jury, jury-data, sessions, dashboard, desk, candidates, archives), or the
 *                         lists that grow with history (declarations, records, partials, decisions-csv)
 *   --postgres=<url>      admin URL (default postgres://postgres@127.0.0.1:5432/test; a fresh database is
 *                         cloned from the test template there)
 *   --skip-build          use the existing build/ (default: `npm run build` first)
 *   --no-docs             do not rewrite the figures section of docs/benchmarks.md
 *   --history=<n>         first add n final jury decisions of past years to the demo organisation
 *                         (tests/bench/volume-fixture.ts: a secretariat's years of history); implies --no-docs and
 *                         skips the PDF phase (the figures section is the demo's)
 * The machine may be shared: the 1-minute load average is printed beside each database's figures.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool } from "undici";
import { prepareDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { ROOT } from "../support/database";
import { DEMO_PAGE_NAMES, demoPages, type DemoPage, runRenderFixture, runVolumeFixture, waitForRenderJobs } from "./demo-pages";
import { mainThreadCpuSeconds, round, summarize } from "./stats";

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const durationS = Number(option("duration") ?? 5);
const warmupS = Number(option("warmup") ?? 1);
const warmAllRequests = Number(option("warm-all") ?? 3000);
const loads = (option("connections") ?? "1,10,50").split(",").map(Number);
const databases = (option("databases") ?? "pglite,postgres").split(",") as ("pglite" | "postgres")[];
const postgresUrl = option("postgres") ?? "postgres://postgres@127.0.0.1:5432/test";
const log = (message: string) => console.log(message);

const history = Number(option("history") ?? 0);
const selectedPages: string[] = option("pages")?.split(",") ?? [...DEMO_PAGE_NAMES];

type Page = DemoPage;
type Stats = { cpuMs: number; rssMiB: number; queries: number; loopDelay: { p50: number; p99: number; max: number; count: number }; renderJobsOpen: number | null };
type Point = {
  page: string;
  label: string;
  connections: number;
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMsPerRequest: number;
  queriesPerRequest: number;
  /** The server's event-loop delay p99 over the point: how late a 10 ms timer fired (monitorEventLoopDelay's interval
   * minus the period; idle reads ~0.2 ms; figures before 2026-12-03 09:00 included the 10 ms period). */
  loopDelayP99: number;
  /** CPU of the server's main thread (the event loop) alone per request, from /proc. */
  mainCpuMsPerRequest: number;
};
type DatabaseResult = {
  database: "pglite" | "postgres";
  loadavg: { start: number; end: number };
  rssAfterStartMiB: number;
  rssAfterRunMiB: number;
  points: Point[];
  render: {
    pdfs: number;
    seconds: number;
    loopDelayP99: number;
    loopDelayMax: number;
    pageP95: number;
    pageRps: number;
    /** Main-thread CPU over the phase, the live room's requests included (per PDF alone: profile-page.ts render … noprof). */
    mainCpuMs?: number;
  } | null;
};

async function stats(server: TestServer, query = ""): Promise<Stats> {
  const res = await fetch(`${server.baseUrl}/__bench/stats${query}`);
  if (!res.ok) throw new Error(`/__bench/stats: HTTP ${res.status} (is QUORUM_BENCH_STATS=1 honoured?)`);
  return (await res.json()) as Stats;
}

/** Closed loop: `connections` workers each send a request, read the whole answer, send the next (for `seconds`, or
 * until `maxRequests` have been sent). */
async function hammer(server: TestServer, page: Page, connections: number, seconds: number, maxRequests = Infinity) {
  const pool = new Pool(server.baseUrl, { connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let firstError = "";
  const end = performance.now() + seconds * 1000;
  let sent = 0;
  const worker = async () => {
    while (performance.now() < end && sent++ < maxRequests) {
      const started = performance.now();
      try {
        const res = await pool.request({ path: page.path, method: "GET", headers: { cookie: page.cookie } });
        const body = await res.body.text();
        if (res.statusCode !== 200) {
          errors++;
          firstError ||= `HTTP ${res.statusCode}: ${body.slice(0, 200)}`;
        } else latencies.push(performance.now() - started);
      } catch (error) {
        errors++;
        firstError ||= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  if (firstError) log(`    ! ${page.path}: ${errors} error(s), first: ${firstError}`);
  return { latencies, errors };
}

async function measure(server: TestServer, page: Page, connections: number): Promise<Point> {
  if (warmupS > 0) await hammer(server, page, connections, warmupS);
  const before = await stats(server, "?reset=1"); // the event-loop histogram restarts here
  const mainBefore = mainThreadCpuSeconds(server.pid);
  const started = performance.now();
  const { latencies, errors } = await hammer(server, page, connections, durationS);
  const seconds = (performance.now() - started) / 1000;
  const mainAfter = mainThreadCpuSeconds(server.pid);
  const after = await stats(server);
  const requests = latencies.length + errors;
  const s = summarize(latencies);
  return {
    page: page.name,
    label: page.label,
    connections,
    requests,
    errors,
    rps: round(latencies.length / seconds, 1),
    p50: round(s.p50, 1),
    p95: round(s.p95, 1),
    p99: round(s.p99, 1),
    cpuMsPerRequest: round((after.cpuMs - before.cpuMs) / Math.max(1, requests), 1),
    // The stats call itself sends no SQL.
    queriesPerRequest: round((after.queries - before.queries) / Math.max(1, requests), 1),
    loopDelayP99: round(after.loopDelay.p99, 1),
    mainCpuMsPerRequest: round(((mainAfter - mainBefore) * 1000) / Math.max(1, requests), 1),
  };
}

async function pagesOf(server: TestServer): Promise<Page[]> {
  return (await demoPages(server)).filter((p) => selectedPages.includes(p.name));
}

// As in production: cached query plans are not frozen (tests/support/server.ts freezes them for the tests).
const SERVER_ENV = { QUORUM_BENCH_STATS: "1", QUORUM_QUERY_PLAN_FREEZE: "0" };

/** 30 grid PDFs rendered by the render jobs while the live room is loaded: the event loop's delay meanwhile. */
async function measureRender(database: TestDatabase): Promise<DatabaseResult["render"]> {
  const delaySeconds = 15;
  await runRenderFixture(database, delaySeconds);
  const server = await startServer({ database, env: SERVER_ENV, bootTimeoutMs: 240_000 });
  try {
    const [live] = (await pagesOf(server)).filter((p) => p.name === "live");
    const open = async () => (await stats(server, "?renderJobs=1")).renderJobsOpen ?? 0;
    // Wait for the jobs to become due, then measure from their start to the last one's end.
    const total = await open();
    while ((await stats(server, "?renderJobs=1")).renderJobsOpen === total) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stats(server, "?reset=1");
    const mainBefore = mainThreadCpuSeconds(server.pid);
    const started = performance.now();
    let done = false;
    const latencies: number[] = [];
    const load = (async () => {
      while (!done) {
        const { latencies: l } = await hammer(server, live, 1, 1);
        latencies.push(...l);
      }
    })();
    const deadline = Date.now() + 300_000;
    while ((await open()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const seconds = (performance.now() - started) / 1000;
    const mainCpuMs = (mainThreadCpuSeconds(server.pid) - mainBefore) * 1000;
    const after = await stats(server);
    done = true;
    await load;
    const s = summarize(latencies);
    return {
      pdfs: total,
      seconds: round(seconds, 1),
      loopDelayP99: round(after.loopDelay.p99, 1),
      loopDelayMax: round(after.loopDelay.max, 1),
      pageP95: round(s.p95, 1),
      pageRps: round(latencies.length / seconds, 1),
      mainCpuMs: round(mainCpuMs, 0),
    };
  } finally {
    await server.stop();
  }
}

/**
 * A fresh database from the test template. On the shared PostgreSQL another checkout with other migrations may be
 * rebuilding the template at that moment ("template database … does not exist"): try again a few times.
 */
async function prepareWithRetry(kind: "pglite" | "postgres"): Promise<TestDatabase> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl });
    } catch (error) {
      if (attempt >= 5) throw error;
      log(`  database not ready (${String(error).slice(0, 120)}), trying again…`);
      await new Promise((resolve) => setTimeout(resolve, 5_000 * attempt));
    }
  }
}

async function runDatabase(kind: "pglite" | "postgres"): Promise<DatabaseResult> {
  log(`\n== ${kind} ==`);
  const database = await prepareWithRetry(kind);
  if (history > 0) {
    // The demo is seeded (and its documents rendered) at the first start; the history goes in with no server on it.
    const seeding = await startServer({ database, env: SERVER_ENV, bootTimeoutMs: 240_000 });
    await waitForRenderJobs(seeding);
    await seeding.stop();
    await runVolumeFixture(database, history);
  }
  const loadStart = os.loadavg()[0];
  try {
    const server = await startServer({ database, env: SERVER_ENV, bootTimeoutMs: 240_000 });
    let points: Point[] = [];
    let rssAfterStartMiB = NaN;
    let rssAfterRunMiB = NaN;
    try {
      rssAfterStartMiB = round((await stats(server)).rssMiB, 0);
      log(`  server RSS after start: ${rssAfterStartMiB} MiB`);
      // The demo's documents are rendered (and its credentials issued) by jobs right after start: their CPU must not
      // be charged to the first page measured.
      await waitForRenderJobs(server);
      const pages = await pagesOf(server);
      if (warmAllRequests > 0) for (const page of pages) await hammer(server, page, 10, 60, warmAllRequests);
      for (const page of pages) {
        for (const connections of loads) {
          const point = await measure(server, page, connections);
          points.push(point);
          log(
            `  ${page.name.padEnd(10)} c=${String(connections).padStart(2)}  ${String(point.rps).padStart(6)} req/s  ` +
              `p50 ${point.p50} p95 ${point.p95} p99 ${point.p99} ms  cpu ${point.cpuMsPerRequest} ms/req  ` +
              `${point.queriesPerRequest} queries/req  main thread ${point.mainCpuMsPerRequest} ms/req  loop p99 ${point.loopDelayP99} ms` +
              `${point.errors ? `  ${point.errors} errors` : ""}`,
          );
        }
      }
      rssAfterRunMiB = round((await stats(server)).rssMiB, 0);
      log(`  server RSS after the run: ${rssAfterRunMiB} MiB`);
      // The demo's own documents are rendered at the first start: done before the render phase, which measures
      // the 30 grids alone.
      await waitForRenderJobs(server);
    } finally {
      await server.stop();
    }
    if (history === 0 && selectedPages.includes("live")) log("  rendering 30 grid PDFs under load…");
    // The PDF phase loads the live room meanwhile: measured only when the live room is among the pages.
    const render = history === 0 && selectedPages.includes("live") ? await measureRender(database) : null;
    if (render) {
      log(
        `  ${render.pdfs} PDFs in ${render.seconds} s: event loop delay p99 ${render.loopDelayP99} ms (max ${render.loopDelayMax}); ` +
          `live room meanwhile ${render.pageRps} req/s, p95 ${render.pageP95} ms; main thread ${render.mainCpuMs} ms of CPU`,
      );
    }
    points = points.slice();
    return { database: kind, loadavg: { start: round(loadStart, 2), end: round(os.loadavg()[0], 2) }, rssAfterStartMiB, rssAfterRunMiB, points, render };
  } finally {
    await database.dispose();
  }
}

function markdown(results: DatabaseResult[]): string {
  const lines: string[] = [];
  const when = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  lines.push(
    `Last run: ${when}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), Node ${process.version}; ` +
      `${durationS} s per point after ${warmupS} s of warm-up, every page first loaded ${warmAllRequests} times at 10 connections. CPU = the server process's CPU (all threads) per request.`,
  );
  for (const r of results) {
    lines.push("", `### ${r.database === "pglite" ? "PGlite (embedded)" : "PostgreSQL"}`, "");
    lines.push(
      `Load average ${r.loadavg.start} → ${r.loadavg.end} (other sessions share the machine). ` +
        `Server RSS: ${r.rssAfterStartMiB} MiB after start, ${r.rssAfterRunMiB} MiB after the page run.`,
      "",
    );
    const header = ["Page", "Queries/req", "CPU ms/req", ...loads.map((c) => `${c} conn.: req/s · p50/p95/p99 ms`)];
    lines.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`);
    for (const name of [...new Set(r.points.map((p) => p.page))]) {
      const points = r.points.filter((p) => p.page === name);
      const cpu = points.map((p) => p.cpuMsPerRequest);
      const cells = loads.map((c) => {
        const p = points.find((x) => x.connections === c);
        return p ? `${p.rps} · ${p.p50}/${p.p95}/${p.p99}${p.errors ? ` (${p.errors} err.)` : ""}` : "–";
      });
      lines.push(`| ${points[0].label} | ${points[0].queriesPerRequest} | ${Math.min(...cpu)}–${Math.max(...cpu)} | ${cells.join(" | ")} |`);
    }
    if (r.render) {
      const alone = r.points.find((p) => p.page === "live" && p.connections === 1)?.loopDelayP99;
      lines.push(
        "",
        `30 grid PDFs rendered by the render jobs in ${r.render.seconds} s while the live room was loaded at 1 ` +
          `connection (${r.render.pageRps} req/s, p95 ${r.render.pageP95} ms): event loop delay p99 ` +
          `**${r.render.loopDelayP99} ms**, max ${r.render.loopDelayMax} ms` +
          `${alone !== undefined ? ` (the live room alone at 1 connection, no PDF: p99 ${alone} ms)` : ""}.`,
      );
    }
  }
  return lines.join("\n");
}

const START = "<!-- bench:pages:start -->";
const END = "<!-- bench:pages:end -->";

function writeDocs(section: string) {
  const file = path.join(ROOT, "docs", "benchmarks.md");
  const text = readFileSync(file, "utf8");
  const block = `${START}\n${section}\n${END}`;
  const next = text.includes(START)
    ? text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length)
    : `${text.trimEnd()}\n\n# Page benchmark\n\n\`npm run bench:pages\` (tests/bench/pages.ts).\n\n${block}\n`;
  writeFileSync(file, next);
  log(`\nfigures written to docs/benchmarks.md`);
}

async function main() {
  if (!flag("skip-build")) {
    log("npm run build…");
    const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr?.toString() ?? ""}`);
  }
  // Each database's figures are saved as soon as they exist (bench-results/pages-<database>.json); the docs show
  // this run's, and for a database not run this time (--databases=…) its last saved ones.
  mkdirSync(path.join(ROOT, "bench-results"), { recursive: true });
  const saved = (kind: string) => path.join(ROOT, "bench-results", `pages-${kind}.json`);
  const results: DatabaseResult[] = [];
  for (const kind of ["pglite", "postgres"] as const) {
    if (databases.includes(kind)) {
      const result = await runDatabase(kind);
      writeFileSync(saved(kind), JSON.stringify(result, null, 2));
      results.push(result);
    } else if (existsSync(saved(kind))) {
      results.push(JSON.parse(readFileSync(saved(kind), "utf8")) as DatabaseResult);
    }
  }
  const section = markdown(results);
  log(`\n${section}`);
  if (!flag("no-docs") && history === 0) writeDocs(section);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
