/**
 * Where a page's CPU goes, thread by thread (diagnostic): the production server on PostgreSQL (or PGlite), one page
 * loaded in a closed loop, each thread's CPU read from /proc/<pid>/task/<tid>/stat before and after.
 *   node --import tsx tests/bench/threads-of-page.ts <page> [pglite|postgres] [seconds] [connections]
 */
import { readdirSync, readFileSync } from "node:fs";
import { Pool } from "undici";
import { prepareDatabase, startServer } from "../support/server";
import { demoPages, waitForRenderJobs } from "./demo-pages";

const [pageName = "jury", kind = "postgres", secondsArg = "10", connectionsArg = "1"] = process.argv.slice(2);
const postgresUrl = process.env.QUORUM_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl });
const server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" }, bootTimeoutMs: 240_000 });

function threads(pid: number) {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(`${name}#${tid}`, (Number(fields[11]) + Number(fields[12])) * 10); // ms (USER_HZ = 100)
    } catch {
      // the thread ended
    }
  }
  return out;
}

async function load(path: string, cookie: string, ms: number, connections: number) {
  const pool = new Pool(server.baseUrl, { connections });
  const deadline = Date.now() + ms;
  let requests = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        const res = await pool.request({ path, method: "GET", headers: { cookie } });
        await res.body.arrayBuffer();
        requests++;
      }
    }),
  );
  await pool.close();
  return requests;
}

try {
  await waitForRenderJobs(server);
  const page = (await demoPages(server)).find((p) => p.name === pageName);
  if (!page) throw new Error(`no page ${pageName}`);
  await load(page.path, page.cookie, 15_000, 10);
  const idleBefore = threads(server.pid);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const idleAfter = threads(server.pid);
  const before = threads(server.pid);
  const requests = await load(page.path, page.cookie, Number(secondsArg) * 1000, Number(connectionsArg));
  const after = threads(server.pid);
  console.log(`${requests} requests of ${page.path}; ms of CPU per request by thread (idle: ms per 5 s with no request)`);
  for (const [name, ms] of [...after].sort((a, b) => b[1] - (before.get(b[0]) ?? 0) - (a[1] - (before.get(a[0]) ?? 0)))) {
    const used = ms - (before.get(name) ?? 0);
    const idle = (idleAfter.get(name) ?? 0) - (idleBefore.get(name) ?? 0);
    if (used > 0 || idle > 0) console.log(`${name.padEnd(28)} ${(used / requests).toFixed(2).padStart(7)} ms/req   idle ${idle} ms`);
  }
} finally {
  await server.stop();
  await database.dispose();
}
