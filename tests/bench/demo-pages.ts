/**
 * What the page benchmarks and diagnostics share: the demo's pages as the president and the secretariat open them,
 * waiting for the server's render jobs, and the 30-grid render fixture (tests/bench/pages-fixture.ts).
 */
import { spawn } from "node:child_process";
import { ROOT } from "../support/database";
import { DEMO_ACCOUNTS, login, type TestDatabase, type TestServer } from "../support/server";

export type DemoPage = { name: string; label: string; path: string; cookie: string };

export const DEMO_PAGE_NAMES = ["live", "jury", "jury-data", "sessions", "dashboard", "desk", "candidates", "archives"] as const;
/**
 * The secretariat's lists that grow with its history, measured on request (`--pages=…`, with `--history=<n>`): the
 * declaration of holders, the to-dos' lists of records to issue and of expiring partial validations, the decisions'
 * CSV export.
 */
export const HISTORY_PAGE_NAMES = ["declarations", "records", "partials", "decisions-csv", "holders-csv"] as const;

/** The demo sessions' ids, read from /sessions as the president sees it. */
async function demoSessionIds(server: TestServer, cookie: string) {
  const html = await (await fetch(`${server.baseUrl}/sessions`, { headers: { cookie } })).text();
  const links = [...html.matchAll(/href="\/sessions\/([A-Za-z0-9_-]+)"[^>]*>([^<]+)</g)].map((m) => ({ id: m[1], title: m[2] }));
  const commission = links.find((l) => l.title.startsWith("Commission d"));
  const jury = links.find((l) => l.title.startsWith("Jury paritaire"));
  if (!commission || !jury) throw new Error(`demo sessions not found on /sessions (${links.length} links)`);
  return { commission: commission.id, jury: jury.id };
}

/** Signs in the demo president and secretariat, and lists the measured pages with the cookie each is opened with. */
export async function demoPages(server: TestServer): Promise<DemoPage[]> {
  const president = await login(server.baseUrl, DEMO_ACCOUNTS.president);
  const secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  const ids = await demoSessionIds(server, president);
  return [
    { name: "live", label: "live room `/sessions/:id` (commission, president)", path: `/sessions/${ids.commission}`, cookie: president },
    { name: "jury", label: "jury room `/sessions/:id` (jury, president)", path: `/sessions/${ids.jury}`, cookie: president },
    { name: "jury-data", label: "jury read model `/sessions/:id/jury` (JSON)", path: `/sessions/${ids.jury}/jury`, cookie: president },
    { name: "sessions", label: "`/sessions` (president)", path: "/sessions", cookie: president },
    { name: "dashboard", label: "dashboard `/` (president)", path: "/", cookie: president },
    // The same page as the secretariat: its desk (nine to-do lists, the figures, the certifications).
    { name: "desk", label: "dashboard `/` (secretariat: the desk)", path: "/", cookie: secretariat },
    { name: "candidates", label: "`/candidates` (secretariat)", path: "/candidates", cookie: secretariat },
    { name: "archives", label: "`/archives` (secretariat)", path: "/archives", cookie: secretariat },
    { name: "declarations", label: "`/declarations` (secretariat: every holder)", path: "/declarations", cookie: secretariat },
    { name: "records", label: "`/sessions?filtre=delivrances` (records to issue)", path: "/sessions?filtre=delivrances", cookie: secretariat },
    { name: "partials", label: "`/candidates?filtre=validations-partielles`", path: "/candidates?filtre=validations-partielles", cookie: secretariat },
    { name: "decisions-csv", label: "`/exports/decisions.csv` (every final decision)", path: "/exports/decisions.csv", cookie: secretariat },
    { name: "holders-csv", label: "`/exports/titulaires.csv` (every holder and its declaration)", path: "/exports/titulaires.csv", cookie: secretariat },
  ];
}

/** Render jobs pending or running, from `GET /__bench/stats` (the server must run with QUORUM_BENCH_STATS=1). */
export async function openRenderJobs(server: TestServer): Promise<number> {
  const res = await fetch(`${server.baseUrl}/__bench/stats?renderJobs=1`);
  return ((await res.json()) as { renderJobsOpen: number | null }).renderJobsOpen ?? 0;
}

/** Waits until the server has no render job left (the demo's documents after a first start), at most `timeoutMs`. */
export async function waitForRenderJobs(server: TestServer, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await openRenderJobs(server)) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
}

/** tests/bench/pages-fixture.ts on the database (no server running on it): 30 grid render jobs due in `delay` s. */
export function runRenderFixture(database: TestDatabase, delaySeconds: number): Promise<void> {
  return runFixture(database, "tests/bench/pages-fixture.ts", String(delaySeconds));
}

/**
 * tests/bench/volume-fixture.ts on the database (no server running on it, the demo seeded): `decisions` more final jury
 * decisions of past years in the demo organisation.
 */
export function runVolumeFixture(database: TestDatabase, decisions: number): Promise<void> {
  return runFixture(database, "tests/bench/volume-fixture.ts", String(decisions));
}

function runFixture(database: TestDatabase, script: string, arg: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...database.env };
  if (!database.env.DATABASE_URL) delete env.DATABASE_URL;
  if (!database.env.QUORUM_DATA_DIR) delete env.QUORUM_DATA_DIR;
  const child = spawn(process.execPath, ["--import", "tsx", script, arg], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited ${code}`)))),
  );
}
