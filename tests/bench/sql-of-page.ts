/**
 * The SQL statements one page request sends, with their rows and result sizes (diagnostic):
 *   node --import tsx tests/bench/sql-of-page.ts <live|jury|jury-data|sessions|dashboard|candidates|archives> [pglite|postgres]
 */
import { prepareDatabase, startServer } from "../support/server";
import { DEMO_PAGE_NAMES, demoPages, waitForRenderJobs } from "./demo-pages";

const [pageName = "live", kind = "postgres"] = process.argv.slice(2);
const database = await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl: "postgres://postgres@127.0.0.1:5432/test" });
const server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1", QUORUM_BENCH_SQL: "1" }, bootTimeoutMs: 240_000 });
try {
  await waitForRenderJobs(server);
  const page = (await demoPages(server)).find((candidate) => candidate.name === pageName);
  if (!page) throw new Error(`unknown page ${pageName}: one of ${DEMO_PAGE_NAMES.join(", ")}`);
  const { path: p, cookie } = page;
  await (await fetch(`${server.baseUrl}${p}`, { headers: { cookie } })).text();
  const mark = server.logs().length;
  const body = await (await fetch(`${server.baseUrl}${p}`, { headers: { cookie } })).text();
  console.log(`${p}: ${body.length} bytes of HTML`);
  console.log(server.logs().slice(mark).split("\n").filter((l) => l.includes("[sql]")).join("\n"));
} finally {
  await server.stop();
  await database.dispose();
}
