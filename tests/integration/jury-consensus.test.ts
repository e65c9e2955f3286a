/**
 * A consensus settles its question: a vote on it is refused until the presiding member goes back on the consensus
 * (« Revenir sur le consensus »), with a reason. The withdrawal is idempotent, refused to anyone else, shown in the
 * room and in the minutes, and the decision then waits for a new consensus or a vote. On the demo jury, through its
 * real commands.
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
type Poll = { id: string; mode: string; subject: string; result: string | null; withdrawn: { at: string; byId: string; reason: string } | null };
type Item = {
  agendaItemId: string;
  targets: Array<{ id: string; code: string; commissionOutcome: string }>;
  conformity: { conform: boolean; nonConformities: Array<{ key: string }> };
  polls: Poll[];
  decision: { method: string; overall: string } | null;
};
const WHO = ["president", "membre1", "membre2", "membre3"] as const; // Pierre, Marie (VP), Mehdi, Jeanne

const { ok, refused, declareNoLink } = juryAsserts<Answer>(() => ({ baseUrl: server.baseUrl, cookies, sessionId }));
async function item(id: string): Promise<Item> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies.president! } });
  return ((await res.json()) as { room: { agenda: Item[] } }).room.agenda.find((a) => a.agendaItemId === id)!;
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    ({ sessionId, itemIds } = await demoJuryWithRules(prisma, { proxiesAllowed: true, majorityBase: "presentOrRepresented" }));
  });
  server = await startServer({ database });
  for (const who of [...WHO, "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  for (const who of WHO) await ok(who, { intent: "arrive" });
  await ok("president", { intent: "start" });
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("going back on a consensus", () => {
  it("refuses a vote on a question a consensus settled, until the president goes back on it with a reason", async () => {
    const id = itemIds[0]!;
    await ok("president", { intent: "phase", agendaItemId: id, to: "DELIBERATION" });
    await declareNoLink(WHO, id);
    const { pollId: consensusId } = await ok("president", { intent: "consensus", agendaItemId: id, choice: "TOTAL" });
    await refused(
      "president",
      { intent: "open-poll", agendaItemId: id, mode: "open" },
      409,
      /^Un consensus est constaté sur cette question \(« Délivrance totale »\) : pour la soumettre au vote, revenez d'abord sur le consensus \(« Revenir sur le consensus », avec un motif\)\.$/,
    );
    // The same for a bloc.
    const bloc = (await item(id)).targets[0]!;
    await ok("president", { intent: "consensus", agendaItemId: id, subject: "BLOC", subjectId: bloc.id, choice: "ACQUIRED" });
    await refused("president", { intent: "open-poll", agendaItemId: id, subject: "BLOC", subjectId: bloc.id, mode: "open" }, 409, /Un consensus est constaté sur cette question \(« Acquis »\)/);
    expect((await item(id)).polls.filter((p) => p.mode !== "CONSENSUS")).toEqual([]);

    // Only who conducts goes back on it (not a member, nor the session's secretary); a reason is required.
    await refused("membre2", { intent: "withdraw-consensus", pollId: consensusId!, reason: "Je ne suis pas d'accord." }, 403, /Seul le président/);
    await refused("secretariat", { intent: "withdraw-consensus", pollId: consensusId!, reason: "Erreur." }, 403, /Seul le président/);
    // Blanks are no reason (a no-break space among them); an invisible character is refused as in every free text.
    await refused("president", { intent: "withdraw-consensus", pollId: consensusId!, reason: " \u00a0 " }, 400, /^Motivez le retour sur le consensus\.$/);
    await refused("president", { intent: "withdraw-consensus", pollId: consensusId!, reason: " \u200b " }, 400, /^Caractères invisibles ou de contrôle refusés/);
    await refused("president", { intent: "withdraw-consensus", pollId: consensusId!, reason: "." }, 400, /^Motivez le retour sur le consensus : un motif s'écrit en quelques mots \(au moins 3 lettres\)\.$/);
    const withdrawn = await ok("president", { intent: "withdraw-consensus", pollId: consensusId!, reason: "Mehdi demande un vote" });
    expect(withdrawn.changed).toBe(true);
    expect((await ok("president", { intent: "withdraw-consensus", pollId: consensusId!, reason: "Mehdi demande un vote" })).changed).toBe(false);
    const shown = (await item(id)).polls.find((p) => p.id === consensusId)!;
    expect(shown.withdrawn).toMatchObject({ reason: "Mehdi demande un vote" });
    const page = (await readPage(server.baseUrl, cookies.membre2!, `/sessions/${sessionId}`)).text;
    expect(page).toMatch(/Consensus retiré à \d{1,2}\u00a0h\u00a0\d{2} par Pierre Président, motif : «\s*Mehdi demande un vote\s*»\. Il ne vaut plus décision sur cette question\./);

    // The decision waits for a new consensus or a vote: the withdrawn one is not filed.
    const it0 = await item(id);
    if (!it0.conformity.conform) {
      await ok("president", { intent: "acknowledge-conformity", agendaItemId: id, ...Object.fromEntries(it0.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Vu en séance."])) });
    }
    const decide = { intent: "decide", agendaItemId: id, overall: "TOTAL", ...Object.fromEntries(it0.targets.map((t) => [`choice.${t.id}`, "ACQUIRED"])) };
    await ok("president", { intent: "phase", agendaItemId: id, to: "DECISION" });
    await refused("president", decide, 409, /Le consensus sur la décision d'ensemble a été retiré : constatez un nouveau consensus ou ouvrez un vote/);

    // Now the vote opens; its result binds the decision.
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: id, mode: "open" });
    for (const who of WHO) await ok(who, { intent: "vote", pollId: pollId!, choice: "TOTAL" });
    expect((await ok("president", { intent: "close-poll", pollId: pollId! })).result).toBe("TOTAL");
    await ok("president", decide);
    expect((await item(id)).decision).toMatchObject({ overall: "TOTAL", method: "OPEN" });
    // Once decided, nothing is gone back on.
    await refused("president", { intent: "withdraw-consensus", pollId: (await item(id)).polls.find((p) => p.subject === "BLOC")!.id, reason: "Trop tard" }, 409, /La décision est rendue pour ce candidat/);

    const minutes = (await readPage(server.baseUrl, cookies.president!, `/sessions/${sessionId}/proces-verbal`)).text;
    expect(minutes).toMatch(/Décision d'ensemble — consensus : Délivrance totale — consensus retiré à \d{1,2}\u00a0h\u00a0\d{2} par Pierre Président \(motif : Mehdi demande un vote\)\./);
  });
});

describe("a member recused for a candidate", () => {
  it("carries no proxy on that candidate: the member he represents neither counts nor votes through him", async () => {
    const id = itemIds[1]!; // evaluated by Pierre (prisma/seed/desk.ts): Marie conducts
    await ok("membre3", { intent: "grant-proxy", holderId: (await (await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies.president! } })).json() as { room: { viewer: { userId: string } } }).room.viewer.userId });
    await ok("membre3", { intent: "leave" });
    await ok("membre1", { intent: "phase", agendaItemId: id, to: "DELIBERATION" });
    // Jeanne's only way to this candidate's vote is Pierre, recused: the employers' college has nobody to take part.
    await refused(
      "membre1",
      { intent: "open-poll", agendaItemId: id, mode: "open" },
      409,
      /Quorum non atteint pour ce candidat \(membres récusés non comptés\) : impossible de ouvrir un vote\. Collège employeurs : 0 membre présent ou représenté non récusé, 1 requis\./,
    );
    expect((await item(id)).polls).toEqual([]);
  });
});
