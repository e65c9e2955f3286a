/**
 * Each voting member declares, per candidate, « Je n'ai aucun lien avec ce candidat » or a conflict of interest before
 * taking part (DOMAIN.md: « ask each member to declare absence of conflict per candidate »; decision 0020). Until
 * 2026-12-06 a member voted without any declaration: only a declared conflict recused. On the demo jury, through its
 * real commands: a ballot refused before the declaration and accepted after it (declared during the vote), a conflict
 * during the vote refused, a consensus refused while a member present has not declared, a late arrival, a declared
 * conflict that recuses; then the minutes name who declared no link, who was recused, who could not vote undeclared.
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

type Answer = { ok: boolean; changed?: boolean; formErrors?: string[]; pollId?: string; result?: string | null };
type Item = {
  agendaItemId: string;
  targets: Array<{ id: string; code: string; commissionOutcome: string }>;
  conformity: { conform: boolean; nonConformities: Array<{ key: string }> };
  recused: Array<{ userId: string; displayName: string; reason: string }>;
  declarations: Array<{ displayName: string; present: boolean; status: string }>;
  quorum: { met: boolean };
  polls: Array<{ id: string; entitled: Array<{ userId: string }>; result: string | null }>;
  decision: { overall: string } | null;
  evidence: Array<{ url: string }>;
  evidenceWithheld: string | null;
};
const WHO = ["president", "membre1", "membre2", "membre3"] as const; // Pierre, Marie (VP), Mehdi, Jeanne

const { ok, refused } = juryAsserts<Answer>(() => ({ baseUrl: server.baseUrl, cookies, sessionId }));
async function item(id: string): Promise<Item> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies.president! } });
  return ((await res.json()) as { room: { agenda: Item[] } }).room.agenda.find((a) => a.agendaItemId === id)!;
}
const statuses = (it: Item) => Object.fromEntries(it.declarations.map((d) => [d.displayName, d.status]));

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    ({ sessionId, itemIds } = await demoJuryWithRules(prisma, {}));
  });
  server = await startServer({ database });
  for (const who of WHO) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  // Jeanne comes later.
  for (const who of ["president", "membre1", "membre2"]) await ok(who, { intent: "arrive" });
  await ok("president", { intent: "start" });
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("the declaration of no link before taking part", () => {
  it("refuses a ballot, and a consensus, before the members' declarations; a declared conflict recuses", async () => {
    const id = itemIds[0]!;
    await ok("president", { intent: "phase", agendaItemId: id, to: "DELIBERATION" });
    expect(statuses(await item(id))).toEqual({ "Pierre Président": "missing", "Marie Membre": "missing", "Mehdi Membre": "missing", "Jeanne Jurée": "missing" });
    // The room tells the president who has not declared, at the vote's form.
    const page = (await readPage(server.baseUrl, cookies.president!, `/sessions/${sessionId}`)).text;
    expect(page).toContain("Pas encore de déclaration pour ce candidat : Pierre Président, Marie Membre, Mehdi Membre.");

    // A consensus is reached among the members present: each must have declared.
    await refused("president", { intent: "consensus", agendaItemId: id, choice: "TOTAL" }, 409, /^Des membres présents n'ont pas encore déclaré l'absence de lien avec ce candidat \(Pierre Président, Marie Membre, Mehdi Membre\)/);

    // A vote may open; each ballot waits for its voter's declaration, which may come during the vote.
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: id, mode: "open" });
    await refused("membre2", { intent: "vote", pollId: pollId!, choice: "TOTAL" }, 409, /^Déclarez d'abord l'absence de lien avec ce candidat/);
    // A conflict would change who votes on a vote under way: it waits for the close.
    await refused("membre2", { intent: "declare", agendaItemId: id, conflict: "true" }, 409, /Un vote est en cours sur ce candidat/);
    await ok("membre2", { intent: "declare", agendaItemId: id, conflict: "false" });
    await ok("membre2", { intent: "vote", pollId: pollId!, choice: "TOTAL" });
    await ok("president", { intent: "declare", agendaItemId: id, conflict: "false" });
    await ok("president", { intent: "vote", pollId: pollId!, choice: "TOTAL" });
    // Marie never declares: her ballot is refused, and counts as not cast.
    await refused("membre1", { intent: "vote", pollId: pollId!, choice: "NONE" }, 409, /^Déclarez d'abord l'absence de lien avec ce candidat/);
    expect((await ok("president", { intent: "close-poll", pollId: pollId! })).result).toBe("TOTAL");

    // Jeanne arrives after that vote: not among its voters; undeclared, she holds a consensus back as Marie does.
    await ok("membre3", { intent: "arrive" });
    const targets = (await item(id)).targets;
    expect(targets.length).toBeGreaterThan(1);
    const [first, last] = [targets[0]!, targets.at(-1)!];
    await refused("president", { intent: "consensus", agendaItemId: id, subject: "BLOC", subjectId: first.id, choice: "ACQUIRED" }, 409, /\(Marie Membre, Jeanne Jurée\)/);

    // Jeanne knows the candidate: recused, she neither votes nor counts on her.
    await ok("membre3", { intent: "declare", agendaItemId: id, conflict: "true", note: "Ancienne collègue." });
    const recused = await item(id);
    expect(recused.recused.map((r) => [r.displayName, r.reason])).toEqual([["Jeanne Jurée", "Conflit d'intérêts déclaré"]]);
    expect(statuses(recused)).toMatchObject({ "Pierre Président": "noLink", "Mehdi Membre": "noLink", "Marie Membre": "missing", "Jeanne Jurée": "conflict" });
    // Nor does she read the candidate's files any longer: not listed for her, their download refused with why.
    const withheld = "Vous êtes récusé pour ce candidat (conflit d'intérêts déclaré) : les pièces de son dossier ne vous sont pas accessibles.";
    const jeanne = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies.membre3! } });
    expect(((await jeanne.json()) as { room: { agenda: Item[] } }).room.agenda.find((a) => a.agendaItemId === id)).toMatchObject({ evidence: [], evidenceWithheld: withheld });
    expect(recused.evidence.length).toBeGreaterThan(0);
    for (const { url } of recused.evidence) {
      const refusal = await fetch(`${server.baseUrl}${url}`, { headers: { Cookie: cookies.membre3! } });
      expect([refusal.status, await refusal.text()]).toEqual([403, withheld]);
    }
    await ok("membre1", { intent: "leave" });
    const blocVote = await ok("president", { intent: "open-poll", agendaItemId: id, subject: "BLOC", subjectId: last.id, mode: "open" });
    await refused("membre3", { intent: "vote", pollId: blocVote.pollId!, choice: "ACQUIRED" }, 409, /Vous êtes récusé pour ce candidat/);
    for (const who of ["president", "membre2"]) await ok(who, { intent: "vote", pollId: blocVote.pollId!, choice: "ACQUIRED" });
    expect((await item(id)).polls.find((p) => p.id === blocVote.pollId)!.entitled).toHaveLength(2);
    expect((await ok("president", { intent: "close-poll", pollId: blocVote.pollId! })).result).toBe("ACQUIRED");
    // Everyone present has declared (Jeanne by her conflict): the consensus is recorded.
    await ok("president", { intent: "consensus", agendaItemId: id, subject: "BLOC", subjectId: first.id, choice: "ACQUIRED" });

    const ready = await item(id);
    if (!ready.conformity.conform) {
      await ok("president", { intent: "acknowledge-conformity", agendaItemId: id, ...Object.fromEntries(ready.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Vu en séance."])) });
    }
    await ok("president", { intent: "phase", agendaItemId: id, to: "DECISION" });
    await ok("president", { intent: "decide", agendaItemId: id, overall: "TOTAL", ...Object.fromEntries(targets.map((t) => [`choice.${t.id}`, "ACQUIRED"])) });
    expect((await item(id)).decision).toMatchObject({ overall: "TOTAL" });
  });

  it("refuses a declaration from a member recused for a link Quorum knows, who is told he has none to make", async () => {
    // Pierre evaluated the second candidate: recused, « Je n'ai aucun lien avec ce candidat » would be false. Until
    // 2026-12-07 the room offered him the declaration and recorded it (« Pierre Président — aucun lien déclaré »).
    const id = itemIds[1]!;
    const before = await item(id);
    expect(before.recused.map((r) => [r.displayName, r.reason])).toEqual([["Pierre Président", "Évaluateur du candidat"]]);
    expect(statuses(before)["Pierre Président"]).toBe("recused");
    const refusal = /^Vous êtes récusé·e pour ce candidat \(évaluateur du candidat\) : vous ne votez pas sur lui et n'avez pas de déclaration à faire\./;
    await refused("president", { intent: "declare", agendaItemId: id, conflict: "false" }, 409, refusal);
    await refused("president", { intent: "declare", agendaItemId: id, conflict: "true" }, 409, refusal);
    expect(statuses(await item(id))["Pierre Président"]).toBe("recused");
    // His page (on this candidate, the first undecided) says so, instead of asking him to declare before voting.
    const page = (await readPage(server.baseUrl, cookies.president!, `/sessions/${sessionId}`)).text.replace(/<[^>]*>/g, "");
    expect(page).toContain("Votre déclaration : sans objet — vous êtes récusé·e pour ce candidat (évaluateur du candidat) : vous ne votez pas sur lui.");
  });

  it("names in the minutes who declared no link, who was recused, and who could not vote without a declaration", async () => {
    const minutes = (await readPage(server.baseUrl, cookies.president!, `/sessions/${sessionId}/proces-verbal`)).text;
    expect(minutes).toContain("Absence de lien avec le candidat déclarée par : Pierre Président, Mehdi Membre.");
    expect(minutes).toContain("Conflit d'intérêts déclaré : Jeanne Jurée, qui ne prend pas part à la délibération sur ce candidat.");
    expect(minutes).toContain("Sans déclaration d'absence de lien : Marie Membre, qui n'a donc pas pu voter sur ce candidat.");
  });
});
