/**
 * Where the embedded database's time per page goes (diagnostic for decision 0016):
 *   node --import tsx tests/bench/pglite-plans.ts <live|jury|jury-data|sessions|dashboard|candidates|archives>
 * Starts the production server on a fresh PGlite copy of the test template, loads the page twice, records the SQL
 * statements of the second load with their arguments (QUORUM_BENCH_SQL_FULL=1), stops the server, then opens the same
 * data directory with PGlite in this process and, per statement: the mean of 20 calls through `query()` (unnamed:
 * parsed and planned per call, what pglite-prisma-adapter did before), its planning and execution times
 * (`EXPLAIN (ANALYZE)`), and the mean of 20 `EXECUTE`s of the statement prepared once, with custom-then-generic plans
 * (`plan_cache_mode = auto`) and with generic plans (`force_generic_plan`, what app/platform/db/pglite-statements
 * .server.ts sets).
 */
import { PGlite } from "@electric-sql/pglite";
import { prepareDatabase, startServer } from "../support/server";
import { DEMO_PAGE_NAMES, demoPages, waitForRenderJobs } from "./demo-pages";

const [pageName = "jury"] = process.argv.slice(2);
if (!(DEMO_PAGE_NAMES as readonly string[]).includes(pageName)) throw new Error(`page: one of ${DEMO_PAGE_NAMES.join(", ")}`);
const database = await prepareDatabase({ embedded: true });
const server = await startServer({
  database,
  env: { QUORUM_BENCH_STATS: "1", QUORUM_BENCH_SQL: "1", QUORUM_BENCH_SQL_FULL: "1" },
  bootTimeoutMs: 240_000,
});
let statements: { sql: string; args: unknown[] }[] = [];
try {
  await waitForRenderJobs(server);
  const page = (await demoPages(server)).find((p) => p.name === pageName)!;
  await (await fetch(server.baseUrl + page.path, { headers: { cookie: page.cookie } })).text();
  const mark = server.logs().length;
  await (await fetch(server.baseUrl + page.path, { headers: { cookie: page.cookie } })).text();
  statements = server
    .logs()
    .slice(mark)
    .split("\n")
    .map((line) => /^\[sql\] [\d.]+ ms, \d+ rows, \d+ bytes: ([\s\S]*) -- args (.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ sql: m[1]!, args: JSON.parse(m[2]!) as unknown[] }));
} finally {
  await server.stop();
}

const mean = async (calls: number, run: () => Promise<unknown>) => {
  for (let i = 0; i < 3; i++) await run();
  const started = performance.now();
  for (let i = 0; i < calls; i++) await run();
  return (performance.now() - started) / calls;
};
const literal = (v: unknown): string =>
  v === null ? "NULL" : Array.isArray(v) ? `'{${v.map((x) => `"${String(x)}"`).join(",")}}'` : `'${String(v).replace(/'/g, "''")}'`;

const totals = { query: 0, planning: 0, execution: 0, auto: 0, generic: 0 };
for (const mode of ["auto", "force_generic_plan"] as const) {
  const db = new PGlite({ dataDir: database.env.QUORUM_DATA_DIR! });
  await db.waitReady;
  await db.exec(`SET plan_cache_mode = ${mode}`);
  for (const [i, { sql, args }] of statements.entries()) {
    if (mode === "auto") {
      const query = await mean(20, () => db.query(sql, args));
      const plan = (await db.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, SUMMARY) ${sql}`, args)).rows.map((r) => r["QUERY PLAN"]);
      const ms = (label: string) => Number(plan.find((l) => l.startsWith(label))?.match(/([\d.]+) ms/)?.[1] ?? NaN);
      totals.query += query;
      totals.planning += ms("Planning Time");
      totals.execution += ms("Execution Time");
      console.log(`#${i + 1} query() ${query.toFixed(2)} ms (planning ${ms("Planning Time")}, execution ${ms("Execution Time")}): ${sql.slice(0, 90)}`);
    }
    await db.exec(`PREPARE s${i} AS ${sql}`);
    const executed = await mean(20, () => db.exec(`EXECUTE s${i}(${args.map(literal).join(",")})`));
    totals[mode === "auto" ? "auto" : "generic"] += executed;
    console.log(`#${i + 1} prepared, ${mode}: ${executed.toFixed(2)} ms`);
  }
  await db.close();
}
const f = (n: number) => n.toFixed(1);
console.log(
  `${pageName}, ${statements.length} statements: query() ${f(totals.query)} ms (planning ${f(totals.planning)}, execution ` +
    `${f(totals.execution)}); prepared ${f(totals.auto)} ms (auto), ${f(totals.generic)} ms (force_generic_plan)`,
);
