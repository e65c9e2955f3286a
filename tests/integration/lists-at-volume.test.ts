/**
 * Lists at a few years' volume, every item reachable a page at a time, on the demo database (in-process):
 * - the outbox: fifty e-mails a page, newest first; the search and the delivery state narrow the pages;
 * - the past sessions: twenty-five a page, most recent first, the upcoming ones apart and whole;
 * a page past the end shows the last one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSeededDatabase } from "../support/prisma";

let prisma: import("~/platform/db/db.server").PrismaClient;
let close: () => Promise<void>;
let organisationId = "";
let secretariatId = "";

beforeAll(async () => {
  ({ prisma, close } = await openSeededDatabase());
  const secretariat = await prisma.user.findUniqueOrThrow({ where: { email: "secretariat@quorum.test" }, include: { memberships: true } });
  secretariatId = secretariat.id;
  organisationId = secretariat.memberships[0]!.organisationId;
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

describe("the sessions list", () => {
  it("shows the upcoming sessions whole and the past ones a page at a time, most recent first, each once", async () => {
    const { listPastSessions, listVisibleSessions, PAST_SESSIONS_PAGE_SIZE } = await import("~/live/sessions/queries.server");
    const { searchKeyOf } = await import("~/domain/search");
    const now = new Date();
    // Four years of monthly commissions.
    await prisma.session.createMany({
      data: Array.from({ length: 48 }, (_, i) => {
        const startsAt = new Date(now.getTime() - (i + 2) * 30 * 86_400_000);
        const title = `Commission mensuelle ${48 - i}`;
        return { organisationId, kind: "COMMISSION" as const, title, startsAt, endsAt: new Date(startsAt.getTime() + 3 * 3_600_000), status: "CLOSED" as const, searchKey: searchKeyOf(title) };
      }),
    });
    const pastCount = await prisma.session.count({ where: { organisationId, endsAt: { lt: now } } });
    const upcomingCount = await prisma.session.count({ where: { organisationId, endsAt: { gte: now } } });
    expect(pastCount).toBeGreaterThan(2 * PAST_SESSIONS_PAGE_SIZE);
    const upcoming = await listVisibleSessions(secretariatId, { endingFrom: now });
    expect(upcoming.sessions).toHaveLength(upcomingCount);
    const first = await listPastSessions(secretariatId, {}, now, 1);
    expect(first).toMatchObject({ page: 1, matching: pastCount, pageCount: Math.ceil(pastCount / PAST_SESSIONS_PAGE_SIZE) });
    const seen = [...first.sessions];
    for (let page = 2; page <= first.pageCount; page++) seen.push(...(await listPastSessions(secretariatId, {}, now, page)).sessions);
    expect(new Set(seen.map((s) => s.id)).size).toBe(pastCount);
    const starts = seen.map((s) => s.startsAt.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect((await listPastSessions(secretariatId, {}, now, 99)).sessions.map((s) => s.id)).toEqual(
      seen.slice((first.pageCount - 1) * PAST_SESSIONS_PAGE_SIZE).map((s) => s.id),
    );
    // The search narrows the past pages too.
    const found = await listPastSessions(secretariatId, { query: "mensuelle 48" }, now, 1);
    expect(found.sessions.map((s) => s.title)).toEqual(["Commission mensuelle 48"]);
    // A member sees only the sessions they sit on: none of these.
    const member = await prisma.user.findUniqueOrThrow({ where: { email: "membre2@quorum.test" } });
    expect((await listPastSessions(member.id, { query: "mensuelle" }, now, 1)).matching).toBe(0);
  });
});
