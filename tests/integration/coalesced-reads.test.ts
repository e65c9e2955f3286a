/**
 * The jury room and the secretariat's desk are read once for the requests that ask at the same time
 * (app/platform/http/coalesced-read.server.ts): while other members keep reloading the room, a command's author who
 * reads the room just after the command's answer sees it, every time — never a read that started before the command
 * committed. Same for the desk while other desks load. On the production server, both database tiers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { juryCommand, routeData } from "../support/clients";
import { login, prepareDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
let sessionId = "";

type Room = { session: { version: number }; members: Array<{ userId: string; attendance: string }> };

async function room(who: string): Promise<Room> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { room: Room }).room;
}

async function stats(): Promise<{ reads: number; joined: number }> {
  const res = await fetch(`${server.baseUrl}/__bench/stats`);
  return ((await res.json()) as { coalescedReads: { reads: number; joined: number } }).coalescedReads;
}

/** `n` clients loading `load()` in a loop until `stop()`. */
function crowd(n: number, load: () => Promise<unknown>) {
  let running = true;
  const loops = Array.from({ length: n }, async () => {
    while (running) await load();
  });
  return async () => {
    running = false;
    await Promise.all(loops);
  };
}

beforeAll(async () => {
  database = await prepareDatabase();
  server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" } });
  for (const who of ["president", "membre1", "membre2", "observateur", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  const list = await routeData<{ upcoming: Array<{ id: string; kind: string }> }>(server.baseUrl, "/sessions", cookies.president!, "routes/sessions/sessions");
  sessionId = list.upcoming.find((s) => s.kind === "JURY")!.id;
});

afterAll(async () => {
  if (server && server.exitCode === null) await server.stop();
  await database?.dispose();
});

describe("reads shared by the requests that ask together", () => {
  it("the jury room read just after a command shows it, while the other members keep reloading the room", async () => {
    const before = await stats();
    const membre1 = ((await (await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies.membre1! } })).json()) as {
      room: { viewer: { userId: string } };
    }).room.viewer.userId;
    const viewers = ["president", "membre2", "observateur", "secretariat"];
    let turn = 0;
    const stop = crowd(6, () => room(viewers[turn++ % viewers.length]!));
    let version = (await room("president")).session.version;
    try {
      for (let step = 0; step < 30; step++) {
        const intent = step % 2 === 0 ? "arrive" : "leave";
        const answer = await juryCommand<{ ok: boolean }>(server.baseUrl, cookies.membre1!, sessionId, { intent });
        expect(answer.status, intent).toBe(200);
        // Read right after the answer, as the command's author's page does, with reads of the room in flight.
        const after = await room(viewers[step % viewers.length]!);
        expect(after.session.version, `step ${step} (${intent}): the room read after the command carries it`).toBeGreaterThan(version);
        version = after.session.version;
        const attendance = after.members.find((m) => m.userId === membre1)?.attendance;
        if (intent === "arrive") expect(attendance, `step ${step}`).toBe("present");
        else expect(attendance, `step ${step}`).not.toBe("present");
      }
    } finally {
      await stop();
    }
    // The crowd's reads were shared (else this test would prove nothing about sharing).
    const after = await stats();
    expect(after.joined - before.joined).toBeGreaterThan(30);
  });
});
