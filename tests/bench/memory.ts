/**
 * Where the production server's memory goes (diagnostic, not a benchmark):
 *   node --import tsx tests/bench/memory.ts [pglite|postgres] [seconds per page and load, default 3]
 * Starts the server on a fresh database with ./memory-probe.mjs loaded in every thread, and prints, 3 s after start,
 * after the pages of `npm run bench:pages` were loaded at 1, 10 and 50 connections, and 10 s later: the RSS, each V8
 * isolate's heap, the WebAssembly memories, the largest mappings and the server's CPU per request. The full reports
 * land in bench-results/mem/. MEMORY_SERVER_ENV=NAME=value,… adds server env (MEMORY_PROBE_GC=1: collect garbage
 * before reading; MEMORY_PROBE_SNAPSHOT=1: also write the main thread's heap snapshot).
 */
import { readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool } from "undici";
import { prepareDatabase, startServer, type TestServer } from "../support/server";
import { demoPages } from "./demo-pages";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const [kind = "postgres", secondsArg = "3"] = args;
const seconds = Number(secondsArg);
const postgresUrl = process.env.QUORUM_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const extraEnv = Object.fromEntries(
  (process.env.MEMORY_SERVER_ENV ?? "")
    .split(",")
    .filter(Boolean)
    .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);

type Report = {
  rssMiB: number;
  threads: string[];
  isolates: { threadId: number; name: string; heapTotalMiB: number; heapUsedMiB: number; externalMiB: number; arrayBuffersMiB: number; mallocedMiB: number; codeAndMetadataMiB: number }[];
  rollup: Record<string, number>;
  wasmMemoriesMiB: number[];
  topMappings: { file: string; rssMiB: number }[];
};

async function report(server: TestServer, label: string): Promise<Report> {
  const file = path.resolve("bench-results", "mem", `${server.pid}.json`);
  rmSync(file, { force: true });
  process.kill(server.pid, "SIGUSR2");
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      const r = JSON.parse(readFileSync(file, "utf8")) as Report;
      const { rollup } = r;
      console.log(`\n## ${label} (load average ${os.loadavg()[0].toFixed(2)})`);
      console.log(
        `RSS ${r.rssMiB} MiB = anonymous ${rollup.Anonymous} + file-backed ${Math.round((rollup.Rss - rollup.Anonymous) * 10) / 10}; ` +
          `${r.threads.length} threads`,
      );
      for (const t of r.isolates.sort((a, b) => a.threadId - b.threadId)) {
        console.log(
          `  isolate ${t.threadId} ${t.name.padEnd(7)} heap ${t.heapUsedMiB}/${t.heapTotalMiB} MiB, external ${t.externalMiB} ` +
            `(array buffers ${t.arrayBuffersMiB}), malloced ${t.mallocedMiB}, code ${t.codeAndMetadataMiB}`,
        );
      }
      console.log(`  WebAssembly memories (resident MiB): ${r.wasmMemoriesMiB.join(", ") || "none"}`);
      console.log(`  largest mappings: ${r.topMappings.map((m) => `${m.file} ${m.rssMiB}`).join(", ")}`);
      return r;
    } catch {
      /* not written yet */
    }
  }
  throw new Error("no memory report (is memory-probe.mjs loaded?)");
}

let requests = 0;
const cpuMs = async (server: TestServer) => ((await (await fetch(`${server.baseUrl}/__bench/stats`)).json()) as { cpuMs: number }).cpuMs;

async function hammer(server: TestServer, p: string, cookie: string, connections: number) {
  const pool = new Pool(server.baseUrl, { connections });
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const res = await pool.request({ path: p, method: "GET", headers: { cookie } });
        await res.body.text();
        if (res.statusCode !== 200) throw new Error(`${p}: HTTP ${res.statusCode}`);
        requests++;
      }
    }),
  );
  await pool.close();
}

const database = await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl });
const server = await startServer({
  database,
  env: { NODE_OPTIONS: "--import=./tests/bench/memory-probe.mjs", QUORUM_BENCH_STATS: "1", ...extraEnv },
  bootTimeoutMs: 240_000,
});
try {
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await report(server, `${kind}: after start`);
  const pages = (await demoPages(server)).map((page): [string, string] => [page.path, page.cookie]);
  const cpuBefore = await cpuMs(server);
  for (const [p, cookie] of pages) for (const c of [1, 10, 50]) await hammer(server, p, cookie, c);
  const cpu = (await cpuMs(server)) - cpuBefore;
  await report(server, `${kind}: after the pages at 1, 10, 50 connections (${seconds} s each)`);
  console.log(`  ${requests} requests, server CPU ${(cpu / requests).toFixed(1)} ms per request (all threads)`);
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  await report(server, `${kind}: 10 s later, idle`);
} finally {
  await server.stop();
  await database.dispose();
}
