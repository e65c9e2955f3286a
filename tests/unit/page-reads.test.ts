/**
 * What pages no longer read twice (decision 0011): a published référentiel's tree comes from memory after its
 * first read while a draft's is read every time (its edits show at once); a request's memberships come with its
 * login session.
 */
import { describe, expect, it } from "vitest";
import { referentialTree } from "~/live/sessions/referential-tree.server";
import { membershipsOf } from "~/platform/auth/memberships.server";
import { runInRequestScope } from "~/platform/http/request-scope.server";
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
    };
    // The very array the session carries: a database read would build a new one.
    const memberships = await runInRequestScope({ auth }, () => membershipsOf("u1"));
    expect(memberships).toBe(auth.memberships);
  });
});
