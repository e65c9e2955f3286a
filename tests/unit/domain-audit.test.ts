import { describe, expect, it } from "vitest";
import { brokenAnchors, computeAuditHash, findBrokenLink, GENESIS_HASH, type AuditPayload, type StoredAuditEvent } from "~/domain/audit";

function chain(payloads: AuditPayload[]): StoredAuditEvent[] {
  let prev = GENESIS_HASH;
  return payloads.map((p, i) => {
    const hash = computeAuditHash(prev, p);
    const event = { ...p, seq: i + 1, prevHash: prev, hash };
    prev = hash;
    return event;
  });
}

const payload = (action: string, data: unknown = {}): AuditPayload => ({
  organisationId: "org",
  actorId: "u1",
  action,
  subjectType: "SessionSlot",
  subjectId: "s1",
  data,
  ip: "127.0.0.1",
  userAgent: "test",
  createdAt: "2026-11-22T10:00:00.000Z",
});

describe("audit chain", () => {
  const events = chain([payload("grid.sealed", { hash: "abc" }), payload("grid.signed"), payload("grid.completed")]);

  it("accepts an intact chain", () => {
    expect(findBrokenLink(events)).toBeNull();
  });

  it("hashes the same content the same way whatever the key order", () => {
    const a = computeAuditHash(GENESIS_HASH, payload("x", { a: 1, b: 2 }));
    const b = computeAuditHash(GENESIS_HASH, { ...payload("x"), data: { b: 2, a: 1 } });
    expect(a).toBe(b);
  });

  it("reports the first event whose content was altered", () => {
    const tampered = events.map((e) => (e.seq === 2 ? { ...e, actorId: "someone-else" } : e));
    expect(findBrokenLink(tampered)).toEqual({ seq: "2", reason: "contenu modifié ou maillon recalculé sans la clé" });
  });

  it("reports a deleted event at the link that no longer matches", () => {
    expect(findBrokenLink([events[0], events[2]])).toEqual({ seq: "3", reason: "le maillon précédent ne correspond pas" });
  });

  it("continues a chain from a previous page's last hash", () => {
    expect(findBrokenLink(events.slice(1), events[0].hash)).toBeNull();
    expect(findBrokenLink(events.slice(1))).toEqual({ seq: "2", reason: "le maillon précédent ne correspond pas" });
  });
});

describe("keyed audit chain (HMAC-SHA-256) and anchors", () => {
  const key = new TextEncoder().encode("k".repeat(32));
  function keyedChain(payloads: AuditPayload[], k: Uint8Array | undefined, start = GENESIS_HASH): StoredAuditEvent[] {
    let prev = start;
    return payloads.map((p, i) => {
      const hash = computeAuditHash(prev, p, k);
      const event = { ...p, seq: i + 1, prevHash: prev, hash };
      prev = hash;
      return event;
    });
  }
  const events = keyedChain([payload("a"), payload("b"), payload("c")], key);

  it("verifies with the key, and a chain recomputed without the key (edit + rehash) is detected", () => {
    expect(findBrokenLink(events, undefined, key)).toBeNull();
    const edited = [events[0], { ...events[1], data: { forged: true } }, events[2]];
    // The forger rewrites every later hash, but without the secret: plain SHA-256 after a keyed link.
    let prev = events[0].hash;
    const rehashed = edited.slice(1).map((e) => {
      const { seq, prevHash: _p, hash: _h, ...rest } = e;
      const hash = computeAuditHash(prev, rest);
      const out = { ...rest, seq, prevHash: prev, hash };
      prev = hash;
      return out;
    });
    expect(findBrokenLink([events[0], ...rehashed], undefined, key)).toEqual({
      seq: "2",
      reason: "contenu modifié ou maillon recalculé sans la clé",
    });
    // With another key it is not the same chain either.
    expect(findBrokenLink(events, undefined, new TextEncoder().encode("x".repeat(32)))).not.toBeNull();
  });

  it("accepts legacy (unkeyed) links only before the first keyed one", () => {
    const legacy = keyedChain([payload("old1"), payload("old2")], undefined);
    const keyedAfter = keyedChain([payload("new")], key, legacy[1].hash).map((e) => ({ ...e, seq: 3 }));
    const walk = { prevHash: GENESIS_HASH, keyed: false, legacy: 0 };
    expect(findBrokenLink([...legacy, ...keyedAfter], undefined, key, walk)).toBeNull();
    expect(walk.legacy).toBe(2);
    const unkeyedAfter = keyedChain([payload("late")], undefined, keyedAfter[0].hash).map((e) => ({ ...e, seq: 4 }));
    expect(findBrokenLink([...legacy, ...keyedAfter, ...unkeyedAfter], undefined, key)?.seq).toBe("4");
  });

  it("detects deleted last events through an anchor", () => {
    const truncated = events.slice(0, 2);
    expect(findBrokenLink(truncated, undefined, key)).toBeNull(); // the chain alone cannot tell
    const hashes = new Map(truncated.map((e) => [String(e.seq), e.hash]));
    const anchor = { seq: "3", hash: events[2].hash, source: "pdf" };
    expect(brokenAnchors([anchor], (s) => hashes.get(s))).toHaveLength(1);
    expect(brokenAnchors([{ seq: "2", hash: events[1].hash, source: "pdf" }], (s) => hashes.get(s))).toEqual([]);
    expect(brokenAnchors([{ seq: "2", hash: "f".repeat(64), source: "x" }], (s) => hashes.get(s))[0].reason).toMatch(/différente/);
  });
});
