/**
 * Pages answered through the admission gate (app/platform/http/admission-gate.server.ts) on the production server:
 * with a single place, two dozen page loads sent together all wait their turn and each gets its own page, whole;
 * when the oldest waiting request has waited QUORUM_MAX_QUEUE_WAIT_MS (sign-in forms whose body never comes keep the
 * place, 500 ms each), new requests answer a French 503 « réessayez » at once (page, client navigation, form), doing
 * nothing, while the queued ones are still served.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, postLogin, prepareDemoDatabase, sessionCookieFrom, startServer, type TestDatabase, type TestServer } from "../support/server";
import { demoPages, waitForRenderJobs } from "../bench/demo-pages";

type Admission = {
  limit: number;
  running: number;
  waiting: number;
  queued: number;
  maxWaiting: number;
  abandoned: number;
  refused: number;
  oldestWaitMs: number;
};

/** A production server on its own demo database for the describe block that calls this (started before, stopped after). */
function productionServer(env: Record<string, string>) {
  const running: { database?: TestDatabase; server?: TestServer } = {};
  beforeAll(async () => {
    running.database = await prepareDemoDatabase();
    running.server = await startServer({ database: running.database, env: { QUORUM_BENCH_STATS: "1", ...env } });
    await waitForRenderJobs(running.server, 120_000);
  }, 180_000);
  afterAll(async () => {
    await running.server?.stop();
    await running.database?.dispose();
  });
  const server = () => running.server!;
  const admission = async () => ((await (await fetch(`${server().baseUrl}/__bench/stats`)).json()) as { admission: Admission }).admission;
  return { server, admission };
}

describe("the admission gate on the production server", () => {
  const { server: current, admission } = productionServer({ QUORUM_MAX_CONCURRENT_REQUESTS: "1" });

  it("queues page loads sent together and answers each with its own page", async () => {
    const server = current();
    const pages = (await demoPages(server)).filter((page) => ["live", "desk", "sessions", "candidates"].includes(page.name));
    expect(pages).toHaveLength(4);
    const load = async (page: (typeof pages)[number]) => {
      const res = await fetch(`${server.baseUrl}${page.path}`, { headers: { cookie: page.cookie } });
      return { status: res.status, html: await res.text() };
    };
    // Each page alone first: what it shows when nothing waits.
    const alone = new Map<string, string>();
    for (const page of pages) {
      const { status, html } = await load(page);
      expect(status).toBe(200);
      alone.set(page.name, /<title>([^<]*)<\/title>/.exec(html)![1]!);
    }
    const before = await admission();
    expect(before.limit).toBe(1);

    const together = pages.flatMap((page) => Array.from({ length: 6 }, () => page));
    const answers = await Promise.all(together.map(load));
    answers.forEach(({ status, html }, i) => {
      expect(status).toBe(200);
      expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toBe(alone.get(together[i]!.name));
      // Whole: the last script of the page (its data stream closed) is there.
      expect(html).toContain("streamController.close()");
    });

    const after = await admission();
    // /__bench/stats is answered before the gate: nothing holds the place any more.
    expect(after.running).toBe(0);
    expect(after.waiting).toBe(0);
    expect(after.queued - before.queued).toBeGreaterThan(0);
    expect(after.maxWaiting).toBeGreaterThan(1);
  });
});

