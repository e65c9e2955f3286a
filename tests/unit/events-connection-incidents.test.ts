/**
 * The realtime layer reports a seated member's connection incidents for the procès-verbal: DISCONNECTED when the
 * member's last socket in a session drops (not while another tab stays; `voluntary` when the page closed it itself, not
 * when the transport failed), RECONNECTED when one joins again. In-process
 * socket.io server, fake authentication and seats; the recorder is a spy (the use case's idempotence is its own).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachSessionEvents } from "../../realtime/events/server";
import { until } from "../support/clients";

type Recorded = { sessionId: string; userId: string; kind: string; voluntary?: boolean };
const recorded: Recorded[] = [];
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
    findSeat: async (userId, sessionId) => ({ sessionId, userId, role: "MEMBER", college: null }),
    recordConnection: async (event) => {
      recorded.push(event);
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

async function joined(user: string): Promise<Socket> {
  const socket = connect(url, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie: `quorum_session=${user}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  const ack = await new Promise<{ ok: boolean }>((resolve) => socket.emit("session:join", { sessionId: "s1" }, resolve));
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
      voluntary: true,
    });
    const back = await joined("marie");
    await until(() => recorded.filter((r) => r.userId === "marie").at(-1)?.kind === "RECONNECTED", "marie's return");
    back.disconnect();
    other.disconnect();
  });

  it("a connection lost without a word from the page (the transport fails) is not a voluntary disconnection", async () => {
    const paul = await joined("paul");
    recorded.length = 0;
    paul.io.engine.close();
    await until(() => recorded.some((r) => r.userId === "paul" && r.kind === "DISCONNECTED"), "paul's lost connection");
    expect(recorded.find((r) => r.userId === "paul" && r.kind === "DISCONNECTED")).toEqual({ sessionId: "s1", userId: "paul", kind: "DISCONNECTED" });
  });
});
