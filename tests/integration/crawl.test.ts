/**
 * Never a 500, everywhere: the demo's pages crawled from the dashboard as the secretariat and as a jury president
 * (links followed, at most two pages per route shape), then every POST form found sent with hostile values —
 * empty, a NUL character, a negative number, a huge number, 5,000 letters — in each of its fields (its `intent`
 * kept, so each command of a page is reached), and the lists' parameters edited by hand (a page number past
 * PostgreSQL's integer was a 500 on the archive). Every answer must be below 500: a refusal, a redirect, a page.
 * On the real production server with the demo seed; the forms' effects land on this file's own database.
 *
 * Every page crawled also reads its data in at most ten SQL statements (issue 19), counted by the server per request
 * (QUORUM_BENCH_STATS=1: the X-Quorum-Statements header). A page over ten is opened once more: its first opening may
 * read a published référentiel's tree, kept in memory afterwards (decision 0011).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { decodeHtml } from "../support/html";
import { demoPages, openRenderJobs, waitForRenderJobs } from "../bench/demo-pages";

/** SQL statements a page may send to show itself (issue 19). */
const MAX_STATEMENTS = 10;
const JUNK = ["", "\u0000", "-1", "99999999999999999999", "a".repeat(5000)];
/** Route shape of a path: identifiers and numbers replaced, the query's names kept. */
const shapeOf = (path: string) =>
  path
    .replace(/c[a-z0-9]{24}/g, ":id")
    .replace(/=[^&]*/g, "=")
    .replace(/\/\d+(?=\/|$)/g, "/:n");

type FoundForm = { action: string; fields: string[]; intent: string | null; from: string };

async function crawl(server: TestServer, cookie: string) {
  const pages = new Map<string, number>();
  const perShape = new Map<string, number>();
  const forms = new Map<string, FoundForm>();
  const failures: string[] = [];
  const statements = new Map<string, number>();
  const withNul: string[] = [];
  /** Pages whose HTML has not exactly one <main> (a screen reader's « main » landmark, once per page). */
  const mains: string[] = [];
  const queue = ["/"];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const shape = shapeOf(path);
    if ((perShape.get(shape) ?? 0) >= 2) continue;
    perShape.set(shape, (perShape.get(shape) ?? 0) + 1);
    const res = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
    pages.set(path, res.status);
    if (res.status >= 500) failures.push(`GET ${path} → ${res.status}`);
    if (!(res.headers.get("content-type") ?? "").includes("text/html")) {
      await res.arrayBuffer();
      continue;
    }
    const raw = await res.text();
    // React 18.3's own writer left NUL bytes where a character straddled its 2 kB buffer (« M\0écanique »).
    if (raw.includes("\u0000")) withNul.push(path);
    const html = decodeHtml(raw);
    const mainCount = (raw.match(/<main[\s>]/g) ?? []).length;
    if (res.status === 200 && mainCount !== 1) mains.push(`${path} (${mainCount})`);
    const statementsOf = (response: Response) => {
      const header = response.headers.get("x-quorum-statements");
      return header === null ? Number.NaN : Number(header);
    };
    let count = statementsOf(res);
    if (count > MAX_STATEMENTS) {
      const again = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
      await again.arrayBuffer();
      count = statementsOf(again);
    }
    statements.set(path, count);
    for (const [, href] of html.matchAll(/href="(\/[^"#]*)/g)) {
      if (/^\/(assets|logout)|\.pdf|\.json$/.test(href!)) continue;
      if (!seen.has(href!)) queue.push(href!);
    }
    for (const [, attrs, inner] of html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
      if (!/method="post"/i.test(attrs!)) continue;
      const action = /action="([^"]*)"/.exec(attrs!)?.[1] || path;
      if (/logout/.test(action)) continue;
      const fields = [...new Set([...inner!.matchAll(/name="([^"]+)"/g)].map((m) => m[1]!))];
      const intent = /name="intent" value="([^"]*)"/.exec(inner!)?.[1] ?? null;
      const key = `${shapeOf(action)} ${intent} ${fields.join(",")}`;
      if (!forms.has(key)) forms.set(key, { action, fields, intent, from: path });
    }
  }
  return { pages, forms: [...forms.values()], failures, statements, withNul, mains };
}

