/**
 * Sealing a grid before signatures, in-process: the real Yjs document server on port 0, the real access resolver
 * (`resolveDocumentAccess`, which reads the seats and `sealedAt`) over the demo organisation seeded in a PGlite
 * copy of the migrated template, and real y-websocket 3 clients. Only authentication is simplified: the cookie
 * `quorum_session=<account>` names a demo account.
 */
import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { Broadcaster, DocumentControl } from "../../realtime/yjs/document";
import type { DocumentStore } from "../../realtime/yjs/stores";
import type { TestDatabase } from "../support/database";
import { inDemoOrganisation } from "../support/demo-organisation";
import {
  deferred,
  inProcessDatabase,
  recordingLogger,
  fullyAcked,
  type ProviderClient,
  synced,
  until,
  type YjsHarness,
  yjsTestKit,
} from "../support/yjs-harness";

type Prisma = typeof import("~/platform/db/db.server").prisma;

const SEALED = "Document scellé : plus aucune modification n'est possible.";
const READ_ONLY = "Lecture seule : vous ne pouvez pas modifier ce document.";
const ACCOUNTS = {
  president: "president@quorum.test",
  membre1: "membre1@quorum.test",
  membre2: "membre2@quorum.test",
  observateur: "observateur@quorum.test",
} as const;
type Account = keyof typeof ACCOUNTS;

let database: TestDatabase;
let prisma: Prisma;
let yjsModule: typeof import("../../realtime/yjs/server");
let persistence: typeof import("../../realtime/yjs/stores");
let canonical: typeof import("~/domain/canonical");
let resolveDocumentAccess: typeof import("~/live/sessions/access.server").resolveDocumentAccess;
const users = {} as Record<Account, { id: string; email: string; displayName: string }>;
let sessionId: string;
let candidateId: string;

const { logged, logger } = recordingLogger();

beforeAll(async () => {
  ({ database, prisma } = await inProcessDatabase());
  const { seedDemoIfEmpty } = await import("../../prisma/seed/demo");
  await seedDemoIfEmpty(prisma);
  yjsModule = await import("../../realtime/yjs/server");
  persistence = await import("../../realtime/yjs/stores");
  canonical = await import("~/domain/canonical");
  ({ resolveDocumentAccess } = await import("~/live/sessions/access.server"));
  for (const [account, email] of Object.entries(ACCOUNTS) as [Account, string][]) {
    users[account] = await prisma.user.findUniqueOrThrow({
      where: { email },
      select: { id: true, email: true, displayName: true },
    });
  }
  // The demo commission where the three scoring accounts sit (the demo also has past and archived commissions).
  const session = await prisma.session.findFirstOrThrow({
    where: {
      ...inDemoOrganisation,
      kind: "COMMISSION",
      status: { not: "CLOSED" },
      AND: (["president", "membre1", "membre2"] as const).map((account) => ({ members: { some: { userId: users[account].id } } })),
    },
    orderBy: { startsAt: "asc" },
    select: { id: true, slots: { select: { candidateId: true }, take: 1 } },
  });
  sessionId = session.id;
  candidateId = session.slots[0].candidateId;
}, 180_000);

afterAll(async () => {
  const { disconnectDatabase } = await import("~/platform/db/db.server");
  await disconnectDatabase();
  await database.dispose();
});

/* ------------------------------------------------------------------------------------------------ harness */

const kit = yjsTestKit(() => yjsModule.createYjsServer, {
  authenticate: async (req) => {
    const match = /quorum_session=([a-z0-9]+)/.exec(req.headers.cookie ?? "");
    return match ? (users[match[1] as Account] ?? null) : null;
  },
  resolveAccess: (userId, name) => resolveDocumentAccess(userId, name),
  logger,
});
type Harness = YjsHarness;
type Client = ProviderClient;
const startServer = kit.startServer;
const client = (harness: Harness, name: string, account: Account): Client => kit.client(harness, name, account);

afterEach(async () => {
  await kit.cleanup();
  expect(logged.filter((entry) => entry.level === "error")).toEqual([]);
  logged.length = 0;
});

