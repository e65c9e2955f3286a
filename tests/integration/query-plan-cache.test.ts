/**
 * The query-plan cache (app/platform/db/query-plan-cache.server.ts) on the tier's database: a read compiled once is
 * answered from its cached plan with fresh data, reads that differ only by a value get their own plans (their own
 * answers), writes are never cached, and a cached plan is never written to by Prisma (plans deep-frozen here).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase, type TestDatabase } from "../support/database";
import { withPrisma } from "../support/prisma";

describe("query-plan cache", () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await prepareDatabase();
    process.env.QUORUM_QUERY_PLAN_FREEZE = "1";
  });

  afterAll(async () => {
    await database?.dispose();
  });

  it("answers repeated reads from cached plans, with current data, one plan per value", async () => {
    await withPrisma(database, async (prisma) => {
      const { queryPlanCacheStats } = await import("~/platform/db/query-plan-cache.server");
      const org = await prisma.organisation.create({ data: { slug: "cpne-test-plans", name: "CPNE du test", legalName: "CPNE du test" } });
      const make = (n: number) =>
        prisma.user.create({
          data: {
            email: `membre${n}@example.org`,
            displayName: `Membre ${n}`,
            passwordHash: "x",
            memberships: { create: { organisationId: org.id, role: "MEMBER" } },
          },
        });
      const before = queryPlanCacheStats();
      await make(1);
      await make(2);
      const afterWrites = queryPlanCacheStats();
      // Writes naming their own texts (two e-mails) are compiled each time, never kept per value.
      expect(afterWrites.hits).toBe(before.hits);
      expect(afterWrites.templates).toBe(before.templates);
      expect(afterWrites.misses).toBe(before.misses + 2);

      const read = (email: string) =>
        prisma.user.findUnique({
          where: { email },
          select: { displayName: true, memberships: { select: { role: true, organisation: { select: { name: true } } } } },
        });
      // A plan is kept the second time its query is seen, and used from the third.
      const first = await read("membre1@example.org");
      const second = await read("membre1@example.org");
      const other = await read("membre2@example.org");
      const third = await read("membre1@example.org");
      expect(first).toEqual({ displayName: "Membre 1", memberships: [{ role: "MEMBER", organisation: { name: "CPNE du test" } }] });
      expect(second).toEqual(first);
      expect(third).toEqual(first);
      expect(other?.displayName).toBe("Membre 2");
      expect(await read("membre2@example.org")).toEqual(other);
      expect((await read("membre2@example.org"))?.displayName).toBe("Membre 2");
      const afterReads = queryPlanCacheStats();
      expect(afterReads.hits).toBe(afterWrites.hits + 2);
      expect(afterReads.misses).toBe(afterWrites.misses + 4);

      // The plan holds the query, not its answer.
      await prisma.user.update({ where: { email: "membre1@example.org" }, data: { displayName: "Membre un" } });
      expect((await read("membre1@example.org"))?.displayName).toBe("Membre un");
      expect(queryPlanCacheStats().hits).toBe(afterReads.hits + 1);

      // Raw SQL too: its plan is the text and its parameters, the answer read each time. Its string parameters are
      // filled into one plan per text (a template, below), made at the text's second sighting.
      const rawRead = (email: string) => prisma.$queryRaw<Array<{ displayName: string }>>`SELECT "displayName" FROM "User" WHERE "email" = ${email}`;
      const rename = (email: string, name: string) => prisma.$executeRaw`UPDATE "User" SET "displayName" = ${name} WHERE "email" = ${email}`;
      const beforeRaw = queryPlanCacheStats();
      expect(await rawRead("membre2@example.org")).toEqual([{ displayName: "Membre 2" }]);
      expect(await rename("membre2@example.org", "Membre deux")).toBe(1);
      expect(await rawRead("membre2@example.org")).toEqual([{ displayName: "Membre deux" }]);
      expect(await rename("membre2@example.org", "Membre 2")).toBe(1);
      expect(await rawRead("membre2@example.org")).toEqual([{ displayName: "Membre 2" }]);
      expect(await rawRead("membre1@example.org")).toEqual([{ displayName: "Membre un" }]);
      expect(await rename("membre1@example.org", "Membre un")).toBe(1);
      const afterRaw = queryPlanCacheStats();
      // Each text compiled at its first two sightings (its template made at the second, which that query's plan is
      // filled from and kept as), then filled: the same query again is found as it is, another member's is filled.
      expect(afterRaw.templates).toBe(beforeRaw.templates + 2);
      expect(afterRaw.misses).toBe(beforeRaw.misses + 4);
      expect(afterRaw.hits).toBe(beforeRaw.hits + 3);
      expect(afterRaw.templated).toBe(beforeRaw.templated + 2);

      // Lists, counts and groupings run several times on frozen plans (a write into one would throw).
      for (let i = 0; i < 3; i++) {
        const users = await prisma.user.findMany({
          where: { memberships: { some: { organisationId: org.id } } },
          orderBy: { email: "asc" },
          include: { memberships: { include: { organisation: true } } },
        });
        expect(users.map((u) => u.displayName)).toEqual(["Membre un", "Membre 2"]);
        expect(await prisma.membership.count({ where: { organisationId: org.id } })).toBe(2);
        const byRole = await prisma.membership.groupBy({ by: ["role"], where: { organisationId: org.id }, _count: true });
        expect(byRole).toEqual([{ role: "MEMBER", _count: 2 }]);
      }
    });
  });
  it("fills one plan per query shape with each query's ids, dates and raw parameters, writes too, and each answer is its own", async () => {
    await withPrisma(database, async (prisma) => {
      const { queryPlanCacheStats } = await import("~/platform/db/query-plan-cache.server");
      const orgs = await Promise.all(
        ["a", "b", "c", "d"].map((n) => prisma.organisation.create({ data: { slug: `cpne-modele-${n}`, name: `CPNE ${n}`, legalName: `CPNE ${n}` } })),
      );
      const dates = ["2026-01-05T08:00:00.000Z", "2026-02-05T08:00:00.000Z", "2026-03-05T08:00:00.000Z", "2026-04-05T08:00:00.000Z"];
      for (const [i, org] of orgs.entries()) {
        await prisma.certification.create({
          data: { organisationId: org.id, kind: "CQP", code: `CQP-T${i}`, title: `Titre ${i}`, scheme: {}, createdAt: new Date(dates[i]!) },
        });
      }
      // The same read for four organisations and dates: compiled for the first two, filled for the others.
      const read = (organisationId: string, since: string) =>
        prisma.certification.findMany({
          where: { organisationId, createdAt: { gte: new Date(since) } },
          select: { code: true, organisation: { select: { name: true } } },
        });
      const before = queryPlanCacheStats();
      for (const [i, org] of orgs.entries()) {
        expect(await read(org.id, dates[i]!)).toEqual([{ code: `CQP-T${i}`, organisation: { name: `CPNE ${"abcd"[i]}` } }]);
        // A later date than the certification's: none.
        expect(await read(org.id, "2027-01-01T00:00:00.000Z")).toEqual([]);
      }
      const after = queryPlanCacheStats();
      expect(after.templates).toBe(before.templates + 1);
      expect(after.templated).toBe(before.templated + 6);

      // Two ids that are the same value are another shape than two different ones: each answers alike.
      const both = (first: string, second: string) =>
        prisma.organisation.findMany({ where: { id: { in: [first, second] } }, orderBy: { slug: "asc" }, select: { slug: true } });
      for (let i = 0; i < 3; i++) {
        expect(await both(orgs[i]!.id, orgs[i]!.id)).toEqual([{ slug: `cpne-modele-${"abcd"[i]}` }]);
        expect(await both(orgs[i]!.id, orgs[i + 1]!.id)).toEqual([{ slug: `cpne-modele-${"abcd"[i]}` }, { slug: `cpne-modele-${"abcd"[i + 1]}` }]);
      }
      // An id-shaped text inside a pattern cannot be filled in: compiled per value, answered right.
      const named = (text: string) => prisma.organisation.count({ where: { name: { contains: text } } });
      const marks = queryPlanCacheStats();
      for (let i = 0; i < 3; i++) expect(await named(orgs[i]!.id)).toBe(0);
      expect(queryPlanCacheStats().untemplatable).toBe(marks.untemplatable + 1);

      // Writes naming only ids and dates are filled too: each creates its own row (its id generated as it runs) and
      // updates its own organisation's certification.
      const member = await prisma.user.create({ data: { email: "modele@example.org", displayName: "Modèle", passwordHash: "x" } });
      const beforeWrites = queryPlanCacheStats();
      for (const [i, org] of orgs.entries()) {
        await prisma.membership.create({ data: { userId: member.id, organisationId: org.id, role: "MEMBER" } });
        const changed = await prisma.certification.updateMany({ where: { organisationId: org.id }, data: { decisionDate: new Date(dates[i]!) } });
        expect(changed.count).toBe(1);
      }
      const afterCreates = queryPlanCacheStats();
      expect(afterCreates.templates).toBe(beforeWrites.templates + 2);
      expect(afterCreates.templated).toBe(beforeWrites.templated + 4);
      const memberships = await prisma.membership.findMany({ where: { userId: member.id }, select: { id: true, organisationId: true } });
      expect(memberships.map((m) => m.organisationId).sort()).toEqual(orgs.map((o) => o.id).sort());
      expect(new Set(memberships.map((m) => m.id)).size).toBe(4);
      const decided = await prisma.certification.findMany({ where: { organisationId: { in: orgs.map((o) => o.id) } }, orderBy: { code: "asc" }, select: { decisionDate: true } });
      expect(decided.map((c) => c.decisionDate?.toISOString())).toEqual(dates);

      // Raw SQL with a date and a string, for each organisation.
      const rawRead = (organisationId: string, since: Date) =>
        prisma.$queryRaw<Array<{ code: string }>>`SELECT "code" FROM "Certification" WHERE "organisationId" = ${organisationId} AND "createdAt" >= ${since}`;
      for (const [i, org] of orgs.entries()) {
        expect(await rawRead(org.id, new Date(dates[i]!))).toEqual([{ code: `CQP-T${i}` }]);
        expect(await rawRead(org.id, new Date("2027-01-01T00:00:00.000Z"))).toEqual([]);
      }
      // Raw SQL with bytes and arrays (a realtime edit's rows on PostgreSQL): each call its own values.
      const echo = (text: string, bytes: Buffer, list: string[]) =>
        prisma.$queryRawUnsafe<Array<{ text: string; bytes: string; items: string }>>(
          `SELECT $1::text AS "text", encode($2::bytea, 'hex') AS "bytes", array_to_string($3::text[], ',') AS "items"`,
          text,
          bytes,
          list,
        );
      const beforeBytes = queryPlanCacheStats();
      for (let i = 0; i < 4; i++) {
        const bytes = Buffer.from([i, 255 - i, 7 * i]);
        expect(await echo(`texte ${i} « é »`, bytes, [`a${i}`, `b${i}`])).toEqual([{ text: `texte ${i} « é »`, bytes: bytes.toString("hex"), items: `a${i},b${i}` }]);
      }
      expect(queryPlanCacheStats().templated).toBe(beforeBytes.templated + 2);

      // Every filled plan above was compared with Prisma's own (QUORUM_QUERY_PLAN_VERIFY=1 in vitest.config.ts).
      expect(queryPlanCacheStats().templated).toBeGreaterThan(after.templated + 6);
    });
  });
});
