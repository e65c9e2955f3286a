/**
 * The live jury on the real server through its resource route: votes refused for a non-member, an observer and
 * after close; two ballots from the same member at once count once; a secret poll shows totals only; a decision
 * without quorum is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeData } from "../support/clients";
import { login, startServer, type TestServer } from "../support/server";

let server: TestServer;
const cookies: Record<string, string> = {};
let sessionId = "";

type Answer = { ok: boolean; formErrors?: string[]; pollId?: string; votedCount?: number; tallies?: Record<string, number> };
type Room = {
  agenda: Array<{ agendaItemId: string; polls: Array<{ id: string; mode: string; openVotes: unknown[]; tallies: Record<string, number> | null; votedUserIds: string[] }> }>;
  members: Array<{ userId: string; role: string }>;
};

async function jury(who: string, fields: Record<string, string>) {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, {
    method: "POST",
    headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  return { status: res.status, body: (await res.json()) as Answer };
}

async function room(who = "president"): Promise<Room> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: Room }).room;
}

beforeAll(async () => {
  server = await startServer();
  for (const who of ["president", "membre1", "membre2", "observateur", "admin"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  const list = await routeData<{ upcoming: Array<{ id: string; kind: string }> }>(server.baseUrl, "/sessions", cookies.president!, "routes/sessions/sessions");
  sessionId = list.upcoming.find((s) => s.kind === "JURY")!.id;
});

afterAll(async () => {
  if (server && server.exitCode === null) await server.stop();
});

describe("live jury", () => {
  it("refuses a decision without quorum, then deliberates a secret vote with one ballot per member", async () => {
    const item = (await room()).agenda[0]!.agendaItemId;
    expect((await jury("president", { intent: "arrive" })).status).toBe(200);
    expect((await jury("president", { intent: "start" })).status).toBe(200);
    expect((await jury("president", { intent: "phase", agendaItemId: item, to: "DELIBERATION" })).status).toBe(200);
    const noQuorum = await jury("president", { intent: "open-poll", agendaItemId: item, mode: "secret" });
    expect(noQuorum.status).toBe(409);
    expect(noQuorum.body.formErrors?.join(" ")).toMatch(/Quorum non atteint/);

    for (const who of ["membre1", "membre2"]) expect((await jury(who, { intent: "arrive" })).status).toBe(200);
    const opened = await jury("president", { intent: "open-poll", agendaItemId: item, mode: "secret" });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const pollId = opened.body.pollId!;

    expect((await jury("admin", { intent: "vote", pollId, choice: "TOTAL" })).status).toBe(403);
    expect((await jury("observateur", { intent: "vote", pollId, choice: "TOTAL" })).status).toBe(403);
    const twice = await Promise.all([
      jury("membre2", { intent: "vote", pollId, choice: "NONE" }),
      jury("membre2", { intent: "vote", pollId, choice: "TOTAL" }),
    ]);
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await jury("membre1", { intent: "vote", pollId, choice: "TOTAL" })).status).toBe(200);
    expect((await jury("president", { intent: "vote", pollId, choice: "TOTAL" })).status).toBe(200);
    const closed = await jury("president", { intent: "close-poll", pollId });
    expect(closed.status).toBe(200);
    expect(Object.values(closed.body.tallies ?? {}).reduce((a, b) => a + b, 0)).toBe(3);
    const late = await jury("membre2", { intent: "vote", pollId, choice: "TOTAL" });
    expect(late.status).toBe(409);

    const poll = (await room("membre1")).agenda[0]!.polls.find((p) => p.id === pollId)!;
    expect(poll.mode).toBe("SECRET");
    expect(poll.openVotes).toEqual([]);
    expect(poll.votedUserIds).toHaveLength(3);

    // Quorum lost: a decision is refused with the reason.
    expect((await jury("membre1", { intent: "leave" })).status).toBe(200);
    expect((await jury("membre2", { intent: "leave" })).status).toBe(200);
    const refused = await jury("president", { intent: "decide", agendaItemId: item, overall: "TOTAL" });
    expect(refused.status).toBe(409);
    expect(refused.body.formErrors?.join(" ")).toMatch(/Quorum non atteint/);
  });
});
