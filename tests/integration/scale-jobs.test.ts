/**
 * The jobs two server processes A and B share (scale mode: one PostgreSQL database, one Redis), never done twice and
 * never left behind by a process killed with SIGKILL:
 * - the e-mail outbox, with an SMTP relay (SMTP_URL, a fake relay in this process): an e-mail is handed to the relay
 *   once, whichever process looks at the queue; one whose transaction committed on a process killed before it reached
 *   the relay, or whose sending process died mid-send (its lease ran out), is sent by a live process. Decision notices,
 *   which their page does not wait for, reach the relay too;
 * - the PDF render queue: a live process renews the lease of the job it renders (a peer never takes it), and a process
 *   killed mid-render leaves it to the next process that looks, within a lease (until 2026-12-07 the lease was a fixed
 *   5 minutes: the PDF said « en préparation » that long).
 * Runs only in the PostgreSQL tier (vitest.config.ts): an unreachable PostgreSQL or Redis fails the file with the
 * reason, never a skip.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { assertRedisReachable } from "../support/redis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/clients";
import { postgresTestUrl } from "../support/database";
import { startFakeSmtp } from "../support/fake-smtp";
import { postForm, readPage } from "../support/html";
import { DEMO_ACCOUNTS, login, prepareDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";

const POSTGRES_URL = postgresTestUrl() ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = (process.env.QUORUM_TEST_REDIS_URL ?? process.env.REDIS_URL)?.trim() || "redis://127.0.0.1:6379";

let database: TestDatabase | undefined;
let a: TestServer | undefined;
let b: TestServer | undefined;
let smtp: Awaited<ReturnType<typeof startFakeSmtp>> | undefined;
let scaleEnv: Record<string, string> = {};

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database!.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await assertRedisReachable(REDIS_URL, "the scale-mode jobs test");
  smtp = await startFakeSmtp();
  const env = (scaleEnv = {
    REDIS_URL,
    REDIS_KEY_PREFIX: `quorum-test-jobs-${randomBytes(4).toString("hex")}:`,
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls=off`,
    // Both processes look at the queue often, so that they race for the same e-mails.
    QUORUM_OUTBOX_POLL_MS: "100",
  });
  database = await prepareDatabase({ postgresUrl: POSTGRES_URL });
  a = await startServer({ database, env });
  b = await startServer({ database, env, demo: false });
  expect(a.logs()).toMatch(/mode multi-processus/);
  expect(b.logs()).toMatch(/mode multi-processus/);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.dispose();
  await smtp?.close();
});

describe("the e-mail outbox shared by two processes", () => {
  it("sends once each e-mail a killed process left due, and leaves alone the one a live process is sending", async () => {
    const [{ id: organisationId }] = await sql<{ id: string }>('SELECT "id" FROM "Organisation" LIMIT 1');
    const run = randomBytes(3).toString("hex");
    const write = (to: string, nextAttemptAt: string | null, attempts = 0) =>
      sql(
        `INSERT INTO "OutboxEmail" ("id", "organisationId", "to", "subject", "text", "attempts", "nextAttemptAt")
         VALUES ($1, $2, $3, 'Convocation', 'Bonjour', $4, ${nextAttemptAt === null ? "NULL" : `now() + interval '${nextAttemptAt}'`})`,
        [`mail-${run}-${to}`, organisationId, `${to}-${run}@example.fr`, attempts],
      );
    // As a transaction leaves them when its process is killed before it hands them to the relay: due now.
    const due = Array.from({ length: 30 }, (_, i) => `due${i}`);
    // Claimed by a process killed mid-send: its lease ran out.
    const abandoned = "abandoned";
    // Claimed by a live process, its lease running: not another process's to send.
    const leased = "leased";
    // Written without a relay: stays in the outbox.
    const held = "held";
    await write(leased, "10 minutes", 1);
    await write(held, null);
    await write(abandoned, "-1 second", 1);
    for (const to of due) await write(to, "0 seconds");

    const sent = async () =>
      sql<{ to: string; attempts: number }>(`SELECT "to", "attempts" FROM "OutboxEmail" WHERE "id" LIKE $1 AND "sentAt" IS NOT NULL`, [`mail-${run}-%`]);
    await until(async () => (await sent()).length === due.length + 1, "every due e-mail marked sent", { timeoutMs: 30_000 });

    const received = smtp!.messages.map((m) => m.to[0]!).filter((to) => to.endsWith(`-${run}@example.fr`));
    // Each exactly once: two processes never handed the same e-mail over.
    expect(received.sort()).toEqual([...due, abandoned].map((to) => `${to}-${run}@example.fr`).sort());
    expect((await sent()).find((row) => row.to.startsWith(abandoned))?.attempts).toBe(2);
    const [leasedRow] = await sql<{ sentAt: Date | null; attempts: number }>(`SELECT "sentAt", "attempts" FROM "OutboxEmail" WHERE "id" = $1`, [`mail-${run}-${leased}`]);
    expect(leasedRow).toEqual({ sentAt: null, attempts: 1 });
    const [heldRow] = await sql<{ sentAt: Date | null; attempts: number }>(`SELECT "sentAt", "attempts" FROM "OutboxEmail" WHERE "id" = $1`, [`mail-${run}-${held}`]);
    expect(heldRow).toEqual({ sentAt: null, attempts: 0 });
  });

  it("hands a decision notice sent through B to the relay, and the delivery page says it was sent", async () => {
    const secretariat = await login(b!.baseUrl, DEMO_ACCOUNTS.secretariat);
    const sessions = await readPage(b!.baseUrl, secretariat, "/sessions?filtre=delivrances");
    const sessionId = /href="\/sessions\/([a-z0-9]+)[^"]*"[^>]*>[^<]*session de rattrapage/.exec(sessions.text)?.[1];
    expect(sessionId, "the demo's catch-up jury").toBeTruthy();
    const delivery = `/sessions/${sessionId}/delivrance`;
    expect((await postForm(a!.baseUrl, await login(a!.baseUrl, DEMO_ACCOUNTS.secretariat), `${delivery}.data`, { intent: "issue", placeOfIssue: "Lyon" })).status).toBe(200);
    expect((await postForm(b!.baseUrl, secretariat, `${delivery}.data`, { intent: "notify" })).status).toBe(200);

    await until(() => smtp!.messages.some((m) => m.to.includes("mamadou.diallo@example.fr")), "Mamadou DIALLO's notice received by the relay", { timeoutMs: 30_000 });
    expect(smtp!.messages.filter((m) => m.to.includes("mamadou.diallo@example.fr"))).toHaveLength(1);
    // The demo's own e-mails (its convocations, its invitation, its past jury's notices) were never handed over.
    expect(smtp!.messages.filter((m) => m.to.some((to) => to.endsWith("@quorum.test")))).toEqual([]);
    let shown = "";
    const noticeShown = async () => {
      const html = (await readPage(a!.baseUrl, secretariat, delivery)).text;
      shown = /data-testid="notice-email"[^>]*>([^<]*)/.exec(html.slice(html.indexOf("Mamadou DIALLO")))?.[1] ?? "";
      return /^e-mail envoyé le \d+ \S+ \d{4}$/.test(shown);
    };
    await until(noticeShown, "the delivery page saying his notice was sent", { details: () => shown });
  });
});

/**
 * A render job claimed by C, whose render is held (QUORUM_TEST_RENDER_HOLD: a file never written), with a lease of
 * 1.5 s. D, a peer, looks at the queue past the end of the lease C first took: the job is still C's, renewed. C is
 * killed: D takes the job back once its lease ran out and renders it, once.
 */
