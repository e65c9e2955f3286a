import pg from "pg";
import { prepareDatabase, startServer } from "../support/server";
import { demoPages, waitForRenderJobs } from "./demo-pages";
const [pageName = "jury"] = process.argv.slice(2);
const database = await prepareDatabase({ postgresUrl: "postgres://postgres@127.0.0.1:5432/test" });
const server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1", QUORUM_BENCH_SQL: "1", QUORUM_BENCH_SQL_FULL: "1" }, bootTimeoutMs: 240_000 });
try {
  await waitForRenderJobs(server);
  const page = (await demoPages(server)).find((p) => p.name === pageName)!;
  await (await fetch(server.baseUrl + page.path, { headers: { cookie: page.cookie } })).text();
  const mark = server.logs().length;
  await (await fetch(server.baseUrl + page.path, { headers: { cookie: page.cookie } })).text();
  const lines = server.logs().slice(mark).split("\n").filter((l) => l.startsWith("[sql]"));
  const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
  await client.connect();
  for (const line of lines) {
    const m = /^\[sql\] [\d.]+ ms, \d+ rows, \d+ bytes: ([\s\S]*) -- args (.*)$/.exec(line);
    if (!m) { console.log("?", line.slice(0, 100)); continue; }
    const args = JSON.parse(m[2]);
    for (let k = 0; k < 3; k++) await client.query(m[1], args);
    const t = performance.now(); for (let k = 0; k < 20; k++) await client.query(m[1], args); const each = (performance.now() - t) / 20;
    const plan = await client.query("EXPLAIN (ANALYZE, SUMMARY) " + m[1], args);
    const exec = plan.rows.map((r) => r["QUERY PLAN"]).filter((l: string) => /Execution Time|Planning Time/.test(l)).join(" · ");
    console.log(`${each.toFixed(2)} ms round trip · ${exec} · ${m[1].slice(0, 110)}`);
  }
  await client.end();
} finally { await server.stop(); }
