/**
 * Session events over socket.io, end to end in-process: a real HTTP server on port 0, real socket.io clients over
 * websocket, fake `authenticate` (cookie `quorum_session=<userId>`) and fake `findSeat`. No database.
 */
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MESSAGES, type JoinAck, type Presence, type SimpleAck } from "../../realtime/events/protocol";
import { attachSessionEvents } from "../../realtime/events/server";
import { TRANSIENT_JOIN_ERRORS } from "~/components/live/use-session-socket";
import type { AuthenticatedUser, SeatRecord } from "../../realtime/events/types";

const USERS: Record<string, AuthenticatedUser> = {
  alice: { id: "alice", email: "alice@example.test", displayName: "Alice Martin" },
  bob: { id: "bob", email: "bob@example.test", displayName: "Bob Durand" },
  carol: { id: "carol", email: "carol@example.test", displayName: "Carol Petit" },
  boom: { id: "boom", email: "boom@example.test", displayName: "Boom" },
  dave: { id: "dave", email: "dave@example.test", displayName: "Dave Leroy" },
};
const SEATS: SeatRecord[] = [
  { sessionId: "s1", userId: "alice", role: "PRESIDENT", college: "EMPLOYER" },
  { sessionId: "s1", userId: "bob", role: "MEMBER", college: "EMPLOYEE" },
  { sessionId: "s1", userId: "boom", role: "OBSERVER", college: null },
];
/** Seats removed by the planning (a member taken off the session). */
const removedSeats = new Set<string>();
/** Login sessions ended (signed out, closed, expired), by sign-in id. */
const endedSignIns = new Set<string>();
/** Seat lookups answered with a seat that is removed right after (a removal racing a join). */
const seatGoingAway = new Set<string>();
/** Users whose seat lookups fail (the database unreachable for them). */
const lookupFails = new Set<string>();

let httpServer: http.Server;
let events: ReturnType<typeof attachSessionEvents>;
let url: string;
const clients: Socket[] = [];
const errors: unknown[] = [];

beforeAll(async () => {
  httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  events = attachSessionEvents(httpServer, {
    authenticate: async (req) => {
      const match = /quorum_session=([a-z]+)/.exec(req.headers.cookie ?? "");
      const user = match ? USERS[match[1]] : undefined;
      return user ? { ...user, signInId: `sign-in-${user.id}` } : null;
    },
    openSignIns: async (ids) => new Set(ids.filter((id) => !endedSignIns.has(id))),
    findSeat: async (userId, sessionId) => {
      if (userId === "boom" || lookupFails.has(userId)) throw new Error("base de données indisponible");
      if (seatGoingAway.delete(userId)) return { sessionId, userId, role: "MEMBER", college: null };
      if (removedSeats.has(`${userId}|${sessionId}`)) return null;
      return SEATS.find((s) => s.userId === userId && s.sessionId === sessionId) ?? null;
    },
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  process.on("uncaughtException", recordError);
});

const recordError = (error: unknown) => errors.push(error);

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  await events.close();
  httpServer.closeAllConnections();
  await new Promise((resolve) => httpServer.close(resolve));
  process.off("uncaughtException", recordError);
  expect(errors).toEqual([]);
});

function client(user: string | null, headers: Record<string, string> = {}): Socket {
  const socket = connect(url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { ...(user ? { cookie: `theme=dark; quorum_session=${user}` } : {}), ...headers },
  });
  clients.push(socket);
  return socket;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

function connectError(socket: Socket): Promise<Error & { data?: { message: string } }> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("connected unexpectedly")));
    socket.once("connect_error", resolve);
  });
}