/**
 * A new candidate slot in the demo commission, its grid open, the scoring members having declared no conflict of
 * interest for it (what makes the grid writable for them): its grid document name.
 */
async function freshGrid(): Promise<string> {
  const position = (await prisma.sessionSlot.count({ where: { sessionId } })) + 1;
  const slot = await prisma.sessionSlot.create({
    data: { sessionId, candidateId, position, startsAt: new Date(), endsAt: new Date(Date.now() + 3_600_000) },
  });
  await prisma.conflictDeclaration.createMany({
    data: (["president", "membre1", "membre2"] as const).map((account) => ({
      slotId: slot.id,
      userId: users[account].id,
      noConflict: true,
    })),
  });
  return `grid:${sessionId}:${slot.id}`;
}

const results = (c: Client) => c.doc.getMap<string>("result").toJSON() as Record<string, string>;

/** The hash of what is stored now, recomputed from the database. */
async function storedHash(name: string): Promise<string> {
  const json = canonical.canonicalDocumentJson(await persistence.readStoredState(name));
  return createHash("sha256").update(json, "utf8").digest("hex");
}

const sealedContent = (json: string) => JSON.parse(json) as { result?: Record<string, string> };

/* ------------------------------------------------------------------------------------------------ tests */

describe("canonical content", () => {
  it("gives the same JSON and hash for the same visible content, whatever the edit history", () => {
    const first = new Y.Doc();
    first.getMap("result").set("c1", "acquis");
    first.getMap("result").set("c2", "non acquis");
    first.getMap("comment").set("c2", "À revoir");
    first.getText("notes").insert(0, "Très bien");

    const second = new Y.Doc();
    second.getText("notes").insert(0, "Bien");
    second.getMap("comment").set("c2", "À revoir");
    second.getMap("result").set("c2", "acquis");
    second.getMap("result").set("c2", "non acquis");
    second.getMap("result").set("brouillon", "x");
    second.getMap("result").delete("brouillon");
    second.getMap("result").set("c1", "acquis");
    second.getText("notes").insert(0, "Très ");
    second.getText("notes").delete(5, 1);
    second.getText("notes").insert(5, "b");
    second.getMap("vide").set("k", 1);
    second.getMap("vide").delete("k");

    const a = canonical.canonicalDocumentJson(Y.encodeStateAsUpdate(first));
    const b = canonical.canonicalDocumentJson(Y.encodeStateAsUpdate(second));
    expect(a).toBe('{"comment":{"c2":"À revoir"},"notes":"Très bien","result":{"c1":"acquis","c2":"non acquis"}}');
    expect(b).toBe(a);
    const hash = canonical.sha256Hex(a);
    expect(hash).toBe(createHash("sha256").update(a, "utf8").digest("hex"));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(canonical.canonicalDocumentJson(null)).toBe("{}");
  });

  it("keeps arrays in order and nested maps sorted", () => {
    const doc = new Y.Doc();
    const nested = new Y.Map<unknown>();
    doc.getArray("list").push(["z", 2, { b: 1, a: [true, null] }]);
    doc.getArray("list").insert(0, [nested]);
    nested.set("y", "2");
    nested.set("x", new Y.Text("texte"));
    expect(canonical.canonicalDocumentJson(Y.encodeStateAsUpdate(doc))).toBe(
      '{"list":[{"x":"texte","y":"2"},"z",2,{"a":[true,null],"b":1}]}',
    );
  });
});

