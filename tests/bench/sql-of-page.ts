/**
 * The SQL statements one page request sends, with their rows and result sizes (diagnostic):
 *   node --import tsx tests/bench/sql-of-page.ts <live|jury|jury-data|sessions|dashboard|candidates|archives> [pglite|postgres]
 */
import { DEMO_ACCOUNTS, login, prepareDatabase, startServer } from "../support/server";

const [pageName = "live", kind = "postgres"] = process.argv.slice(2);
const database = await prepareDatabase(kind === "pglite" ? { embedded: true } : { postgresUrl: "postgres://postgres@127.0.0.1:5432/test" });
const server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1", QUORUM_BENCH_SQL: "1" }, bootTimeoutMs: 240_000 });
try {
  const president = await login(server.baseUrl, DEMO_ACCOUNTS.president);
  const secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  const html = await (await fetch(`${server.baseUrl}/sessions`, { headers: { cookie: president } })).text();
  const links = [...html.matchAll(/href="\/sessions\/([A-Za-z0-9_-]+)"[^>]*>([^<]+)</g)].map((m) => ({ id: m[1], title: m[2] }));
  const commission = links.find((l) => l.title.startsWith("Commission d"))!.id;
  const jury = links.find((l) => l.title.startsWith("Jury paritaire"))!.id;
  const paths: Record<string, [string, string]> = {
    live: [`/sessions/${commission}`, president],
    jury: [`/sessions/${jury}`, president],
    "jury-data": [`/sessions/${jury}/jury`, president],
    sessions: ["/sessions", president],
    dashboard: ["/", president],
    candidates: ["/candidates", secretariat],
    archives: ["/archives", secretariat],
  };
  const [p, cookie] = paths[pageName];
  const openJobs = async () =>
    ((await (await fetch(`${server.baseUrl}/__bench/stats?renderJobs=1`)).json()) as { renderJobsOpen: number }).renderJobsOpen;
  while ((await openJobs()) > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  await (await fetch(`${server.baseUrl}${p}`, { headers: { cookie } })).text();
  const mark = server.logs().length;
  const body = await (await fetch(`${server.baseUrl}${p}`, { headers: { cookie } })).text();
  console.log(`${p}: ${body.length} bytes of HTML`);
  console.log(server.logs().slice(mark).split("\n").filter((l) => l.includes("[sql]")).join("\n"));
} finally {
  await server.stop();
  await database.dispose();
}
