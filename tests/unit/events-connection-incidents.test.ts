/**
 * The realtime layer reports a seated member's connection incidents for the procès-verbal: DISCONNECTED when the
 * member's last socket in a session drops (not while another tab stays; `voluntary` when the page closed it itself, not
 * when the transport failed), RECONNECTED when one joins again; each dated when the server saw it; the session's
 * pages told of each one recorded (`session:connection`). In-process
 * socket.io server, fake authentication and seats; the recorder is a spy (the use case's idempotence is its own).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachSessionEvents } from "../../realtime/events/server";
import { until } from "../support/clients";

type Recorded = { sessionId: string; userId: string; kind: string; at: Date; voluntary?: boolean; navigated?: boolean };
const recorded: Recorded[] = [];
/** Held by a test: « lent »'s first seat lookup, and the writing of his events (a busy database). */
const held = { seat: null as Promise<void> | null, seatAsked: false, record: null as Promise<void> | null };
let httpServer: http.Server;
let events: ReturnType<typeof attachSessionEvents>;
let url = "";

beforeAll(async () => {
  httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  events = attachSessionEvents(httpServer, {
    authenticate: async (req) => {
      const match = /quorum_session=([a-z]+)/.exec(req.headers.cookie ?? "");
      return match ? { id: match[1]!, email: `${match[1]}@example.test`, displayName: match[1]! } : null;
    },
    findSeat: async (userId, sessionId) => {
      if (userId === "lent" && held.seat) {
        const wait = held.seat;
        held.seat = null;
        held.seatAsked = true;
        await wait;
      }
      return { sessionId, userId, role: "MEMBER", college: null };
    },
    recordConnection: async (event) => {
      if (event.userId === "lent" && held.record) await held.record;
      recorded.push(event);
      // « muet »'s events are not recorded (as the use case answers for a duplicate drop or a first connection).
      return event.userId !== "muet";
    },
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await events.close();
  httpServer.closeAllConnections();
  await new Promise((resolve) => httpServer.close(resolve));
});

async function joined(user: string, payload: Record<string, unknown> = { sessionId: "s1" }): Promise<Socket> {
  const socket = connect(url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: `quorum_session=${user}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit("session:join", payload, resolve));
  expect(ack.ok).toBe(true);
  return socket;
}

describe("connection incidents", () => {
  it("a member's last socket dropping is a disconnection; a second tab keeps them connected; joining again reports a return", async () => {
    const first = await joined("marie");
    const second = await joined("marie");
    recorded.length = 0;
    first.disconnect();
    // The other tab is still in the room: no incident. A third member's join is the marker that the drop was handled.
    const other = await joined("paul");
    await until(() => recorded.some((r) => r.userId === "paul"), "paul's join reported");
    expect(recorded.filter((r) => r.userId === "marie" && r.kind === "DISCONNECTED")).toEqual([]);
    second.disconnect();
    await until(() => recorded.some((r) => r.userId === "marie" && r.kind === "DISCONNECTED"), "marie's disconnection");
    // Her page closed its socket itself (a navigation): the minutes decide whether that was an incident.
    expect(recorded.find((r) => r.userId === "marie" && r.kind === "DISCONNECTED")).toEqual({
      sessionId: "s1",
      userId: "marie",
      kind: "DISCONNECTED",
      at: expect.any(Date),
      voluntary: true,
    });
    const back = await joined("marie");
    await until(() => recorded.filter((r) => r.userId === "marie").at(-1)?.kind === "RECONNECTED", "marie's return");
    back.disconnect();
    other.disconnect();
  });

  it("tells the session's pages of each event recorded, and of none the recorder declined", async () => {
    const marie = await joined("marie");
    const told: Array<{ userId: string; kind: string }> = [];
    marie.on("session:connection", ({ userId, kind }: { userId: string; kind: string }) => told.push({ userId, kind }));
    const muet = await joined("muet");
    muet.disconnect();
    await until(() => recorded.some((r) => r.userId === "muet" && r.kind === "DISCONNECTED"), "muet's drop handled");
    const paul = await joined("paul");
    paul.disconnect();
    await until(() => told.some((t) => t.userId === "paul" && t.kind === "DISCONNECTED"), "paul's drop told");
    // One websocket delivers in order: anything about « muet » would have come before.
    expect(told.filter((t) => t.userId !== "marie")).toEqual([
      { userId: "paul", kind: "RECONNECTED" },
      { userId: "paul", kind: "DISCONNECTED" },
    ]);
    marie.disconnect();
  });

  it("a connection lost without a word from the page (the transport fails) is not a voluntary disconnection", async () => {
    const paul = await joined("paul");
    recorded.length = 0;
    paul.io.engine.close();
    await until(() => recorded.some((r) => r.userId === "paul" && r.kind === "DISCONNECTED"), "paul's lost connection");
    expect(recorded.find((r) => r.userId === "paul" && r.kind === "DISCONNECTED")).toEqual({
      sessionId: "s1",
      userId: "paul",
      kind: "DISCONNECTED",
      at: expect.any(Date),
    });
  });

  it("a return whose page says its tab just left a page of the session is reported as such; another page's is not", async () => {
    const paul = await joined("paul");
    recorded.length = 0;
    // His page's goodbye was lost as the browser unloaded it: the server sees the transport fail.
    paul.io.engine.close();
    await until(() => recorded.some((r) => r.userId === "paul" && r.kind === "DISCONNECTED"), "paul's drop");
    const next = await joined("paul", { sessionId: "s1", navigated: true });
    await until(() => recorded.some((r) => r.userId === "paul" && r.kind === "RECONNECTED"), "paul's return");
    expect(recorded.filter((r) => r.userId === "paul").map((r) => [r.kind, r.voluntary ?? false, r.navigated ?? false])).toEqual([
      ["DISCONNECTED", false, false],
      ["RECONNECTED", false, true],
    ]);
    next.io.engine.close();
    await until(() => recorded.filter((r) => r.userId === "paul" && r.kind === "DISCONNECTED").length === 2, "paul's second drop");
    const plain = await joined("paul");
    await until(() => recorded.filter((r) => r.userId === "paul" && r.kind === "RECONNECTED").length === 2, "paul's second return");
    expect(recorded.filter((r) => r.userId === "paul" && r.kind === "RECONNECTED").at(-1)).not.toHaveProperty("navigated");
    plain.disconnect();
  });

  it("refuses a join whose `navigated` is not a boolean, in French", async () => {
    const socket = connect(url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: "quorum_session=paul" } });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const ack = await new Promise<{ ok: boolean; error?: string }>((resolve) => socket.emit("session:join", { sessionId: "s1", navigated: "oui" }, resolve));
    expect(ack).toEqual({ ok: false, error: "Requête invalide." });
    socket.disconnect();
  });

  it("dates a return when the page asked to join and a drop when the socket closed, however long the server takes to record them", async () => {
    recorded.length = 0;
    const lent = connect(url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: "quorum_session=lent" } });
    await new Promise<void>((resolve, reject) => {
      lent.once("connect", () => resolve());
      lent.once("connect_error", reject);
    });
    // The seat lookup answers late, and the writing of his return too (a busy database).
    let releaseSeat = () => {};
    let releaseRecord = () => {};
    held.seat = new Promise<void>((resolve) => (releaseSeat = resolve));
    held.record = new Promise<void>((resolve) => (releaseRecord = resolve));
    const asked = Date.now();
    const ack = new Promise<{ ok: boolean }>((resolve) => lent.emit("session:join", { sessionId: "s1" }, resolve));
    await until(() => held.seatAsked, "the seat lookup started");
    await until(() => Date.now() - asked >= 60, "time passes while the lookup is held");
    const seatAnswered = Date.now();
    releaseSeat();
    expect((await ack).ok).toBe(true);
    // He leaves while his return is still being written: his drop waits its turn behind it.
    const closed = Date.now();
    lent.disconnect();
    await until(() => Date.now() - closed >= 60, "time passes while the writing is held");
    const written = Date.now();
    releaseRecord();
    await until(() => recorded.some((r) => r.userId === "lent" && r.kind === "DISCONNECTED"), "lent's drop");
    held.record = null;
    // The return is the moment the page asked; the drop the moment the socket closed.
    const back = recorded.find((r) => r.userId === "lent" && r.kind === "RECONNECTED")!;
    expect(back.at.getTime()).toBeGreaterThanOrEqual(asked);
    expect(back.at.getTime()).toBeLessThan(seatAnswered);
    const drop = recorded.find((r) => r.userId === "lent" && r.kind === "DISCONNECTED")!;
    expect(drop.at.getTime()).toBeGreaterThanOrEqual(closed);
    expect(drop.at.getTime()).toBeLessThan(written);
  });
});
