/**
 * A member who declares a conflict of interest for a candidate after taking part in a vote (or a consensus) on him: that
 * vote no longer decides anything. Until 2026-12-06 the decision was recorded from it, his ballot counted, and the
 * minutes printed his named vote on a candidate he was recused for. On the demo jury, through its real commands.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { readPage } from "../support/html";
import { demoJuryWithRules } from "../support/jury-fixtures";
import { juryAsserts } from "../support/jury-asserts";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
let sessionId = "";
let itemIds: string[] = [];

type Answer = { ok: boolean; changed?: boolean; formErrors?: string[]; fieldErrors?: Record<string, string[]>; pollId?: string; result?: string | null };
type Poll = { id: string; mode: string; result: string | null; tie: boolean; withdrawn: { at: string; byId: string; reason: string } | null };
type Item = {
  agendaItemId: string;
  targets: Array<{ id: string; code: string; commissionOutcome: string }>;
  conformity: { conform: boolean; nonConformities: Array<{ key: string }> };
  recused: Array<{ userId: string; reason: string }>;
  polls: Poll[];
  decision: { method: string; overall: string; tallies: Record<string, number> | null } | null;
};
const WHO = ["president", "membre1", "membre2", "membre3"] as const; // Pierre, Marie (VP), Mehdi, Jeanne

const { ok, refused, declareNoLink } = juryAsserts<Answer>(() => ({ baseUrl: server.baseUrl, cookies, sessionId }));
async function item(id: string): Promise<Item> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies.president! } });
  return ((await res.json()) as { room: { agenda: Item[] } }).room.agenda.find((a) => a.agendaItemId === id)!;
}
async function readyToDecide(id: string) {
  const it0 = await item(id);
  if (!it0.conformity.conform) {
    await ok("president", { intent: "acknowledge-conformity", agendaItemId: id, ...Object.fromEntries(it0.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Vu en séance."])) });
  }
  return { intent: "decide", agendaItemId: id, overall: "TOTAL", ...Object.fromEntries(it0.targets.map((t) => [`choice.${t.id}`, "ACQUIRED"])) };
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    ({ sessionId, itemIds } = await demoJuryWithRules(prisma, {}));
  });
  server = await startServer({ database });
  for (const who of WHO) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  for (const who of WHO) await ok(who, { intent: "arrive" });
  await ok("president", { intent: "start" });
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("a conflict of interest declared after the vote", () => {
  it("annuls the vote the member took part in: the decision waits for a vote without him", async () => {
    const id = itemIds[0]!;
    await ok("president", { intent: "phase", agendaItemId: id, to: "DELIBERATION" });
    await declareNoLink(WHO, id);
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: id, mode: "open" });
    for (const who of WHO) await ok(who, { intent: "vote", pollId: pollId!, choice: "TOTAL" });
    expect((await ok("president", { intent: "close-poll", pollId: pollId! })).result).toBe("TOTAL");

    // Mehdi realises he knows the candidate.
    await ok("membre2", { intent: "declare", agendaItemId: id, conflict: "true", note: "Ancien collègue de la candidate." });
    const after = await item(id);
    expect(after.recused.map((r) => r.reason)).toEqual(["Conflit d'intérêts déclaré"]);
    expect(after.polls.find((p) => p.id === pollId)!.withdrawn).toMatchObject({
      reason: "Mehdi Membre a déclaré un conflit d'intérêts pour ce candidat après ce vote, auquel ce membre a pris part",
    });
    const room = (await readPage(server.baseUrl, cookies.membre3!, `/sessions/${sessionId}`)).text;
    expect(room).toMatch(/Vote annulé à \d{1,2}\u00a0h\u00a0\d{2}, motif : «\s*Mehdi Membre a déclaré un conflit d'intérêts pour ce candidat après ce vote, auquel ce membre a pris part\s*»\. Ce vote ne vaut plus décision sur cette question\./);

    // His ballot was in it: the decision is not recorded from that vote.
    const decide = await readyToDecide(id);
    await ok("president", { intent: "phase", agendaItemId: id, to: "DECISION" });
    await refused("president", decide, 409, /^Le vote sur la décision d.ensemble a été annulé \(conflit d.intérêts déclaré par un membre qui y avait pris part\) : votez à nouveau ou constatez un consensus/);
    expect((await item(id)).decision).toBeNull();

    // A new vote, without him (recused: not among its voters), decides.
    const again = await ok("president", { intent: "open-poll", agendaItemId: id, mode: "open" });
    await refused("membre2", { intent: "vote", pollId: again.pollId!, choice: "TOTAL" }, 409, /Vous êtes récusé pour ce candidat/);
    for (const who of ["president", "membre1", "membre3"]) await ok(who, { intent: "vote", pollId: again.pollId!, choice: "TOTAL" });
    await ok("president", { intent: "close-poll", pollId: again.pollId! });
    await ok("president", decide);
    expect((await item(id)).decision).toMatchObject({ overall: "TOTAL", method: "OPEN", tallies: { TOTAL: 3 } });

    const minutes = (await readPage(server.baseUrl, cookies.president!, `/sessions/${sessionId}/proces-verbal`)).text;
    expect(minutes).toMatch(
      /Vote annulé à \d{1,2}\u00a0h\u00a0\d{2} \(motif : Mehdi Membre a déclaré un conflit d'intérêts pour ce candidat après ce vote, auquel ce membre a pris part\) : il ne vaut pas décision\./,
    );
    expect(minutes).toMatch(/Décision : Délivrance totale, vote à main levée \(Délivrance totale : 3\)/);
    // The minutes say who took no part in the deliberation on her.
    expect(minutes).toContain("Conflit d'intérêts déclaré : Mehdi Membre, qui ne prend pas part à la délibération sur ce candidat.");
  });

  it("annuls a consensus recorded in the member's presence, not a vote taken while he was already recused", async () => {
    const id = itemIds[2]!;
    await ok("president", { intent: "phase", agendaItemId: id, to: "DELIBERATION" });
    const bloc = (await item(id)).targets[0]!;
    await declareNoLink(WHO, id);
    const { pollId: consensusId } = await ok("president", { intent: "consensus", agendaItemId: id, subject: "BLOC", subjectId: bloc.id, choice: "ACQUIRED" });
    // Jeanne leaves before the vote on the overall decision: she takes no part in it.
    await ok("membre3", { intent: "leave" });
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: id, mode: "secret" });
    for (const who of ["president", "membre1", "membre2"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "TOTAL" });
    await ok("president", { intent: "close-poll", pollId: pollId! });
    await ok("membre3", { intent: "arrive" });
    await ok("membre3", { intent: "declare", agendaItemId: id, conflict: "true" });
    const polls = (await item(id)).polls;
    expect(polls.find((p) => p.id === consensusId)!.withdrawn?.reason).toBe(
      "Jeanne Jurée a déclaré un conflit d'intérêts pour ce candidat après ce consensus, constaté en sa présence",
    );
    expect(polls.find((p) => p.id === pollId)!.withdrawn).toBeNull();
    // A declaration of no conflict annuls nothing.
    await ok("membre1", { intent: "declare", agendaItemId: id, conflict: "false" });
    expect((await item(id)).polls.find((p) => p.id === pollId)!.withdrawn).toBeNull();
  });
});
