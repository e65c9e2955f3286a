/**
 * The live jury on the real server through its resource route: votes refused for a non-member, an observer and
 * after close; two ballots from the same member at once count once; a secret poll shows totals only; a decision
 * without quorum is refused. Then, the server stopped, the database itself: a secret vote left counts per choice and
 * « has voted » apart, and nothing written by a voter's transaction carries a choice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { juryCommand, routeData } from "../support/clients";
import { decodeHtml } from "../support/html";
import { login, prepareDemoDatabase, startServer, withSql, type TestDatabase, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
let sessionId = "";

type Answer = { ok: boolean; formErrors?: string[]; pollId?: string; votedCount?: number; unchanged?: boolean; message?: string; tallies?: Record<string, number> };
type Room = {
  agenda: Array<{ agendaItemId: string; polls: Array<{ id: string; mode: string; openVotes: unknown[]; tallies: Record<string, number> | null; votedUserIds: string[] }> }>;
  members: Array<{ userId: string; role: string }>;
};

const jury = (who: string, fields: Record<string, string>) => juryCommand<Answer>(server.baseUrl, cookies[who]!, sessionId, fields);

async function room(who = "president"): Promise<Room> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: Room }).room;
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2", "membre3", "observateur", "admin"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  const list = await routeData<{ upcoming: Array<{ id: string; kind: string }> }>(server.baseUrl, "/sessions", cookies.president!, "routes/sessions/sessions");
  sessionId = list.upcoming.find((s) => s.kind === "JURY")!.id;
});

afterAll(async () => {
  if (server && server.exitCode === null) await server.stop();
  await database?.dispose();
});

describe("the jury's page", () => {
  it("opens for its members and managers, and is a 404 in French for anyone else, before and after it knows the session is a jury", async () => {
    const outsider = await login(server.baseUrl, "evaluateur-expire@quorum.test"); // of the organisation, not on this jury
    const page = (cookie: string) => fetch(`${server.baseUrl}/sessions/${sessionId}`, { headers: { Cookie: cookie } });
    const refused = async () => {
      const res = await page(outsider);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Cette session n&#x27;existe pas ou ne vous est pas accessible.");
    };
    await refused(); // the server has not read this session's kind yet
    for (const who of ["president", "admin", "observateur"]) {
      const res = await page(cookies[who]!);
      expect(res.status, who).toBe(200);
      expect(await res.text()).toContain("Jury paritaire");
    }
    await refused(); // now it goes straight to the jury room's read
    expect((await page(cookies.membre1!)).status).toBe(200);
  });

  it("sends a visitor who is not signed in to the login page, whether the session exists or not (the room is read meanwhile)", async () => {
    const forged = "quorum_session=abcdefghijklmnopqrstuvwxyz234567";
    for (const id of [sessionId, "cl00000000000000000000000"]) {
      for (const path of [`/sessions/${id}`, `/sessions/${id}/jury`]) {
        for (const headers of [{}, { Cookie: forged }] as Record<string, string>[]) {
          const res = await fetch(`${server.baseUrl}${path}`, { headers, redirect: "manual" });
          expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(302);
          expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
          await res.arrayBuffer();
        }
      }
    }
  });
});

let secretPollId = "";
const secretVoters: Record<string, string> = {};
let expectedTallies: Record<string, number> = {};

describe("the candidate's pieces for an observer", () => {
  it("names the identity document without a link that would lead to a refusal, in the jury room and the commission's", async () => {
    type Piece = { fileName: string; kind: string; url: string | null; withheld: string | null };
    const pieces = async (who: string) => {
      const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
      return ((await res.json()) as { room: { agenda: Array<{ evidence: Piece[] }> } }).room.agenda.flatMap((item) => item.evidence);
    };
    const refusal = "Les observateurs ne peuvent pas télécharger les pièces d'identité du candidat.";
    const observed = await pieces("observateur");
    const identity = observed.filter((p) => p.kind === "IDENTITY");
    expect(identity.length).toBeGreaterThan(0);
    for (const piece of identity) expect(piece, piece.fileName).toMatchObject({ url: null, withheld: refusal });
    for (const piece of observed.filter((p) => p.kind !== "IDENTITY")) expect(piece.url, piece.fileName).toMatch(/\/jury\/pieces\//);
    for (const piece of await pieces("membre1")) expect(piece.url, piece.fileName).toMatch(/\/jury\/pieces\//);
    // The route refuses them still, with the same words.
    const presidentsPiece = (await pieces("president")).find((p) => p.kind === "IDENTITY")!;
    const refused = await fetch(`${server.baseUrl}${presidentsPiece.url}`, { headers: { Cookie: cookies.observateur! } });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe(refusal);

    const list = await routeData<{ upcoming: Array<{ id: string; kind: string }> }>(server.baseUrl, "/sessions", cookies.observateur!, "routes/sessions/sessions");
    const commission = list.upcoming.find((s) => s.kind === "COMMISSION")!.id;
    const page = async (who: string) => decodeHtml(await (await fetch(`${server.baseUrl}/sessions/${commission}`, { headers: { Cookie: cookies[who]! } })).text());
    const observerPage = await page("observateur");
    expect(observerPage).toContain("piece-identite-durand.pdf");
    expect(observerPage).not.toMatch(/<a[^>]*href="[^"]*\/pieces\/[^"]*"[^>]*>piece-identite-durand\.pdf</);
    expect(observerPage).toContain(refusal);
    expect(observerPage).toMatch(/<a[^>]*href="[^"]*\/pieces\/[^"]*"[^>]*>attestation-formation-durand\.pdf</);
    expect(await page("membre1")).toMatch(/<a[^>]*href="[^"]*\/pieces\/[^"]*"[^>]*>piece-identite-durand\.pdf</);
  });
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
    // Nobody has declared yet: the ballot waits for the member's declaration, which may come during the vote.
    const undeclared = await jury("membre2", { intent: "vote", pollId, choice: "NONE" });
    expect(undeclared.status).toBe(409);
    expect(undeclared.body.formErrors?.join(" ")).toMatch(/^Déclarez d'abord l'absence de lien avec ce candidat/);
    for (const who of ["president", "membre1", "membre2"]) {
      expect((await jury(who, { intent: "declare", agendaItemId: item, conflict: "false" })).status).toBe(200);
    }
    // Two ballots at once from the same member: one counts; the other, for a secret poll whose choices the server does
    // not keep, is answered « already recorded » (ok, unchanged), revealing nothing of the first.
    const twice = await Promise.all([
      jury("membre2", { intent: "vote", pollId, choice: "NONE" }),
      jury("membre2", { intent: "vote", pollId, choice: "TOTAL" }),
    ]);
    expect(twice.map((r) => r.status)).toEqual([200, 200]);
    expect(twice.filter((r) => r.body.unchanged === false)).toHaveLength(1);
    const resent = twice.find((r) => r.body.unchanged === true)!;
    expect(resent.body).toEqual({
      ok: true,
      votedCount: 1,
      unchanged: true,
      message: "Votre vote était déjà enregistré : il n'a pas été modifié (le scrutin est secret, le choix n'est pas conservé).",
    });
    const membre2Choice = twice[0]!.body.unchanged ? "TOTAL" : "NONE";
    expect((await jury("membre1", { intent: "vote", pollId, choice: "TOTAL" })).status).toBe(200);
    expect((await jury("president", { intent: "vote", pollId, choice: "PARTIAL" })).status).toBe(200);
    const closed = await jury("president", { intent: "close-poll", pollId });
    expect(closed.status).toBe(200);
    expectedTallies = { TOTAL: 1, PARTIAL: 1 };
    expectedTallies[membre2Choice] = (expectedTallies[membre2Choice] ?? 0) + 1;
    expect(Object.fromEntries(Object.entries(closed.body.tallies ?? {}).filter(([, n]) => n > 0))).toEqual(expectedTallies);
    // After the close: a member who voted sending his ballot again is told it was recorded; one who did not, that
    // the vote is closed.
    const again = await jury("membre2", { intent: "vote", pollId, choice: "TOTAL" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ unchanged: true, votedCount: 3 });
    const late = await jury("membre3", { intent: "vote", pollId, choice: "TOTAL" });
    expect(late.status).toBe(409);
    expect(late.body.formErrors?.join(" ")).toContain("Le vote est clos : votre bulletin n'a pas été pris en compte.");
    secretPollId = pollId;

    const poll = (await room("membre1")).agenda[0]!.polls.find((p) => p.id === pollId)!;
    expect(poll.mode).toBe("SECRET");
    expect(poll.openVotes).toEqual([]);
    expect(poll.votedUserIds).toHaveLength(3);
    for (const userId of poll.votedUserIds) secretVoters[userId] = userId;

    // Quorum lost: a decision is refused with the reason.
    expect((await jury("membre1", { intent: "leave" })).status).toBe(200);
    expect((await jury("membre2", { intent: "leave" })).status).toBe(200);
    const refused = await jury("president", { intent: "decide", agendaItemId: item, overall: "TOTAL" });
    expect(refused.status).toBe(409);
    expect(refused.body.formErrors?.join(" ")).toMatch(/Quorum non atteint/);
  });

  it("stores a secret vote as counts per choice, « has voted » apart, and no choice in what a voter's transaction wrote", async () => {
    await server.stop(); // PGlite: one process per data directory
    const cast = Object.keys(expectedTallies);
    await withSql(database, async (query) => {
      const columns = async (table: string) =>
        (await query(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY column_name`, [table])).map((r) => r.column_name);
      // Totals only: no ballot, no voter, no time; and « has voted » holds no choice.
      expect(await columns("JurySecretTally")).toEqual(["choice", "count", "pollId"]);
      expect(await columns("JuryPollVoter")).not.toContain("choice");
      const counts = await query(`SELECT choice, count FROM "JurySecretTally" WHERE "pollId" = $1 ORDER BY choice`, [secretPollId]);
      expect(Object.fromEntries(counts.map((r) => [r.choice, r.count]))).toEqual(expectedTallies);
      const voters = await query(`SELECT xmin::text AS tx, "userId" FROM "JuryPollVoter" WHERE "pollId" = $1`, [secretPollId]);
      expect(voters.map((v) => v.userId).sort()).toEqual(Object.keys(secretVoters).sort());
      // Each ballot was its own transaction, which also wrote the audit event « a voté » (so the check below sees it).
      const voterTxs = voters.map((v) => String(v.tx));
      expect(new Set(voterTxs).size).toBe(3);
      const audits = await query(`SELECT xmin::text AS tx FROM "AuditEvent" WHERE action = 'jury.vote_cast' AND "subjectId" = $1`, [secretPollId]);
      expect(audits.map((a) => String(a.tx)).sort()).toEqual([...voterTxs].sort());
      // No row of any table, written (or last rewritten) by a voter's transaction, carries a choice; and no count
      // row still bears a voter's transaction (closing rewrote them).
      const tables = (await query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)).map((r) => String(r.table_name));
      expect(tables).toContain("AuditEvent");
      const choice = new RegExp(`"(${cast.join("|")})"`);
      for (const table of tables) {
        const rows = await query(`SELECT row_to_json(t)::text AS row FROM "${table}" t WHERE xmin::text = ANY($1)`, [voterTxs]);
        for (const { row } of rows) expect(String(row), `${table} written by a voter's transaction`).not.toMatch(choice);
      }
    });
  });
});