describe("the render queue when a process is killed mid-render", () => {
  it("leaves a live peer's job alone while its lease is renewed, and renders it once its process was killed", async () => {
    const lease = 1_500;
    const hold = mkdtempSync(path.join(os.tmpdir(), "quorum-render-hold-"));
    let c: TestServer | undefined;
    let d: TestServer | undefined;
    try {
      // A and B leave the queue to C and D (the demo's PDFs are sealed before: the job set aside below is one of them).
      await until(async () => (await sql(`SELECT 1 FROM "RenderJob" WHERE "status" IN ('PENDING', 'RUNNING')`)).length === 0, "the demo's PDFs sealed", { timeoutMs: 120_000 });
      await Promise.all([a!.stop(), b!.stop()]);
      const [job, canary] = await sql<{ id: string }>(`SELECT "id" FROM "RenderJob" WHERE "status" = 'DONE' AND "documentKind" = 'grid' ORDER BY "createdAt" LIMIT 2`);
      expect(canary, "two sealed grids in the demo").toBeTruthy();
      const leaseEnv = { ...scaleEnv, QUORUM_RENDER_LEASE_MS: String(lease) };
      c = await startServer({ database: database!, env: { ...leaseEnv, QUORUM_TEST_RENDER_HOLD: path.join(hold, "never") }, demo: false });
      const state = async (id: string) =>
        (await sql<{ status: string; attempts: number }>(`SELECT "status", "attempts" FROM "RenderJob" WHERE "id" = $1`, [id]))[0]!;
      // The grid's PDF asked again, as a relaunch does: C claims it and holds it.
      await sql(`UPDATE "RenderJob" SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = now() WHERE "id" = $1`, [job!.id]);
      await until(async () => (await state(job!.id)).status === "RUNNING", "C claiming the job");
      const firstLeaseEnd = Date.now() + lease;

      d = await startServer({ database: database!, env: leaseEnv, demo: false });
      // Past the end of C's first lease, D renders another job: that look at the queue took back every lease run out.
      await until(() => Date.now() > firstLeaseEnd + lease, "C's first lease over");
      await sql(`UPDATE "RenderJob" SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = now() WHERE "id" = $1`, [canary!.id]);
      await until(async () => (await state(canary!.id)).status === "DONE", "D rendering the other job", { timeoutMs: 30_000 });
      expect(await state(job!.id)).toEqual({ status: "RUNNING", attempts: 1 });

      c.kill9();
      await c.exited;
      await until(async () => (await state(job!.id)).status === "DONE", "D rendering the killed process's job", { timeoutMs: 30_000 });
      expect(await state(job!.id)).toEqual({ status: "DONE", attempts: 2 });
      const rendered = await sql(`SELECT 1 FROM "AuditEvent" WHERE "action" = 'grid.pdf_rendered' AND "data"->>'renderJobId' = $1`, [job!.id]);
      // The demo's render, then D's: C's never finished.
      expect(rendered).toHaveLength(2);
    } finally {
      c?.kill9();
      await d?.stop();
      rmSync(hold, { recursive: true, force: true });
    }
  }, 180_000);
});
