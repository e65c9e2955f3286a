/**
 * Pages answered through the admission gate (app/platform/http/admission-gate.server.ts) on the production server:
 * with a single place, two dozen page loads sent together all wait their turn and each gets its own page, whole.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { demoPages, waitForRenderJobs } from "../bench/demo-pages";

type Admission = { limit: number; running: number; waiting: number; queued: number; maxWaiting: number; abandoned: number };

describe("the admission gate on the production server", () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await prepareDatabase();
    server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1", QUORUM_MAX_CONCURRENT_REQUESTS: "1" } });
    await waitForRenderJobs(server, 120_000);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
  });

  const admission = async () => ((await (await fetch(`${server.baseUrl}/__bench/stats`)).json()) as { admission: Admission }).admission;

  it("queues page loads sent together and answers each with its own page", async () => {
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
