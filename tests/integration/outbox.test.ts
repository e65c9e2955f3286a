/**
 * The outbox at a year's volume: every e-mail reachable, a page of fifty at a time, newest first; a page past the end
 * shows the last one; the search and the delivery state narrow the pages. In-process, on the demo database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSeededDatabase } from "../support/prisma";

let prisma: import("~/platform/db/db.server").PrismaClient;
let close: () => Promise<void>;
let organisationId = "";

beforeAll(async () => {
  ({ prisma, close } = await openSeededDatabase());
  organisationId = (await prisma.organisation.findFirstOrThrow({ where: { memberships: { some: { user: { email: "secretariat@quorum.test" } } } } })).id;
  const start = Date.UTC(2026, 0, 1);
  // 130 notices over the year, every tenth one failed, every third sent.
  await prisma.outboxEmail.createMany({
    data: Array.from({ length: 130 }, (_, i) => ({
      organisationId,
      to: `candidat${i}@exemple.fr`,
      subject: `Résultat de la délibération n° ${i}`,
      text: "…",
      createdAt: new Date(start + i * 86_400_000),
      sentAt: i % 3 === 0 ? new Date(start + i * 86_400_000 + 60_000) : null,
      error: i % 3 !== 0 && i % 10 === 0 ? "550 boîte inconnue" : null,
    })),
  });
}, 240_000);

afterAll(async () => {
  await close?.();
});

describe("the outbox", () => {
  it("pages through every e-mail, newest first, fifty at a time; a page past the end shows the last", async () => {
    const { listOutbox, OUTBOX_PAGE_SIZE } = await import("~/platform/mail/list-outbox.server");
    const total = await prisma.outboxEmail.count({ where: { organisationId } });
    const seen: string[] = [];
    const pageCount = Math.ceil(total / OUTBOX_PAGE_SIZE);
    for (let page = 1; page <= pageCount; page++) {
      const result = await listOutbox(organisationId, {}, page);
      expect(result).toMatchObject({ page, pageCount, matching: total });
      seen.push(...result.emails.map((e) => e.id));
    }
    expect(new Set(seen).size).toBe(total);
    const dates = await prisma.outboxEmail.findMany({ where: { id: { in: seen } }, select: { id: true, createdAt: true } });
    const at = new Map(dates.map((d) => [d.id, d.createdAt.getTime()]));
    expect(seen.map((id) => at.get(id)!)).toEqual([...seen.map((id) => at.get(id)!)].sort((a, b) => b - a));
    const past = await listOutbox(organisationId, {}, pageCount + 5);
    expect(past.page).toBe(pageCount);
    expect(past.emails.map((e) => e.id)).toEqual(seen.slice((pageCount - 1) * OUTBOX_PAGE_SIZE));
  });

  it("finds by recipient or subject, any case, every word; filters sent, pending and failed", async () => {
    const { listOutbox } = await import("~/platform/mail/list-outbox.server");
    expect((await listOutbox(organisationId, { query: "CANDIDAT42@" })).emails.map((e) => e.to)).toEqual(["candidat42@exemple.fr"]);
    expect((await listOutbox(organisationId, { query: "délibération 129" })).emails.map((e) => e.to)).toEqual(["candidat129@exemple.fr"]);
    const all = await listOutbox(organisationId, { query: "résultat délibération" });
    expect(all.matching).toBe(130);
    const sent = await listOutbox(organisationId, { query: "résultat", state: "sent" });
    const failed = await listOutbox(organisationId, { query: "résultat", state: "failed" });
    const pending = await listOutbox(organisationId, { query: "résultat", state: "pending" });
    expect([sent.matching, failed.matching, pending.matching]).toEqual([44, 8, 78]);
    expect(failed.emails.every((e) => e.error !== null && e.sentAt === null)).toBe(true);
  });
});
