/**
 * Who presides, named the same everywhere for a candidate the president is recused for (he evaluated her): the room's
 * header names the vice-president who conducts her deliberation (not the sitting's president), and the minutes say
 * who conducted it and whose casting vote broke the tie. On the demo jury, through its real commands.
 * Her files (proofs, identity document) are not his to read: the room does not list them for him, their download
 * answers 403 with why; the other members still list and download them, and he those of the candidates he is not
 * recused for.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { juryCommand } from "../support/clients";
import { readPage } from "../support/html";
import { demoJuryWithRules } from "../support/jury-fixtures";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
let sessionId = "";
let itemIds: string[] = [];

type Answer = { ok: boolean; formErrors?: string[]; fieldErrors?: Record<string, string[]>; pollId?: string; result?: string | null; tie?: boolean };
type Item = {
  agendaItemId: string;
  targets: Array<{ id: string; code: string; commissionOutcome: string }>;
  conformity: { conform: boolean; nonConformities: Array<{ key: string }> };
};
const WHO = ["president", "membre1", "membre2", "membre3"] as const; // Pierre, Marie (VP), Mehdi, Jeanne

const ok = async (who: string, fields: Record<string, string>) => {
  const answer = await juryCommand<Answer>(server.baseUrl, cookies[who]!, sessionId, fields);
  expect(answer.status, `${who} ${JSON.stringify(fields)} → ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
};
/** The candidate as `who` reads him (a member recused for him is not sent the commission's outcomes: decision 0020). */
async function item(id: string, who: string = "president"): Promise<Item> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: { agenda: Item[] } }).room.agenda.find((a) => a.agendaItemId === id)!;
}
/** Confirms the conformity if needed, moves to « Décision » and records the decision that follows the commission. */
async function decide(who: string, id: string, overall: string) {
  const it = await item(id, who);
  if (!it.conformity.conform) {
    await ok(who, { intent: "acknowledge-conformity", agendaItemId: id, ...Object.fromEntries(it.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Vu en séance."])) });
  }
  await ok(who, { intent: "phase", agendaItemId: id, to: "DECISION" });
  const choices = Object.fromEntries(it.targets.map((t) => [`choice.${t.id}`, t.commissionOutcome === "acquired" ? "ACQUIRED" : "NOT_ACQUIRED"]));
  await ok(who, { intent: "decide", agendaItemId: id, overall, ...choices });
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    ({ sessionId, itemIds } = await demoJuryWithRules(prisma, { castingVote: "president" }));
  });
  server = await startServer({ database });
  for (const who of WHO) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

type Files = { evidence: Array<{ id: string; kind: string; url: string }>; evidenceWithheld: string | null };
async function filesOf(who: string, id: string): Promise<Files> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: { agenda: Array<Files & { agendaItemId: string }> } }).room.agenda.find((a) => a.agendaItemId === id)!;
}
const download = (who: string, url: string) => fetch(`${server.baseUrl}${url}`, { headers: { Cookie: cookies[who]! } });

describe("a candidate's files, for the member recused for her", () => {
  it("are neither listed for him nor downloaded (403, with why); the other members still have them", async () => {
    const [first, second] = [itemIds[0]!, itemIds[1]!];
    const WITHHELD = "Vous êtes récusé pour ce candidat (évaluateur du candidat) : les pièces de son dossier ne vous sont pas accessibles.";
    // Marie, not recused: the files, her identity document among them, which she downloads.
    const shown = await filesOf("membre1", second);
    expect(shown.evidenceWithheld).toBeNull();
    expect(shown.evidence.map((e) => e.kind)).toContain("IDENTITY");
    for (const e of shown.evidence) expect((await download("membre1", e.url)).status).toBe(200);
    // Pierre, her evaluator: no file listed, why instead; each download refused with why.
    expect(await filesOf("president", second)).toMatchObject({ evidence: [], evidenceWithheld: WITHHELD });
    for (const e of shown.evidence) {
      const refused = await download("president", e.url);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toBe(WITHHELD);
    }
    const page = (await readPage(server.baseUrl, cookies.president!, `/sessions/${sessionId}`)).text;
    expect(page).toContain(WITHHELD);
    for (const e of shown.evidence) expect(page).not.toContain(e.url);
    // The first candidate, whom he did not evaluate: listed and downloaded.
    const his = await filesOf("president", first);
    expect(his.evidenceWithheld).toBeNull();
    expect(his.evidence.length).toBeGreaterThan(0);
    for (const e of his.evidence) expect((await download("president", e.url)).status).toBe(200);
  });
});

describe("who presides, for a candidate the president is recused for", () => {
  it("is the vice-president in the room's header and in the minutes, casting vote included", async () => {
    for (const who of WHO) await ok(who, { intent: "arrive" });
    await ok("president", { intent: "start" });
    // The first candidate, conducted by Pierre: decided by consensus, so the room opens on the second one.
    const first = itemIds[0]!;
    await ok("president", { intent: "phase", agendaItemId: first, to: "DELIBERATION" });
    for (const who of WHO) await ok(who, { intent: "declare", agendaItemId: first, conflict: "false" });
    await ok("president", { intent: "consensus", agendaItemId: first, choice: "TOTAL" });
    await decide("president", first, "TOTAL");

    // The second candidate was evaluated by Pierre (prisma/seed/desk.ts): Marie, vice-president, conducts.
    const second = itemIds[1]!;
    await ok("membre1", { intent: "phase", agendaItemId: second, to: "DELIBERATION" });
    for (const who of ["president", "membre2"]) {
      const page = (await readPage(server.baseUrl, cookies[who]!, `/sessions/${sessionId}`)).text;
      expect(page).toContain("Présidence pour ce candidat : Marie Membre (le président est récusé).");
      expect(page).toContain("Préside pour ce candidat : Marie Membre · séance : Pierre Président");
      expect(page).not.toContain("Préside : Pierre Président");
    }

    // A tie that Marie, conducting, breaks with her casting vote. The voters declared first they have no link with the
    // candidate; Pierre, his evaluator, is recused without having to declare.
    for (const who of ["membre1", "membre2", "membre3"]) await ok(who, { intent: "declare", agendaItemId: second, conflict: "false" });
    const { pollId } = await ok("membre1", { intent: "open-poll", agendaItemId: second, mode: "open" });
    await ok("membre1", { intent: "vote", pollId: pollId!, choice: "PARTIAL" });
    await ok("membre2", { intent: "vote", pollId: pollId!, choice: "NONE" });
    await ok("membre3", { intent: "vote", pollId: pollId!, choice: "ABSTAIN" });
    expect(await ok("membre1", { intent: "close-poll", pollId: pollId! })).toMatchObject({ result: null, tie: true });
    expect((await ok("membre1", { intent: "casting-vote", pollId: pollId!, choice: "PARTIAL" })).result).toBe("PARTIAL");
    await decide("membre1", second, "PARTIAL");

    const minutes = (await readPage(server.baseUrl, cookies.president!, `/sessions/${sessionId}/proces-verbal`)).text;
    expect(minutes).toContain(
      "Présidence pour ce candidat : Marie Membre (le président, récusé : évaluateur du candidat, n'a pas pris part à la délibération).",
    );
    expect(minutes).toContain("Voix prépondérante de Marie Membre : Délivrance partielle.");
    expect(minutes).toMatch(/Décision : Délivrance partielle, vote à main levée \([^)]*\), voix prépondérante de Marie Membre, à /);
    expect(minutes).not.toContain("du président");
    // The first candidate, conducted by the president himself: no such line.
    expect(minutes).not.toMatch(/Présidence pour ce candidat : Pierre/);
  });
});