/** Records every `presence` and resolves the first one (already received or future) matching `predicate`. */
function presenceLog(socket: Socket) {
  const seen: Presence[] = [];
  const waiters: Array<{ predicate: (p: Presence) => boolean; resolve: (p: Presence) => void }> = [];
  socket.on("presence", (p: Presence) => {
    seen.push(p);
    for (const w of [...waiters]) {
      if (w.predicate(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  return {
    seen,
    /** Waits for a presence received after this call that matches. */
    next(predicate: (p: Presence) => boolean, ms = 2000): Promise<Presence> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching presence; last: ${JSON.stringify(seen.at(-1))}`)), ms);
        waiters.push({ predicate, resolve: (p) => (clearTimeout(timer), resolve(p)) });
      });
    },
  };
}

const emit = <T>(socket: Socket, event: string, ...args: unknown[]): Promise<T> =>
  socket.timeout(2000).emitWithAck(event, ...args) as Promise<T>;

const member = (p: Presence, userId: string) => p.members.find((m) => m.userId === userId);

async function until(predicate: () => boolean, what: string, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("handshake", () => {
  it("refuses a socket without a session cookie, with a French message", async () => {
    const error = await connectError(client(null));
    expect(error.message).toBe("unauthorized");
    expect(error.data?.message).toBe("Session expirée ou absente : reconnectez-vous.");
  });

  it("refuses an unknown session cookie", async () => {
    const error = await connectError(client("mallory"));
    expect(error.message).toBe("unauthorized");
  });

  it("refuses a cross-site handshake and accepts a same-origin one", async () => {
    const error = await connectError(client("alice", { origin: "https://evil.example" }));
    expect(error.message).toBe("forbidden");
    expect(error.data?.message).toBe(MESSAGES.forbidden);
    const bad = await connectError(client("alice", { origin: "not a url" }));
    expect(bad.message).toBe("forbidden");
    await connected(client("alice", { origin: url }));
  });
});

describe("session rooms and presence", () => {
  it("joins, shares presence, counts devices, tracks idleness and departures", async () => {
    const alice = client("alice");
    const bob = client("bob");
    await Promise.all([connected(alice), connected(bob)]);
    const aliceLog = presenceLog(alice);
    const bobLog = presenceLog(bob);

    const aliceJoin = await emit<JoinAck>(alice, "session:join", { sessionId: "s1" });
    expect(aliceJoin).toMatchObject({ ok: true, seat: { role: "PRESIDENT", college: "EMPLOYER" } });

    const bothSeeTwo = (p: Presence) => p.sessionId === "s1" && p.members.length === 2;
    const [seenByAlice, seenByBob] = await Promise.all([
      aliceLog.next(bothSeeTwo),
      bobLog.next(bothSeeTwo),
      emit<JoinAck>(bob, "session:join", { sessionId: "s1" }).then((ack) => {
        expect(ack).toMatchObject({ ok: true, seat: { role: "MEMBER", college: "EMPLOYEE" } });
        if (ack.ok) expect(ack.presence.members.map((m) => m.userId)).toEqual(["alice", "bob"]);
      }),
    ]);
    for (const p of [seenByAlice, seenByBob]) {
      expect(p.members).toEqual([
        { userId: "alice", displayName: "Alice Martin", role: "PRESIDENT", devices: 1, idle: false },
        { userId: "bob", displayName: "Bob Durand", role: "MEMBER", devices: 1, idle: false },
      ]);
    }

    // A second device for Alice.
    const aliceTablet = client("alice");
    await connected(aliceTablet);
    const twoDevices = bobLog.next((p) => member(p, "alice")?.devices === 2);
    await emit<JoinAck>(aliceTablet, "session:join", { sessionId: "s1" });
    expect((await twoDevices).members).toHaveLength(2);

    // Idle only when every device of the user is idle.
    const oneIdle = bobLog.next((p) => member(p, "alice")?.devices === 2);
    expect(await emit<SimpleAck>(alice, "presence:idle", { sessionId: "s1", idle: true })).toEqual({ ok: true });
    expect(member(await oneIdle, "alice")?.idle).toBe(false);
    const allIdle = bobLog.next((p) => member(p, "alice")?.idle === true);
    await emit<SimpleAck>(aliceTablet, "presence:idle", { sessionId: "s1", idle: true });
    expect(member(await allIdle, "alice")).toMatchObject({ devices: 2, idle: true });
    const active = bobLog.next((p) => member(p, "alice")?.idle === false);
    await emit<SimpleAck>(aliceTablet, "presence:idle", { sessionId: "s1", idle: false });
    await active;

    // A device disconnects.
    const oneDevice = bobLog.next((p) => member(p, "alice")?.devices === 1);
    aliceTablet.disconnect();
    await oneDevice;

    // Bob leaves.
    const bobGone = aliceLog.next((p) => p.members.length === 1);
    expect(await emit<SimpleAck>(bob, "session:leave", { sessionId: "s1" })).toEqual({ ok: true });
    expect((await bobGone).members[0].userId).toBe("alice");
    // A left socket no longer receives the room's presence and cannot report idleness there.
    expect(await emit<SimpleAck>(bob, "presence:idle", { sessionId: "s1", idle: true })).toEqual({
      ok: false,
      error: MESSAGES.notJoined,
    });
  });

  it("refuses a user who does not sit in the session", async () => {
    const carol = client("carol");
    await connected(carol);
    expect(await emit<JoinAck>(carol, "session:join", { sessionId: "s1" })).toEqual({
      ok: false,
      error: "Vous ne siégez pas dans cette session.",
    });
    const alice = client("alice");
    await connected(alice);
    expect(await emit<JoinAck>(alice, "session:join", { sessionId: "other" })).toEqual({
      ok: false,
      error: MESSAGES.notSeated,
    });
  });

  it("turns a failing seat lookup into an error ack", async () => {
    const boom = client("boom");
    await connected(boom);
    expect(await emit<JoinAck>(boom, "session:join", { sessionId: "s1" })).toEqual({
      ok: false,
      error: MESSAGES.internal,
    });
    expect(boom.connected).toBe(true);
  });
});

describe("seat removed mid-session", () => {
  it("refreshSession tells a socket whose seat is gone, in French, and disconnects it; the others stay", async () => {
    const alice = client("alice");
    const bob = client("bob");
    const bobTablet = client("bob");
    await Promise.all([connected(alice), connected(bob), connected(bobTablet)]);
    for (const socket of [alice, bob, bobTablet]) {
      expect(await emit<JoinAck>(socket, "session:join", { sessionId: "s1" })).toMatchObject({ ok: true });
    }
    const removed: unknown[] = [];
    const reasons: string[] = [];
    for (const socket of [bob, bobTablet]) {
      socket.on("session:removed", (payload: unknown) => removed.push(payload));
      socket.on("disconnect", (reason) => reasons.push(reason));
    }
    const aliceAlone = presenceLog(alice).next((p) => p.members.length === 1);

    const bobSeat = SEATS.findIndex((seat) => seat.userId === "bob");
    const [seat] = SEATS.splice(bobSeat, 1);
    try {
      await events.refreshSession("s1");
      await until(() => reasons.length === 2, "both of bob's sockets disconnected");
    } finally {
      SEATS.splice(bobSeat, 0, seat);
    }
    expect(removed).toEqual([
      { sessionId: "s1", message: "Vous ne siégez plus dans cette session." },
      { sessionId: "s1", message: "Vous ne siégez plus dans cette session." },
    ]);
    expect(reasons).toEqual(["io server disconnect", "io server disconnect"]); // socket.io does not reconnect
    expect((await aliceAlone).members.map((m) => m.userId)).toEqual(["alice"]);
    expect(alice.connected).toBe(true);
  });

  it("takes out of the room a socket whose seat cannot be re-checked, and lets it back once it can", async () => {
    const alice = client("alice");
    const bob = client("bob");
    await Promise.all([connected(alice), connected(bob)]);
    for (const socket of [alice, bob]) {
      expect(await emit<JoinAck>(socket, "session:join", { sessionId: "s1" })).toMatchObject({ ok: true });
    }
    const rechecks: unknown[] = [];
    bob.on("session:recheck", (payload: unknown) => rechecks.push(payload));
    const aliceAlone = presenceLog(alice).next((p) => p.members.length === 1);

    lookupFails.add("bob");
    try {
      await events.refreshSession("s1"); // resolves: the failure is handled (and logged), not thrown
      await until(() => rechecks.length === 1, "bob asked to join again");
      expect(rechecks).toEqual([{ sessionId: "s1", message: MESSAGES.recheck }]);
      expect((await aliceAlone).members.map((m) => m.userId)).toEqual(["alice"]);
      expect(bob.connected).toBe(true);
      // Still unreachable: the join is refused with an error the page retries on, and bob stays out.
      expect(await emit<JoinAck>(bob, "session:join", { sessionId: "s1" })).toEqual({ ok: false, error: MESSAGES.internal });
      expect(await emit<SimpleAck>(bob, "presence:idle", { sessionId: "s1", idle: true })).toEqual({
        ok: false,
        error: MESSAGES.notJoined,
      });
    } finally {
      lookupFails.delete("bob");
    }
    const bothAgain = presenceLog(alice).next((p) => p.members.length === 2);
    expect(await emit<JoinAck>(bob, "session:join", { sessionId: "s1" })).toMatchObject({ ok: true });
    expect((await bothAgain).members.map((m) => m.userId).sort()).toEqual(["alice", "bob"]);
  });

  it("the page retries its join exactly on the refusals that say nothing about the seat", () => {
    expect([...TRANSIENT_JOIN_ERRORS].sort()).toEqual([MESSAGES.internal, MESSAGES.rateLimited, MESSAGES.unavailable].sort());
  });

  it("refuses a join whose seat was removed while the socket was joining the room", async () => {
    const dave = client("dave");
    await connected(dave);
    seatGoingAway.add("dave"); // the first lookup finds the seat, the removal commits before the socket is in the room
    expect(await emit<JoinAck>(dave, "session:join", { sessionId: "s1" })).toEqual({ ok: false, error: MESSAGES.notSeated });
    // Not in the room: no presence of s1 reaches it, and it cannot report idleness there.
    expect(await emit<SimpleAck>(dave, "presence:idle", { sessionId: "s1", idle: true })).toEqual({
      ok: false,
      error: MESSAGES.notJoined,
    });
  });
});

describe("connection state recovery", () => {
  it("restores rooms and seats after a short transport loss", async () => {
    const alice = client("alice");
    const bob = connect(url, {
      transports: ["websocket"],
      extraHeaders: { cookie: "quorum_session=bob" },
      reconnectionDelay: 50,
    });
    clients.push(bob);
    await Promise.all([connected(alice), connected(bob)]);
    await emit<JoinAck>(alice, "session:join", { sessionId: "s1" });
    await emit<JoinAck>(bob, "session:join", { sessionId: "s1" });
    const log = presenceLog(alice);

    const bobLeft = log.next((p) => p.members.length === 1);
    const bobBack = new Promise<void>((resolve) => bob.io.once("reconnect", () => resolve()));
    bob.io.engine.close(); // transport loss, not a deliberate disconnect
    await bobLeft;
    await bobBack;
    await connected(bob);
    expect(bob.recovered).toBe(true);
    await log.next((p) => member(p, "bob")?.devices === 1);
    // Still seated without a new session:join.
    expect(await emit<SimpleAck>(bob, "presence:idle", { sessionId: "s1", idle: true })).toEqual({ ok: true });
    expect(member(await log.next((p) => member(p, "bob")?.idle === true), "bob")?.role).toBe("MEMBER");
  });

  it("does not bring back a member whose seat was removed during the loss, nor what the room said meanwhile", async () => {
    const alice = client("alice");
    const bob = connect(url, { transports: ["websocket"], extraHeaders: { cookie: "quorum_session=bob" }, reconnectionDelay: 50 });
    clients.push(bob);
    await Promise.all([connected(alice), connected(bob)]);
    await emit<JoinAck>(alice, "session:join", { sessionId: "s1" });
    await emit<JoinAck>(bob, "session:join", { sessionId: "s1" });
    const log = presenceLog(alice);
    const bobLog = presenceLog(bob);

    const bobLeft = log.next((p) => member(p, "bob") === undefined);
    const bobBack = new Promise<void>((resolve) => bob.io.once("reconnect", () => resolve()));
    bob.io.engine.close(); // his network drops
    await bobLeft;
    // Meanwhile the secretariat takes him off the session (its re-check does not see his socket: it is not there),
    // and the room goes on: Alice's second tab.
    removedSeats.add("bob|s1");
    const secondTab = client("alice");
    await connected(secondTab);
    await emit<JoinAck>(secondTab, "session:join", { sessionId: "s1" });
    await log.next((p) => member(p, "alice")?.devices === 2);
    try {
      await bobBack;
      await connected(bob);
      // A fresh connection: not in the room, nothing of what the room said while he was away.
      expect(bob.recovered).toBe(false);
      expect(await emit<SimpleAck>(bob, "presence:idle", { sessionId: "s1", idle: true })).toEqual({ ok: false, error: MESSAGES.notJoined });
      expect(bobLog.seen.filter((p) => member(p, "alice")?.devices === 2)).toEqual([]);
      // His page joins again: refused, in French.
      expect(await emit<JoinAck>(bob, "session:join", { sessionId: "s1" })).toEqual({ ok: false, error: MESSAGES.notSeated });
    } finally {
      removedSeats.delete("bob|s1");
    }
  });

  it("does not recover a socket whose login session ended during the loss", async () => {
    const bob = connect(url, { transports: ["websocket"], extraHeaders: { cookie: "quorum_session=bob" }, reconnectionDelay: 50 });
    clients.push(bob);
    await connected(bob);
    await emit<JoinAck>(bob, "session:join", { sessionId: "s1" });
    const bobBack = new Promise<void>((resolve) => bob.io.once("reconnect", () => resolve()));
    bob.io.engine.close();
    // Signed out from another device while the network was gone; the cookie his browser sends still names a user
    // (here the fake authentication accepts it), the login session the socket was opened with is over.
    endedSignIns.add("sign-in-bob");
    try {
      await bobBack;
      await connected(bob);
      expect(bob.recovered).toBe(false);
      expect(await emit<SimpleAck>(bob, "presence:idle", { sessionId: "s1", idle: true })).toEqual({ ok: false, error: MESSAGES.notJoined });
    } finally {
      endedSignIns.delete("sign-in-bob");
    }
  });
});

describe("malformed input", () => {
  it("answers invalid payloads in French and keeps serving", async () => {
    const alice = client("alice");
    await connected(alice);
    const invalid = { ok: false, error: "Requête invalide." };
    expect(await emit(alice, "session:join", null)).toEqual(invalid);
    expect(await emit(alice, "session:join", 42)).toEqual(invalid);
    expect(await emit(alice, "session:join", "s1")).toEqual(invalid);
    expect(await emit(alice, "session:join")).toEqual(invalid);
    expect(await emit(alice, "session:join", [])).toEqual(invalid);
    expect(await emit(alice, "session:join", {})).toEqual({ ok: false, error: "Identifiant de session manquant." });
    expect(await emit(alice, "session:join", { sessionId: 7 })).toEqual({
      ok: false,
      error: "Identifiant de session invalide.",
    });
    expect(await emit(alice, "session:join", { sessionId: "x".repeat(60_000) })).toEqual({
      ok: false,
      error: "Identifiant de session invalide.",
    });
    expect(await emit(alice, "session:join", { sessionId: "../s1" })).toEqual({
      ok: false,
      error: "Identifiant de session invalide.",
    });
    expect(await emit(alice, "presence:idle", { sessionId: "s1", idle: "yes" })).toEqual({
      ok: false,
      error: "État d'activité invalide.",
    });
    expect(await emit(alice, "session:leave", { sessionId: null })).toMatchObject({ ok: false });

    // Without ack, or with non-function "acks": ignored, or processed without replying.
    alice.emit("session:join", null);
    alice.emit("session:join", 42, "not a function");
    alice.emit("presence:idle");
    alice.emit("unknown:event", { a: 1 });
    const log = presenceLog(alice);
    const joined = log.next((p) => member(p, "alice") !== undefined);
    alice.emit("session:join", { sessionId: "s1" }, 12, { ack: true });
    await joined;

    expect(alice.connected).toBe(true);
    expect(await emit<JoinAck>(alice, "session:join", { sessionId: "s1" })).toMatchObject({ ok: true });
  });

  it("drops a socket sending more than 64 KiB, and only that one", async () => {
    const alice = client("alice");
    const bob = client("bob");
    await Promise.all([connected(alice), connected(bob)]);
    const dropped = new Promise<string>((resolve) => bob.once("disconnect", resolve));
    bob.emit("session:join", { sessionId: "x".repeat(100_000) });
    expect(await dropped).toBe("transport close");

    expect(alice.connected).toBe(true);
    expect(await emit<JoinAck>(alice, "session:join", { sessionId: "s1" })).toMatchObject({ ok: true });
    const again = client("bob");
    await connected(again);
    expect(await emit<JoinAck>(again, "session:join", { sessionId: "s1" })).toMatchObject({ ok: true });
  });

  it("rate-limits floods with an error ack", async () => {
    const carol = client("carol");
    await connected(carol);
    const acks = await Promise.all(
      Array.from({ length: 40 }, () => emit<SimpleAck>(carol, "session:leave", { sessionId: "s1" })),
    );
    expect(acks.filter((a) => a.ok)).not.toHaveLength(0);
    expect(acks).toContainEqual({ ok: false, error: MESSAGES.rateLimited });
    expect(carol.connected).toBe(true);
  });
});

describe("close", () => {
  it("disconnects clients without waiting for the HTTP server's other connections", async () => {
    // Runs last: a dedicated server so the shared one stays up for afterAll.
    const server = http.createServer();
    const own = attachSessionEvents(server, {
      authenticate: async () => USERS.alice,
      findSeat: async () => null,
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const socket = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      transports: ["websocket"],
      reconnection: false,
    });
    clients.push(socket);
    await connected(socket);
    // Another long-lived connection (a Yjs websocket, a keep-alive request) stays open meanwhile.
    const other = await new Promise<net.Socket>((resolve) => {
      const raw = net.connect((server.address() as AddressInfo).port, "127.0.0.1", () => resolve(raw));
    });
    const gone = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    server.close(); // as the composition root does, before events.close()
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await gone).toBe("transport close");
    other.destroy();
    await own.close(); // idempotent
    server.closeAllConnections();
  });
});
