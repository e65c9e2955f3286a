import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { prepareDatabase, startServer } from "../support/server";
import { demoPages, waitForRenderJobs } from "./demo-pages";
const [pageName = "jury"] = process.argv.slice(2);
const database = await prepareDatabase({ embedded: true });
const server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1", QUORUM_BENCH_SQL: "1", QUORUM_BENCH_SQL_FULL: "1" }, bootTimeoutMs: 240_000 });
let lines: string[] = [];
try {
  await waitForRenderJobs(server);
  const page = (await demoPages(server)).find((p) => p.name === pageName)!;
  await (await fetch(server.baseUrl + page.path, { headers: { cookie: page.cookie } })).text();
  const mark = server.logs().length;
  await (await fetch(server.baseUrl + page.path, { headers: { cookie: page.cookie } })).text();
  lines = server.logs().slice(mark).split("\n").filter((l) => l.startsWith("[sql]"));
} finally { await server.stop(); }
const dir = process.env.PGDIR ?? database.env.QUORUM_DATA_DIR!;
console.log("dir", dir);
const db = new PGlite({ dataDir: dir });
await db.waitReady;
let totQ = 0, totP = 0, totE = 0;
for (const line of lines) {
  const m = /^\[sql\] [\d.]+ ms, \d+ rows, \d+ bytes: ([\s\S]*) -- args (.*)$/.exec(line);
  if (!m) continue;
  const args = JSON.parse(m[2]);
  for (let k = 0; k < 3; k++) await db.query(m[1], args);
  const t = performance.now(); for (let k = 0; k < 20; k++) await db.query(m[1], args); const each = (performance.now() - t) / 20;
  const plan = await db.query<{ "QUERY PLAN": string }>("EXPLAIN (ANALYZE, SUMMARY) " + m[1], args);
  const get = (re: RegExp) => Number(plan.rows.map((r) => r["QUERY PLAN"]).find((l) => re.test(l))?.match(/([\d.]+) ms/)?.[1] ?? NaN);
  const p = get(/Planning Time/), e = get(/Execution Time/);
  totQ += each; totP += p; totE += e;
  console.log(`${each.toFixed(2)} ms query() · plan ${p} · exec ${e} · ${m[1].slice(0, 100)}`);
}
console.log(`total query() ${totQ.toFixed(1)} ms, planning ${totP.toFixed(1)}, execution ${totE.toFixed(1)}`);
await db.close();
// Prepared: PREPARE once, EXECUTE with literal args (simple protocol), generic plans forced.
const db2 = new PGlite({ dataDir: dir });
await db2.waitReady;
await db2.exec(`SET plan_cache_mode = ${process.env.PCM ?? "force_generic_plan"}`);
let totX = 0; let n = 0;
for (const line of lines) {
  const m = /^\[sql\] [\d.]+ ms, \d+ rows, \d+ bytes: ([\s\S]*) -- args (.*)$/.exec(line);
  if (!m) continue;
  const args = JSON.parse(m[2]) as unknown[];
  const name = `q${n++}`;
  await db2.exec(`PREPARE ${name} AS ${m[1]}`);
  const lit = (v: unknown) => (v === null ? "NULL" : Array.isArray(v) ? `'{${v.map((x) => `"${x}"`).join(",")}}'` : `'${String(v).replace(/'/g, "''")}'`);
  const exec = `EXECUTE ${name}(${args.map(lit).join(",")})`;
  for (let k = 0; k < 3; k++) await db2.exec(exec);
  const t = performance.now(); for (let k = 0; k < 20; k++) await db2.exec(exec); const each = (performance.now() - t) / 20;
  totX += each;
  console.log(`${each.toFixed(2)} ms EXECUTE · ${m[1].slice(0, 80)}`);
}
console.log(`total EXECUTE ${totX.toFixed(1)} ms`);
await db2.close();
