/**
 * The jury room, the commission's live room and the secretariat's desk are read once for the requests that ask at the same time
 * (app/platform/http/coalesced-read.server.ts): while other members keep reloading the room, a command's author who
 * reads the room just after the command's answer sees it, every time — never a read that started before the command
 * committed. Same for the desk while other desks load, and for the candidates' list while other secretariat pages load it. On the production server, both database tiers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCommission, juryCommand, passageCommand, routeData } from "../support/clients";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";

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
  database = await prepareDemoDatabase();
  server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" } });
  for (const who of ["president", "membre1", "membre2", "membre3", "observateur", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
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

  it("the live room read just after the president moves the passage's phase shows it, each viewer with their own seat, while the commission keeps reloading the room", async () => {
    const { sessionId: commissionId, slotIds } = await findCommission(server.baseUrl, cookies.president!);
    const slotId = slotIds[0]!;
    type LiveRoom = { slotState: { phase: string } | null; seat: { userId: string } | null; slot: { id: string } | null };
    const live = async (who: string) => {
      const res = await fetch(`${server.baseUrl}/sessions/${commissionId}?candidat=${slotId}`, { headers: { Cookie: cookies[who]! }, redirect: "manual" });
      await res.body?.cancel();
      return res;
    };
    const liveRoom = (who: string) => routeData<LiveRoom>(server.baseUrl, `/sessions/${commissionId}?candidat=${slotId}`, cookies[who]!, "routes/sessions/session");
    const seatOf = new Map<string, string | null>();
    for (const who of ["president", "membre1", "membre2", "observateur"]) seatOf.set(who, (await liveRoom(who)).seat?.userId ?? null);
    seatOf.set("secretariat", null);
    expect(new Set([...seatOf.values()].filter(Boolean)).size, "four seated viewers, four seats").toBe(4);
    const before = await stats();
    const viewers = ["membre1", "membre2", "observateur", "secretariat"];
    let turn = 0;
    const checkSeat = async () => {
      const who = viewers[turn++ % viewers.length]!;
      const room = await liveRoom(who);
      expect(room.seat?.userId ?? null, `${who} sees their own seat, never another viewer's`).toBe(seatOf.get(who));
    };
    const stop = crowd(6, checkSeat);
    try {
      for (let step = 0; step < 20; step++) {
        const to = step % 2 === 0 ? "PRESENTATION" : "ACCUEIL";
        const moved = await passageCommand(server.baseUrl, cookies.president!, commissionId, slotId, { intent: "phase", to });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
        const after = await liveRoom(viewers[step % viewers.length]!);
        expect(after.slotState?.phase, `step ${step}: the room read after the change carries it`).toBe(to);
        // Someone with no seat and no management of the organisation gets « introuvable », crowd or not.
        const stranger = await live("membre3");
        expect(stranger.status, "membre3 sits on the jury, not on this commission").toBe(404);
      }
    } finally {
      await stop();
    }
    const after = await stats();
    expect(after.joined - before.joined).toBeGreaterThan(20);
  });
  it("the candidates' list read just after a candidate is created shows it, while other pages of the secretariat keep loading the list", async () => {
    type List = { candidates: Array<{ birthName: string }>; total: number; matching: number };
    const list = () => routeData<List>(server.baseUrl, "/candidates", cookies.secretariat!, "routes/candidates/candidates");
    // Another search asked at the same time is read apart: each request gets the list it asked for.
    const searched = async () => {
      const found = await routeData<List>(server.baseUrl, "/candidates?q=aaacoalesce", cookies.secretariat!, "routes/candidates/candidates");
      for (const c of found.candidates) expect(c.birthName, "a search's answer holds only what it searched").toMatch(/^AAACOALESCE/);
      expect(found.matching).toBeLessThan(found.total);
    };
    const before = await stats();
    let turn = 0;
    const stop = crowd(6, () => (turn++ % 2 === 0 ? list() : searched()));
    let total = (await list()).total;
    try {
      for (let step = 0; step < 20; step++) {
        // « Aaa… » sorts first: the new candidate is on the list's first page.
        const birthName = `Aaacoalesce${String.fromCharCode(97 + step)}`;
        const created = await fetch(`${server.baseUrl}/candidates/new`, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: cookies.secretariat!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            birthName,
            usageName: "",
            givenNames: "Lucie",
            sex: "F",
            birthDate: "1990-05-12",
            birthCommune: "Nantes",
            birthDepartment: "44",
            birthCountry: "",
            email: "",
            phone: "",
            postalAddress: "",
            employer: "",
            trainerId: "",
            trainerName: "",
          }),
        });
        expect(created.status, `step ${step}: the candidate is created`).toBe(302);
        const after = await list();
        expect(after.total, `step ${step}: the list read after the creation counts it`).toBe(total + 1);
        expect(after.candidates.map((c) => c.birthName), `step ${step}`).toContain(birthName.toUpperCase());
        total = after.total;
      }
    } finally {
      await stop();
    }
    const after = await stats();
    expect(after.joined - before.joined).toBeGreaterThan(20);
  });
});
