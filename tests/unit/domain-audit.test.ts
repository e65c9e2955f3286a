import { describe, expect, it } from "vitest";
import { computeAuditHash, findBrokenLink, GENESIS_HASH, type AuditPayload, type StoredAuditEvent } from "~/domain/audit";

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
    expect(findBrokenLink(tampered)).toEqual({ seq: "2", reason: "contenu modifié" });
  });

  it("reports a deleted event at the link that no longer matches", () => {
    expect(findBrokenLink([events[0], events[2]])).toEqual({ seq: "3", reason: "le maillon précédent ne correspond pas" });
  });

  it("continues a chain from a previous page's last hash", () => {
    expect(findBrokenLink(events.slice(1), events[0].hash)).toBeNull();
    expect(findBrokenLink(events.slice(1))).toEqual({ seq: "2", reason: "le maillon précédent ne correspond pas" });
  });
});