describe("the admission gate of a server far behind", () => {
  const MAX_WAIT_MS = 1_000;
  /** Sign-in forms whose body never comes: each keeps the only place for the gate's longest hold (500 ms). */
  const HELD = 10;
  const DESKS = 5;
  const { server: current, admission } = productionServer({ QUORUM_MAX_CONCURRENT_REQUESTS: "1", QUORUM_MAX_QUEUE_WAIT_MS: String(MAX_WAIT_MS) });

  it("answers new requests « réessayez » (503, Retry-After) without doing them, serves the queued ones, then serves again", async () => {
    const server = current();
    const desk = (await demoPages(server)).find((page) => page.name === "desk")!;
    const load = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${server.baseUrl}${path}`, { ...init, headers: { cookie: desk.cookie, ...init.headers } });
      return { status: res.status, retryAfter: res.headers.get("retry-after"), setCookie: res.headers.getSetCookie(), body: await res.text() };
    };
    expect((await load(desk.path)).status).toBe(200);
    const start = await admission();
    /** Polls the gate's figures until `ready` holds (each poll is a request the gate does not count). */
    const gateUntil = async (what: string, ready: (figures: Admission) => boolean) => {
      let figures = await admission();
      for (let polls = 0; !ready(figures); polls++, figures = await admission()) {
        if (polls > 5_000) throw new Error(`the gate never showed ${what}: ${JSON.stringify(figures)}`);
      }
      return figures;
    };

    // A server far behind, made so whatever the machine's speed: sign-in forms whose body is still on its way each
    // keep the only place until the gate takes it back (500 ms), one after the other, and desks wait behind them.
    const held: net.Socket[] = [];
    for (let i = 0; i < HELD; i++) {
      const socket = net.connect(server.port, "127.0.0.1");
      socket.on("error", () => {});
      socket.write(
        `POST /login HTTP/1.1\r\nHost: localhost:${server.port}\r\nOrigin: ${server.baseUrl}\r\n` +
          "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 64\r\n\r\n",
      );
      held.push(socket);
      await gateUntil(`sign-in form ${i + 1} in`, (figures) => figures.running + figures.waiting >= i + 1);
    }
    const desks = Array.from({ length: DESKS }, () => load(desk.path));
    // Every form but the first, then the desks, entered the queue (the forms ahead of them may have had their turn).
    const queued = await gateUntil("the desks queued", (figures) => figures.queued - start.queued >= HELD - 1 + DESKS);
    expect(queued.refused - start.refused).toBe(0);
    // Behind: the oldest request still waiting has waited MAX_WAIT_MS (the forms keep the place for seconds more).
    await gateUntil(`a wait of ${MAX_WAIT_MS} ms`, (figures) => figures.oldestWaitMs >= MAX_WAIT_MS);

    // A page, the same page by client navigation (Remix's .data) and a sign-in form, sent while the server is behind.
    const [page, data, signIn] = await Promise.all([
      load(desk.path),
      load("/_root.data"),
      postLogin(server.baseUrl, DEMO_ACCOUNTS.president, DEMO_PASSWORD).then(async (res) => ({
        status: res.status,
        cookie: sessionCookieFrom(res),
        body: await res.text(),
      })),
    ]);
    expect(page.status).toBe(503);
    expect(page.retryAfter).toBe("5");
    expect(page.body).toContain("Quorum est très sollicité");
    expect(page.body).toContain("Réessayez dans quelques secondes");
    expect(page.body).toContain(">Réessayer</a>");
    // The figures of the desk were not computed: the page is the error page, without the desk's sections.
    expect(page.body).not.toContain('data-testid="todos"');
    expect(data.status).toBe(503);
    expect(data.body).toContain("Réessayez dans quelques secondes");
    // The sign-in form did nothing: no session opened.
    expect(signIn.status).toBe(503);
    expect(signIn.cookie).toBeNull();

    // The desks that were waiting keep their turn: each gets its whole desk once the forms gave the place back.
    const answers = await Promise.all(desks);
    for (const socket of held) socket.destroy();
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('data-testid="todos"');
      expect(answer.body).toContain("streamController.close()");
    }
    const after = await gateUntil("the queue empty", (figures) => figures.waiting === 0 && figures.running === 0);
    expect(after.oldestWaitMs).toBe(0);
    // Refused: the three above, nothing else.
    expect(after.refused - start.refused).toBe(3);

    // Caught up: served again.
    const again = await load(desk.path);
    expect(again.status).toBe(200);
    expect(again.body).toContain('data-testid="todos"');
  });
});
