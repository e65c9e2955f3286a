/** Pure parts of the session events: presence grouping, token bucket, room names, payload schemas. */
import { describe, expect, it } from "vitest";
import { summarizePresence } from "../../realtime/events/presence";
import { presenceIdleSchema, sessionJoinSchema } from "../../realtime/events/protocol";
import { createTokenBucket } from "../../realtime/events/rate-limit";
import { roomOf, sessionIdOfRoom } from "../../realtime/events/session-room";
import type { SocketData } from "../../realtime/events/types";

const socket = (userId: string, displayName: string, seats: SocketData["seats"], idle = false) => ({
  data: { user: { id: userId, email: `${userId}@example.test`, displayName }, seats, idle },
});

describe("summarizePresence", () => {
  it("groups sockets by user, counts devices, idle only when all devices are idle, sorts by role then name", () => {
    const member = { role: "MEMBER" as const, college: "EMPLOYEE" as const };
    const p = summarizePresence("s1", [
      socket("zoe", "Zoé", { s1: member }, true),
      socket("bob", "Bob", { s1: member }, true),
      socket("bob", "Bob", { s1: member }, false),
      socket("eve", "Ève", { s1: { role: "PRESIDENT", college: "EMPLOYER" } }, true),
      socket("obs", "Anne", { s1: { role: "OBSERVER", college: null } }),
      socket("out", "Hors session", { s2: member }), // in the room but without a seat for s1
      { data: undefined },
      { data: {} },
    ]);
    expect(p).toEqual({
      sessionId: "s1",
      members: [
        { userId: "eve", displayName: "Ève", role: "PRESIDENT", devices: 1, idle: true },
        { userId: "bob", displayName: "Bob", role: "MEMBER", devices: 2, idle: false },
        { userId: "zoe", displayName: "Zoé", role: "MEMBER", devices: 1, idle: true },
        { userId: "obs", displayName: "Anne", role: "OBSERVER", devices: 1, idle: false },
      ],
    });
  });

  it("is empty for an empty room", () => {
    expect(summarizePresence("s1", [])).toEqual({ sessionId: "s1", members: [] });
  });
});

describe("createTokenBucket", () => {
  it("allows a burst then refills over time", () => {
    let now = 0;
    const bucket = createTokenBucket(3, 2, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 500; // +1 token
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 60_000; // capped at capacity
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });
});

describe("rooms and schemas", () => {
  it("names session rooms", () => {
    expect(roomOf("abc")).toBe("session:abc");
    expect(sessionIdOfRoom("session:abc")).toBe("abc");
    expect(sessionIdOfRoom("session:")).toBeNull();
    expect(sessionIdOfRoom("socket-id")).toBeNull();
  });

  it("validates payloads with French messages", () => {
    expect(sessionJoinSchema.safeParse({ sessionId: "cm1abc", extra: 1 })).toEqual({
      success: true,
      data: { sessionId: "cm1abc" },
    });
    const bad = presenceIdleSchema.safeParse({ sessionId: "", idle: 1 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("Identifiant de session manquant.");
    expect(bad.error?.issues.map((i) => i.message)).toContain("État d'activité invalide.");
  });
});
