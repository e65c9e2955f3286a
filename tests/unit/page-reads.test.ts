/**
 * What pages no longer read twice (decision 0011): a published référentiel's tree comes from memory after its
 * first read while a draft's is read every time (its edits show at once); a request's memberships come with its
 * login session.
 */
import { describe, expect, it } from "vitest";
import { referentialTree } from "~/live/sessions/referential-tree.server";
import { membershipsOf } from "~/platform/auth/memberships.server";
import { requestMemo, runInRequestScope } from "~/platform/http/request-scope.server";
import type { ValidSession } from "~/platform/auth/session.server";

/** A stand-in for Prisma that answers the version read and counts it. */
function fakeDb(rows: Record<string, { publishedAt: Date | null; title: string }>) {
  const reads: string[] = [];
  const db = {
    referentialVersion: {
      findUnique: async ({ where }: { where: { id: string } }) => {
        reads.push(where.id);
        const row = rows[where.id];
        return row ? { publishedAt: row.publishedAt, blocs: [{ id: `${where.id}-b1`, title: row.title, competences: [] }] } : null;
      },
    },
  };
  return { db: db as unknown as Parameters<typeof referentialTree>[0], reads };
}

describe("référentiel trees", () => {
  it("reads a published version once, then serves it from memory", async () => {
    const published = new Date("2026-01-01T00:00:00Z");
    const { db, reads } = fakeDb({ "v-pub-1": { publishedAt: published, title: "Bloc publié" } });
    const first = await referentialTree(db, { id: "v-pub-1", publishedAt: published });
    const second = await referentialTree(db, { id: "v-pub-1", publishedAt: published });
    expect(second).toEqual(first);
    expect(first[0].title).toBe("Bloc publié");
    expect(reads).toEqual(["v-pub-1"]);
  });

  it("reads a draft every time, so its edits show at once", async () => {
    const rows = { "v-draft-1": { publishedAt: null, title: "Avant" } };
    const { db, reads } = fakeDb(rows);
    expect((await referentialTree(db, { id: "v-draft-1", publishedAt: null }))[0].title).toBe("Avant");
    rows["v-draft-1"].title = "Après";
    expect((await referentialTree(db, { id: "v-draft-1", publishedAt: null }))[0].title).toBe("Après");
    expect(reads).toEqual(["v-draft-1", "v-draft-1"]);
  });

  it("does not keep a version the caller read as a draft, even if it was published in between", async () => {
    const rows = { "v-race-1": { publishedAt: new Date("2026-01-01T00:00:00Z") as Date | null, title: "Bloc" } };
    const { db, reads } = fakeDb(rows);
    await referentialTree(db, { id: "v-race-1", publishedAt: null });
    await referentialTree(db, { id: "v-race-1", publishedAt: null });
    expect(reads).toEqual(["v-race-1", "v-race-1"]);
  });
});

describe("memberships of the signed-in user", () => {
  it("come with the request's login session, without another read", async () => {
    const auth: ValidSession = {
      id: "s1",
      expiresAt: new Date(Date.now() + 60_000),
      renewed: false,
      user: { id: "u1", email: "u1@quorum.test", displayName: "U1" },
      memberships: [{ role: "SECRETARIAT", organisation: { id: "o1", name: "CPNEF" } }],
      activeOrganisationId: null,
    };
    // The very array the session carries: a database read would build a new one.
    const memberships = await runInRequestScope({ auth: Promise.resolve(auth) }, () => membershipsOf("u1"));
    expect(memberships).toBe(auth.memberships);
  });
});

describe("reads shared by one page (requestMemo)", () => {
  const counted = () => {
    let calls = 0;
    const read = async () => {
      calls++;
      return { rows: [{ id: `row-${calls}` }] };
    };
    return { read, calls: () => calls };
  };

  it("reads once per GET request and key, and again in the next request", async () => {
    const { read, calls } = counted();
    const page = () =>
      runInRequestScope({ auth: Promise.resolve(null), reads: new Map() }, async () => {
        const [a, b] = await Promise.all([requestMemo("decisions:org", read), requestMemo("decisions:org", read)]);
        const other = await requestMemo("decisions:other-org", read);
        return { a, b, other };
      });
    const first = await page();
    expect(first.a).toBe(first.b);
    expect(first.other).not.toBe(first.a);
    expect(calls()).toBe(2);
    const second = await page();
    expect(second.a).not.toBe(first.a);
    expect(calls()).toBe(4);
  });

  it("reads each time in a request that may write (an action) and outside any request", async () => {
    const { read, calls } = counted();
    await runInRequestScope({ auth: Promise.resolve(null), reads: null }, async () => {
      await requestMemo("decisions:org", read);
      await requestMemo("decisions:org", read);
    });
    await requestMemo("decisions:org", read);
    expect(calls()).toBe(3);
  });

  it("does not keep a failed read, and freezes what it shares when plans are frozen (tests' servers)", async () => {
    let attempt = 0;
    const flaky = async () => {
      attempt++;
      if (attempt === 1) throw new Error("base indisponible");
      return { rows: [{ id: "row", when: new Date(0) }] };
    };
    const previous = process.env.QUORUM_QUERY_PLAN_FREEZE;
    process.env.QUORUM_QUERY_PLAN_FREEZE = "1";
    try {
      await runInRequestScope({ auth: Promise.resolve(null), reads: new Map() }, async () => {
        await expect(requestMemo("k", flaky)).rejects.toThrow("base indisponible");
        const value = await requestMemo("k", flaky);
        expect(attempt).toBe(2);
        expect(Object.isFrozen(value.rows[0])).toBe(true);
        expect(() => value.rows.push({ id: "x", when: new Date(0) })).toThrow(TypeError);
        // A Date stays a usable Date.
        expect(value.rows[0]!.when.getTime()).toBe(0);
      });
    } finally {
      if (previous === undefined) delete process.env.QUORUM_QUERY_PLAN_FREEZE;
      else process.env.QUORUM_QUERY_PLAN_FREEZE = previous;
    }
  });
});