describe("never a 500", () => {
  let database: TestDatabase;
  let server: TestServer;

  const found = new Map<string, { cookie: string } & Awaited<ReturnType<typeof crawl>>>();
  /** The archive's list opened twice, right after the demo's PDFs were rendered: its statements each time. */
  const archiveOpenings: number[] = [];

  beforeAll(async () => {
    database = await prepareDemoDatabase();
    server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" } });
    // The demo's seeded render jobs (grids, decision sheets, minutes) store their PDFs while the server starts.
    await waitForRenderJobs(server, 120_000);
    expect(await openRenderJobs(server)).toBe(0);
    const secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    for (let opening = 0; opening < 2; opening++) {
      const res = await fetch(`${server.baseUrl}/archives`, { headers: { Cookie: secretariat } });
      await res.arrayBuffer();
      archiveOpenings.push(Number(res.headers.get("x-quorum-statements")));
    }
    // Both crawls before any form is sent: the forms' effects (a seat removed, a session closed) would hide pages.
    for (const account of ["secretariat", "president"] as const) {
      const cookie = await login(server.baseUrl, DEMO_ACCOUNTS[account]);
      found.set(account, { cookie, ...(await crawl(server, cookie)) });
    }
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
  });

  it.each([["secretariat"], ["president"]] as const)("as the %s: every page has one main landmark (none nested in another)", (account) => {
    const { mains, pages } = found.get(account)!;
    expect(pages.size).toBeGreaterThan(10);
    expect(mains).toEqual([]);
  });

  it.each([["secretariat"], ["president"]] as const)("as the %s: every page shows itself in at most ten SQL statements", (account) => {
    const { statements } = found.get(account)!;
    // The desk (nine to-do lists, figures, certifications) and the dashboard are among them.
    expect(statements.get("/")).toBeGreaterThan(account === "secretariat" ? 5 : 0);
    const counted = [...statements.values()];
    expect(counted.every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
    expect([...statements].filter(([, n]) => n > MAX_STATEMENTS)).toEqual([]);
  });

  it("lists documents just rendered in the archive's usual statements: a render indexes what it stores", () => {
    // Indexing at the first read cost three statements per new document, so the list went over ten while PDFs rendered.
    expect(archiveOpenings[0]).toBeGreaterThan(0);
    expect(archiveOpenings).toEqual([archiveOpenings[1], archiveOpenings[1]]);
  });

  it("shows the commission's live room with its passage's dossier in five statements: the session read once", async () => {
    const live = (await demoPages(server)).find((page) => page.name === "live")!;
    const open = async () => {
      const res = await fetch(`${server.baseUrl}${live.path}`, { headers: { Cookie: live.cookie } });
      expect(res.status).toBe(200);
      return { html: decodeHtml(await res.text()), statements: Number(res.headers.get("x-quorum-statements")) };
    };
    await open(); // the référentiel's tree read once, then kept in memory
    const { html, statements } = await open();
    // The session with its seats and passages, the passage, its signatures, the candidate's dossier; and the login.
    expect(statements).toBe(5);
    expect(html).toContain("Dossier du candidat");
    expect(html).toMatch(/data-testid="dossier"[\s\S]*Parcours : [\s\S]*Pièces/);
    // The dossier's evidence is linked and opens for the president (a seat of the session).
    const evidence = /href="(\/sessions\/[^"]+\/passages\/[^"]+\/pieces\/[^"]+)"/.exec(html)?.[1];
    expect(evidence).toBeDefined();
    const file = await fetch(`${server.baseUrl}${evidence}`, { headers: { Cookie: live.cookie } });
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    // The grid's signers come from the same session read: the demo commission's evaluators, by name.
    expect(html).toMatch(/signers[\s\S]{0,400}Marie Membre[\s\S]{0,200}Mehdi Membre/);
  });

  it("shows the jury room in five statements: with its session the quorum's history, votes, voters and prior decisions; the dossiers with what their checklists read; the passages with their evaluators' habilitations", async () => {
    const pages = await demoPages(server);
    for (const name of ["jury", "jury-data"]) {
      const page = pages.find((candidate) => candidate.name === name)!;
      let statements = Number.NaN;
      for (let opening = 0; opening < 2; opening++) {
        const res = await fetch(`${server.baseUrl}${page.path}`, { headers: { Cookie: page.cookie } });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        statements = Number(res.headers.get("x-quorum-statements"));
      }
      expect([name, statements]).toEqual([name, 5]);
    }
  });

  it.each([["secretariat"], ["president"]] as const)("as the %s: no page carries a NUL byte", (account) => {
    const { pages, withNul } = found.get(account)!;
    expect(pages.size).toBeGreaterThan(10);
    expect(withNul).toEqual([]);
  });

  it("matches each page's routes from memory after its first opening, the static handler's match included", async () => {
    type Stats = { routeMatches: { hits: number; misses: number; staticHandlerThroughMemo: boolean } };
    const stats = async () => ((await (await fetch(`${server.baseUrl}/__bench/stats`)).json()) as Stats).routeMatches;
    const { cookie } = found.get("president")!;
    const before = await stats();
    expect(before.staticHandlerThroughMemo).toBe(true);
    const res = await fetch(`${server.baseUrl}/sessions`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    await res.text();
    const after = await stats();
    // The server's match, the static handler's, <RemixServer>'s and lazy route discovery's: all from memory.
    expect(after.misses).toBe(before.misses);
    expect(after.hits - before.hits).toBeGreaterThanOrEqual(4);
  });

  it("writes each page's SQL text once, then serves it from memory", async () => {
    type Stats = { sqlTexts: { rendered: number; fromMemory: number; declined: number; runtimeRewritten: boolean } };
    const stats = async () => ((await (await fetch(`${server.baseUrl}/__bench/stats`)).json()) as Stats).sqlTexts;
    const { cookie } = found.get("secretariat")!;
    const desk = async () => {
      const res = await fetch(`${server.baseUrl}/`, { headers: { Cookie: cookie } });
      expect(res.status).toBe(200);
      await res.text();
    };
    await desk(); // its plans cached (a plan is kept the second time its query is seen)
    const before = await stats();
    expect(before.runtimeRewritten).toBe(true);
    await desk();
    const after = await stats();
    // The desk's eight statements: their texts from memory (but for a query bound by a minute that just changed), none
    // left to Prisma's own path.
    expect(after.fromMemory - before.fromMemory).toBeGreaterThanOrEqual(7);
    expect(after.declined).toBe(before.declined);
  });

  it.each([["secretariat"], ["president"]] as const)("as the %s: every page crawled, every form sent hostile values", { timeout: 240_000 }, async (account) => {
    const { cookie, pages, forms, failures } = found.get(account)!;
    // The crawl reached the product, not only the dashboard.
    // (The demo gives the secretariat ~64 pages and 42 forms, the president ~20 pages and 6 forms.)
    expect(pages.size).toBeGreaterThan(account === "secretariat" ? 40 : 12);
    expect(forms.length).toBeGreaterThan(account === "secretariat" ? 25 : 3);
    for (const form of forms) {
      for (const [index, junk] of JUNK.entries()) {
        const body = new URLSearchParams();
        for (const name of form.fields) body.append(name, name === "intent" && form.intent !== null ? form.intent : junk);
        const res = await fetch(`${server.baseUrl}${form.action}`, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: cookie, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
          body,
        });
        const text = await res.text();
        if (res.status >= 500) failures.push(`POST ${form.action} (${form.intent ?? "no intent"}, from ${form.from}) junk #${index} → ${res.status}: ${text.slice(0, 200)}`);
      }
    }
    // Lists' parameters edited by hand.
    for (const list of ["/sessions", "/candidates", "/archives", "/outbox", "/declarations"]) {
      for (const query of ["page=-1", "page=99999999999999", "page=1.5", "q=%E9", `q=${"a".repeat(3000)}`, "session=zzz", "candidat=zzz"]) {
        const res = await fetch(`${server.baseUrl}${list}?${query}`, { redirect: "manual", headers: { Cookie: cookie } });
        await res.arrayBuffer();
        if (res.status >= 500) failures.push(`GET ${list}?${query.slice(0, 40)} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