describe("seal", () => {
  it("stores the edits already received, hashes them, and refuses every later edit with the sealed reason", async () => {
    const gate = deferred();
    let appendStarted = false;
    const gated: DocumentStore = {
      ...persistence.prismaDocumentStore,
      append: async (name, updates) => {
        appendStarted = true;
        await gate.promise;
        return persistence.prismaDocumentStore.append(name, updates);
      },
    };
    const harness = await startServer({ store: gated });
    const name = await freshGrid();
    const membre1 = client(harness, name, "membre1");
    const membre2 = client(harness, name, "membre2");
    await Promise.all([synced(membre1), synced(membre2)]);

    membre1.doc.getMap("result").set("c1", "acquis");
    await until(() => appendStarted, "first edit being written");
    membre1.doc.getMap("result").set("c2", "non acquis");
    await until(() => harness.yjs.stats().pendingUpdates === 2, "second edit queued behind it");
    const sealing = harness.yjs.seal(name);
    gate.resolve();
    const sealed = await sealing;

    expect(sealed.alreadySealed).toBe(false);
    expect(sealedContent(sealed.canonical)).toEqual({ result: { c1: "acquis", c2: "non acquis" } });
    expect(sealed.hash).toBe(createHash("sha256").update(sealed.canonical, "utf8").digest("hex"));
    await fullyAcked(membre1, "both edits acknowledged");
    await until(() => results(membre2).c2 === "non acquis", "the peer sees both edits");
    const row = await prisma.collabDocument.findUniqueOrThrow({ where: { name } });
    expect(row.sealedHash).toBe(sealed.hash);
    expect(row.sealedAt?.getTime()).toBe(sealed.sealedAt.getTime());

    membre2.doc.getMap("result").set("c1", "non acquis");
    await until(() => membre2.denied.length > 0, "edit after the seal denied");
    expect(membre2.denied).toEqual([SEALED]);
    expect(membre2.acked()).toBeLessThan(membre2.sent());
    expect(logged.some((entry) => entry.level === "warn" && entry.message.includes("document scellé"))).toBe(true);
    await harness.yjs.flush(name);
    expect(results(membre1).c1).toBe("acquis"); // never relayed
    expect(await storedHash(name)).toBe(sealed.hash); // never stored
  });

  it("under concurrent edits: each edit is in the sealed content or refused, never stored after the hash", async () => {
    const harness = await startServer();
    const name = await freshGrid();
    const writers = (["president", "membre1", "membre2"] as const).map((account) => ({
      account,
      client: client(harness, name, account),
      /** Edit key → index of the update message that carried it on the connection. */
      edits: new Map<string, number>(),
    }));
    await Promise.all(writers.map((writer) => synced(writer.client)));

    // Each writer sets a new key every 5 ms (well under the per-connection message budget) until told to stop.
    let stop = false;
    const loops = writers.map(async (writer) => {
      for (let i = 0; !stop; i++) {
        const key = `${writer.account}-${i}`;
        writer.client.doc.getMap("result").set(key, `valeur ${i}`);
        writer.edits.set(key, writer.client.sent());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    await until(() => writers.every((writer) => writer.client.acked() >= 20), "edits flowing from every writer");
    const sealed = await harness.yjs.seal(name);
    await until(() => writers.every((writer) => writer.client.denied.length >= 3), "every writer refused");
    stop = true;
    await Promise.all(loops);
    await harness.yjs.flush(name);

    const sealedKeys = new Set(Object.keys(sealedContent(sealed.canonical).result ?? {}));
    let inSeal = 0;
    for (const writer of writers) {
      const mine = Array.from(writer.edits.keys());
      const kept = mine.filter((key) => sealedKeys.has(key));
      inSeal += kept.length;
      // Every edit of this writer that is not in the seal is refused, one denial each…
      await until(() => writer.client.denied.length >= mine.length - kept.length, `${writer.account}'s denials`);
      expect(writer.client.denied.length).toBe(mine.length - kept.length);
      expect(new Set(writer.client.denied)).toEqual(new Set([SEALED]));
      // …and every sealed one is acknowledged, while no acknowledged edit is missing from the seal.
      const lastKept = Math.max(...kept.map((key) => writer.edits.get(key)!));
      await until(() => writer.client.acked() >= lastKept, `${writer.account}'s sealed edits acknowledged`);
      for (const [key, message] of writer.edits) {
        expect(sealedKeys.has(key), `${key} (message ${message}, ack ${writer.client.acked()})`).toBe(
          message <= writer.client.acked(),
        );
      }
    }
    expect(inSeal).toBe(sealedKeys.size); // nothing else in the seal
    // Each writer had ≥ 20 messages acknowledged before the seal, one of which may be its initial sync step 2.
    expect(inSeal).toBeGreaterThanOrEqual(writers.length * 19);
    expect(await storedHash(name)).toBe(sealed.hash);

    // A reader joining now sees exactly the sealed content.
    const observer = client(harness, name, "observateur");
    await synced(observer);
    expect(canonical.canonicalDocumentJson(Y.encodeStateAsUpdate(observer.doc))).toBe(sealed.canonical);
  });

  it("is idempotent: sealing again, even after a restart, returns the first hash and seal time", async () => {
    let harness = await startServer();
    const name = await freshGrid();
    const membre1 = client(harness, name, "membre1");
    await synced(membre1);
    membre1.doc.getMap("result").set("c1", "acquis");
    await fullyAcked(membre1, "edit stored");

    const first = await harness.yjs.seal(name);
    const again = await harness.yjs.seal(name);
    expect(again).toEqual({ ...first, alreadySealed: true });

    await harness.stop();
    harness = await startServer();
    expect(await resolveDocumentAccess(users.membre1.id, name)).toBe("read");
    const back = client(harness, name, "membre1");
    await synced(back);
    expect(results(back)).toEqual({ c1: "acquis" });
    back.doc.getMap("result").set("c1", "non acquis");
    await until(() => back.denied.length > 0, "reconnected writer refused");
    expect(back.denied).toEqual([SEALED]);
    expect(logged.some((entry) => entry.level === "warn" && entry.message.includes(users.membre1.id))).toBe(true);

    const afterRestart = await harness.yjs.seal(name);
    expect(afterRestart.hash).toBe(first.hash);
    expect(afterRestart.sealedAt.getTime()).toBe(first.sealedAt.getTime());
    expect(afterRestart.alreadySealed).toBe(true);
    expect(await storedHash(name)).toBe(first.hash);
  });

  it("seals a grid nobody opened yet as empty content", async () => {
    const harness = await startServer();
    const name = await freshGrid();
    const sealed = await harness.yjs.seal(name);
    expect(sealed.canonical).toBe("{}");
    expect(sealed.hash).toBe(createHash("sha256").update("{}").digest("hex"));
    expect(await resolveDocumentAccess(users.president.id, name)).toBe("read");
  });
});

/**
 * What the scale mode's fan-out carries for sealing (realtime/scale/yjs-fanout.ts over Redis), with a stand-in: it
 * delivers locally, records what this process publishes, and plays the other processes' part.
 */
function fakeFanOut() {
  const published: Array<{ name: string; control: DocumentControl }> = [];
  let handler: ((name: string, control: DocumentControl) => Promise<void>) | null = null;
  const broadcaster: Broadcaster = {
    broadcast: (document, message, except) => {
      for (const connection of document.connections) if (connection !== except) connection.send(message);
    },
    publishControl: (name, control) => void published.push({ name, control }),
    onControl: (received) => {
      handler = received;
    },
  };
  return {
    broadcaster,
    published: (name: string) => published.filter((entry) => entry.name === name).map((entry) => entry.control),
    /** Another process's control event, applied here; resolves once applied. */
    fromPeer: (name: string, control: DocumentControl) => handler!(name, control),
  };
}

describe("seal across processes (control events)", () => {
  it("tells the other processes: freeze before reading, then the outcome; and when the grid is reopened", async () => {
    const fanOut = fakeFanOut();
    const harness = await startServer({ broadcaster: fanOut.broadcaster });
    const name = await freshGrid();
    await harness.yjs.seal(name);
    expect(fanOut.published(name)).toEqual(["freeze", "seal-changed"]);
    await harness.yjs.unseal(name);
    expect(fanOut.published(name)).toEqual(["freeze", "seal-changed", "seal-changed"]);
  });

  it("freezes this copy while another process seals, and follows the database: writable again once reopened", async () => {
    const fanOut = fakeFanOut();
    const harness = await startServer({ broadcaster: fanOut.broadcaster });
    const name = await freshGrid();
    const membre1 = client(harness, name, "membre1");
    const membre2 = client(harness, name, "membre2");
    const president = client(harness, name, "president");
    const observer = client(harness, name, "observateur");
    await Promise.all([synced(membre1), synced(membre2), synced(president), synced(observer)]);

    // Another process starts sealing: this copy refuses edits at once.
    await fanOut.fromPeer(name, "freeze");
    membre1.doc.getMap("result").set("c1", "acquis");
    await until(() => membre1.denied.length > 0, "refused during the other process's seal");
    expect(membre1.denied).toEqual([SEALED]);

    // Its seal is committed: the copy stays frozen.
    await prisma.collabDocument.update({ where: { name }, data: { sealedAt: new Date(), sealedHash: "0".repeat(64) } });
    await fanOut.fromPeer(name, "seal-changed");
    president.doc.getMap("result").set("c2", "acquis");
    await until(() => president.denied.length > 0, "refused once sealed");
    expect(president.denied).toEqual([SEALED]);

    // The grid is reopened over there: a writer connected through it all writes again, on the same socket.
    await prisma.collabDocument.update({ where: { name }, data: { sealedAt: null, sealedHash: null } });
    await fanOut.fromPeer(name, "seal-changed");
    membre2.doc.getMap("result").set("c3", "non acquis");
    await fullyAcked(membre2, "membre2's edit stored");
    await until(() => results(observer).c3 === "non acquis", "peers see it");
    // The observer is still an observer.
    observer.doc.getMap("result").set("c4", "acquis");
    await until(() => observer.denied.length > 0, "observer refused");
    expect(observer.denied).toEqual([READ_ONLY]);
    expect(await storedHash(name)).toBe(
      createHash("sha256").update(JSON.stringify({ result: { c3: "non acquis" } }), "utf8").digest("hex"),
    );
  });
});

describe("unseal", () => {
  it("reopens the grid: writers edit again, observers stay read-only, a new seal covers the new edits", async () => {
    const harness = await startServer();
    const name = await freshGrid();
    const membre1 = client(harness, name, "membre1");
    const membre2 = client(harness, name, "membre2");
    const observer = client(harness, name, "observateur");
    await Promise.all([synced(membre1), synced(membre2), synced(observer)]);
    membre1.doc.getMap("result").set("c1", "acquis");
    await fullyAcked(membre1, "edit stored");
    const first = await harness.yjs.seal(name);

    membre2.doc.getMap("result").set("c2", "acquis");
    await until(() => membre2.denied.length === 1, "refused while sealed");
    expect(membre2.denied).toEqual([SEALED]);

    expect(await harness.yjs.unseal(name)).toBe(true);
    expect(await prisma.collabDocument.findUniqueOrThrow({ where: { name } })).toMatchObject({
      sealedAt: null,
      sealedHash: null,
    });
    expect(await resolveDocumentAccess(users.membre2.id, name)).toBe("write");

    // A writer connected through the seal edits again, on the same socket.
    membre1.doc.getMap("result").set("c3", "non acquis");
    await until(() => results(membre2).c3 === "non acquis", "a peer sees the edit made after reopening");
    // A writer who connects after the reopening writes too.
    const president = client(harness, name, "president");
    await synced(president);
    president.doc.getMap("comment").set("c3", "Argumentation insuffisante");
    await fullyAcked(president, "president's edit stored");
    // The observer is still an observer.
    observer.doc.getMap("result").set("c1", "non acquis");
    await until(() => observer.denied.length === 1, "observer refused");
    expect(observer.denied).toEqual([READ_ONLY]);

    await fullyAcked(membre1, "membre1's edit after reopening stored");
    const second = await harness.yjs.seal(name);
    expect(second.alreadySealed).toBe(false);
    expect(second.hash).not.toBe(first.hash);
    // The edit refused during the seal stays out; the one made after reopening is in.
    expect(sealedContent(second.canonical)).toEqual({
      result: { c1: "acquis", c3: "non acquis" },
      comment: { c3: "Argumentation insuffisante" },
    });
    expect(await harness.yjs.unseal(name)).toBe(true);
    expect(await harness.yjs.unseal(name)).toBe(false);
  });
});

describe("trainer conflict (resolver)", () => {
  it("gives a seated member who trained the candidate read access only to that candidate's grid", async () => {
    const name = await freshGrid();
    const { resolveDocumentGrant } = await import("~/live/sessions/access.server");
    await prisma.candidate.update({ where: { id: candidateId }, data: { trainerId: users.membre1.id } });
    try {
      expect(await resolveDocumentAccess(users.membre1.id, name)).toBe("read");
      expect(await resolveDocumentAccess(users.membre2.id, name)).toBe("write");
      expect((await resolveDocumentGrant(users.membre1.id, name)).rights).toEqual([]);
      const harness = await startServer();
      const trainer = client(harness, name, "membre1");
      await synced(trainer);
      trainer.doc.getMap("assessment").set(`${users.membre1.id}|c1`, "acquis");
      await until(() => trainer.denied.length === 1, "the trainer's score refused");
      expect(trainer.denied).toEqual([READ_ONLY]);
    } finally {
      await prisma.candidate.update({ where: { id: candidateId }, data: { trainerId: null } });
    }
  });

  it("makes a member read-only on a grid once she declares, before a jury, a conflict with its candidate — after her « aucun conflit » at the commission", async () => {
    // membre1 declared « aucun conflit d'intérêts » at the commission (freshGrid), then a conflict before a jury.
    const name = await freshGrid();
    const { resolveDocumentGrant } = await import("~/live/sessions/access.server");
    expect(await resolveDocumentAccess(users.membre1.id, name)).toBe("write");
    const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, select: { organisationId: true, referentialVersionId: true } });
    const dossier = await prisma.dossier.findFirstOrThrow({ where: { candidateId }, select: { id: true } });
    const jury = await prisma.session.create({
      data: {
        organisationId: session.organisationId,
        kind: "JURY",
        title: "Jury paritaire — conflit déclaré après la commission (test)",
        startsAt: new Date(Date.now() + 86_400_000),
        endsAt: new Date(Date.now() + 90_000_000),
        referentialVersionId: session.referentialVersionId,
        members: { create: [{ userId: users.membre1.id, role: "MEMBER", college: "EMPLOYEE" }] },
        agenda: { create: [{ dossierId: dossier.id, position: 1, conflicts: { create: [{ userId: users.membre1.id, conflict: true }] } }] },
      },
    });
    try {
      expect(await resolveDocumentAccess(users.membre1.id, name)).toBe("read");
      expect((await resolveDocumentGrant(users.membre1.id, name)).rights).toEqual([]);
      // Her colleague, with no conflict, still writes.
      expect(await resolveDocumentAccess(users.membre2.id, name)).toBe("write");
      const harness = await startServer();
      const member = client(harness, name, "membre1");
      await synced(member);
      member.doc.getMap("assessment").set(`${users.membre1.id}|c1`, "acquis");
      await until(() => member.denied.length === 1, "her score refused");
      expect(member.denied).toEqual([READ_ONLY]);
    } finally {
      await prisma.session.delete({ where: { id: jury.id } });
    }
  });

  it("gives no scoring right during « Accueil », the president alone the consolidated result afterwards", async () => {
    const name = await freshGrid();
    const { resolveDocumentGrant } = await import("~/live/sessions/access.server");
    expect((await resolveDocumentGrant(users.president.id, name)).rights).toEqual([]);
    const slotId = name.split(":")[2];
    await prisma.sessionSlot.update({ where: { id: slotId }, data: { phase: "EVALUATION" } });
    expect((await resolveDocumentGrant(users.president.id, name)).rights).toEqual(["score", "decide"]);
    expect((await resolveDocumentGrant(users.membre1.id, name)).rights).toEqual(["score"]);
  });
});
