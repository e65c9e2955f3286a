/**
 * The jury's rules through its real commands (POST /sessions/:id/jury), on the demo jury with proxies allowed and a
 * present-or-represented majority base: no ballot and no closing without quorum, no ballot from a member who left;
 * a proxy revoked, or its giver back, ends the holder's right in the open vote.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { closeAll, connectGrid, until } from "../support/clients";
import { readPage } from "../support/html";
import { demoJuryWithRules } from "../support/jury-fixtures";
import { juryAsserts } from "../support/jury-asserts";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
let sessionId = "";
let itemIds: string[] = [];

type Answer = { ok: boolean; formErrors?: string[]; fieldErrors?: Record<string, string[]>; pollId?: string; result?: string | null; tie?: boolean };
type Room = {
  viewer: { userId: string };
  proxies: Array<{ id: string; giverId: string; holderId: string; valid: boolean }>;
  quorum: { met: boolean };
  agenda: Array<{
    agendaItemId: string;
    targets: Array<{ id: string; code: string; commissionOutcome: string }>;
    conformity: { conform: boolean; nonConformities: Array<{ key: string }> };
    polls: Array<{ id: string; mode: string; result: string | null; castingVoteChoice: string | null; entitled: Array<{ userId: string; actingUserId: string | null }>; openVotes: Array<{ userId: string; actingUserId: string }> }>;
    decision: { method: string } | null;
    recused: Array<{ userId: string; displayName: string; reason: string }>;
    presidingId: string | null;
    chairsRecused: string[];
    quorum: { met: boolean; reasons: string[] };
    preconisationsReadOnly: string | null;
  }>;
};

const WHO = ["president", "membre1", "membre2", "membre3"] as const; // Pierre, Marie (VP), Mehdi, Jeanne

const { jury, ok, refused, declareNoLink } = juryAsserts<Answer>(() => ({ baseUrl: server.baseUrl, cookies, sessionId }));

async function room(who = "president"): Promise<Room> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: Room }).room;
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    ({ sessionId, itemIds } = await demoJuryWithRules(prisma, { proxiesAllowed: true, majorityBase: "presentOrRepresented" }));
  });
  server = await startServer({ database });
  for (const who of WHO) {
    cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
    ids[who] = (await room(who)).viewer.userId;
  }
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("the jury's votes follow quorum and attendance", () => {
  it("refuses ballots and closing while quorum is lost, and a ballot from a member who left; the vote resumes when quorum is back", async () => {
    const item = itemIds[0]!;
    // Marie is not there: Mehdi is the only member of the employees' college.
    for (const who of ["president", "membre2", "membre3"]) await ok(who, { intent: "arrive" });
    await ok("president", { intent: "start" });
    await ok("president", { intent: "phase", agendaItemId: item, to: "DELIBERATION" });
    await declareNoLink(WHO, item);
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item, mode: "secret" });

    await ok("membre2", { intent: "leave" });
    expect((await room()).quorum.met).toBe(false);
    await refused("membre2", { intent: "vote", pollId: pollId!, choice: "TOTAL" }, 409, /Vous n'êtes pas présent/);
    await refused("president", { intent: "vote", pollId: pollId!, choice: "NONE" }, 409, /Quorum non atteint : impossible de voter/);
    await refused("membre3", { intent: "vote", pollId: pollId!, choice: "NONE" }, 409, /Quorum non atteint/);
    await refused("president", { intent: "close-poll", pollId: pollId! }, 409, /Quorum non atteint : impossible de clore le vote/);

    await ok("membre2", { intent: "arrive" });
    for (const who of ["president", "membre2", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "TOTAL" });
    const closed = await ok("president", { intent: "close-poll", pollId: pollId! });
    expect(closed.result).toBe("TOTAL");
  });

  it("ends a holder's right in the open vote when the proxy is revoked, and lets the giver, back, vote himself", async () => {
    const item = itemIds[2]!; // the second candidate has recused members
    expect((await room()).agenda.find((a) => a.agendaItemId === item)!.recused).toEqual([]);
    await ok("membre1", { intent: "arrive" });
    // Mehdi (employees) gives his proxy to Marie, of his college: never to Jeanne, of the employers' (a paritary jury).
    await refused("membre2", { intent: "grant-proxy", holderId: ids.membre3! }, 409, /^Jury paritaire : un membre ne peut être représenté que par un membre de son collège \(mandant : collège salariés, mandataire : collège employeurs\)\.$/);
    await ok("membre2", { intent: "grant-proxy", holderId: ids.membre1! });
    await ok("membre2", { intent: "leave" });
    await ok("president", { intent: "phase", agendaItemId: item, to: "DELIBERATION" });
    await declareNoLink(WHO, item);
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item, mode: "open" });
    const opened = (await room()).agenda.find((a) => a.agendaItemId === item)!.polls.find((p) => p.id === pollId)!;
    expect(opened.entitled).toContainEqual({ userId: ids.membre2, actingUserId: ids.membre1 });

    const proxy = (await room()).proxies.find((p) => p.giverId === ids.membre2)!;
    await ok("membre2", { intent: "revoke-proxy", proxyId: proxy.id });
    expect((await room()).quorum.met).toBe(true);
    await refused("membre1", { intent: "vote", pollId: pollId!, choice: "PARTIAL", forUserId: ids.membre2! }, 409, /procuration pour ce membre ne compte plus/);
    const revoked = (await room()).agenda.find((a) => a.agendaItemId === item)!.polls.find((p) => p.id === pollId)!;
    expect(revoked.entitled).toContainEqual({ userId: ids.membre2, actingUserId: null });

    await ok("membre2", { intent: "arrive" });
    await ok("membre2", { intent: "vote", pollId: pollId!, choice: "PARTIAL" });
    for (const who of ["president", "membre1", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "PARTIAL" });
    const votes = (await room()).agenda.find((a) => a.agendaItemId === item)!.polls.find((p) => p.id === pollId)!.openVotes;
    expect(votes.find((v) => v.userId === ids.membre2)).toMatchObject({ actingUserId: ids.membre2 });
    expect((await ok("president", { intent: "close-poll", pollId: pollId! })).result).toBe("PARTIAL");
  });

  it("holds the decision after a tie until it is broken, and files it with the vote that decided, never as a consensus", async () => {
    const item = (await room()).agenda.find((a) => a.agendaItemId === itemIds[0])!;
    expect(item.recused).toEqual([]);
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item.agendaItemId, mode: "open" });
    for (const who of ["president", "membre1"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "TOTAL" });
    for (const who of ["membre2", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "NONE" });
    expect(await ok("president", { intent: "close-poll", pollId: pollId! })).toMatchObject({ result: null, tie: true });
    if (!item.conformity.conform) {
      const remarks = Object.fromEntries(item.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Vu en séance."]));
      await ok("president", { intent: "acknowledge-conformity", agendaItemId: item.agendaItemId, ...remarks });
    }
    await ok("president", { intent: "phase", agendaItemId: item.agendaItemId, to: "DECISION" });
    const decide = { intent: "decide", agendaItemId: item.agendaItemId, overall: "TOTAL", ...Object.fromEntries(item.targets.map((t) => [`choice.${t.id}`, "ACQUIRED"])) };
    expect(item.targets.every((t) => t.commissionOutcome === "acquired")).toBe(true);
    await refused("president", decide, 409, /égalité : départagez-la/);
    expect((await room()).agenda.find((a) => a.agendaItemId === item.agendaItemId)!.decision).toBeNull();

    expect((await ok("president", { intent: "casting-vote", pollId: pollId!, choice: "TOTAL" })).result).toBe("TOTAL");
    // Departing from the commission needs a motive at the field: « . » is none.
    const first = item.targets[0]!;
    const departing = await jury("president", { ...decide, overall: "PARTIAL", [`choice.${first.id}`]: "NOT_ACQUIRED", [`reason.${first.id}`]: "." });
    expect(departing.status).toBe(400);
    expect(departing.body.fieldErrors?.[`choices.${first.id}`]).toEqual([
      `${first.code} : motivez la décision qui s'écarte de celle de la commission — un motif s'écrit en quelques mots (au moins 3 lettres).`,
    ]);
    await ok("president", decide);
    expect((await room()).agenda.find((a) => a.agendaItemId === item.agendaItemId)!.decision).toMatchObject({ method: "OPEN" });
  });

  it("records one consensus per question (a retry is the same), holds the decision on a bloc's tie, and refuses a casting vote once decided", async () => {
    const item = (await room()).agenda.find((a) => a.agendaItemId === itemIds[2])!;
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item.agendaItemId, mode: "open" });
    for (const who of ["president", "membre1"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "PARTIAL" });
    for (const who of ["membre2", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "ADJOURNED" });
    expect(await ok("president", { intent: "close-poll", pollId: pollId! })).toMatchObject({ result: null, tie: true });
    const consensus = await ok("president", { intent: "consensus", agendaItemId: item.agendaItemId, choice: "ADJOURNED" });
    // Retried, the same consensus; another one on the same question is refused, and the room lists one.
    expect((await ok("president", { intent: "consensus", agendaItemId: item.agendaItemId, choice: "ADJOURNED" })).pollId).toBe(consensus.pollId);
    await refused("president", { intent: "consensus", agendaItemId: item.agendaItemId, choice: "NONE" }, 409, /Un consensus est déjà constaté sur cette question \(« Ajournement »\) : un second consensus n'est pas enregistré\./);
    const agreed = (await room()).agenda.find((a) => a.agendaItemId === item.agendaItemId)!.polls.filter((p) => p.mode === "CONSENSUS");
    expect(agreed.map((p) => p.result)).toEqual(["ADJOURNED"]);

    // A vote on a bloc ends in a tie: it holds the decision until a consensus on that bloc settles it.
    const bloc = item.targets.at(-1)!;
    const blocVote = await ok("president", { intent: "open-poll", agendaItemId: item.agendaItemId, subject: "BLOC", subjectId: bloc.id, mode: "open" });
    for (const who of ["president", "membre1"]) await ok(who, { intent: "vote", pollId: blocVote.pollId!, choice: "ACQUIRED" });
    for (const who of ["membre2", "membre3"]) await ok(who, { intent: "vote", pollId: blocVote.pollId!, choice: "NOT_ACQUIRED" });
    expect(await ok("president", { intent: "close-poll", pollId: blocVote.pollId! })).toMatchObject({ result: null, tie: true });
    if (!item.conformity.conform) {
      const remarks = Object.fromEntries(item.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Vu en séance."]));
      await ok("president", { intent: "acknowledge-conformity", agendaItemId: item.agendaItemId, ...remarks });
    }
    await ok("president", { intent: "phase", agendaItemId: item.agendaItemId, to: "DECISION" });
    const adjourn = { intent: "decide", agendaItemId: item.agendaItemId, overall: "ADJOURNED", adjournmentReason: "Avis des évaluateurs à confronter." };
    await refused("president", adjourn, 409, new RegExp(`Le dernier vote sur « Bloc ${bloc.code} — [^»]+ » s'est conclu par une égalité`));
    expect((await room()).agenda.find((a) => a.agendaItemId === item.agendaItemId)!.decision).toBeNull();
    await ok("president", { intent: "consensus", agendaItemId: item.agendaItemId, subject: "BLOC", subjectId: bloc.id, choice: "NOT_ACQUIRED" });
    await ok("president", adjourn);

    await refused("president", { intent: "casting-vote", pollId: pollId!, choice: "PARTIAL" }, 409, /La décision est rendue pour ce candidat/);
    const poll = (await room()).agenda.find((a) => a.agendaItemId === item.agendaItemId)!.polls.find((p) => p.id === pollId)!;
    expect(poll).toMatchObject({ result: null, castingVoteChoice: null });
  });

  it("refuses a jury's free text with a bidirectional override, or a character the minutes cannot print, at its field", async () => {
    await refused("membre3", { intent: "declare", agendaItemId: itemIds[1]!, conflict: "false", note: "Aucun lien avec\u202e le candidat" }, 400, /Caractères invisibles ou de contrôle refusés/);
    await refused("membre3", { intent: "declare", agendaItemId: itemIds[1]!, conflict: "false", note: "Aucun lien 👍" }, 400, /^Le caractère « 👍 » \(U\+1F44D\) ne peut pas figurer dans les documents signés/);
  });

  it("refuses a decision choice that is neither « Acquis » nor « Non acquis »", async () => {
    const answer = await jury("president", { intent: "decide", agendaItemId: itemIds[1]!, overall: "TOTAL", "choice.x": "garbage" });
    expect(answer.status).toBe(400);
    expect(answer.body.fieldErrors?.["choices.x"]).toEqual(["Choisissez « Acquis » ou « Non acquis »."]);
  });

  it("answers a non-member's command with the same 404 as its page, whether the jury exists or not", async () => {
    const outsider = await login(server.baseUrl, "evaluateur-expire@quorum.test"); // of the organisation, not on this jury
    const answers = [];
    for (const id of [sessionId, "cl00000000000000000000000"]) {
      const res = await fetch(`${server.baseUrl}/sessions/${id}/jury`, {
        method: "POST",
        headers: { Cookie: outsider, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "arrive" }).toString(),
      });
      answers.push({ status: res.status, body: await res.json() });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ status: 404, body: { formErrors: ["Jury introuvable."] } });
  });

  it("has the vice-president conduct on a candidate the president evaluated, counts her quorum without him, and nobody once both chairs are recused", async () => {
    // The demo's second candidate was evaluated by Pierre alone (prisma/seed/desk.ts): Marie, vice-president, conducts.
    let item = (await room()).agenda.find((a) => a.agendaItemId === itemIds[1])!;
    expect(item.recused).toEqual([{ userId: ids.president, displayName: "Pierre Président", reason: "Évaluateur du candidat" }]);
    expect(item).toMatchObject({ presidingId: ids.membre1, chairsRecused: ["PRESIDENT"] });
    const page = await readPage(server.baseUrl, cookies.president!, `/sessions/${sessionId}`);
    expect(page.text).toContain("Présidence pour ce candidat : Marie Membre (le président est récusé).");
    await refused("president", { intent: "phase", agendaItemId: item.agendaItemId, to: "DELIBERATION" }, 403, /Vous êtes récusé pour ce candidat : la délibération sur ce candidat est conduite par le vice-président/);
    await ok("membre1", { intent: "phase", agendaItemId: item.agendaItemId, to: "DELIBERATION" });
    await declareNoLink(["membre1", "membre2", "membre3"], item.agendaItemId);

    // Jeanne leaves with a proxy to Pierre, of her college: the sitting has its quorum (Jeanne represented for the
    // employers), not this candidate: Pierre, recused, counts for her neither present nor as Jeanne's holder.
    await ok("membre3", { intent: "grant-proxy", holderId: ids.president! });
    await ok("membre3", { intent: "leave" });
    const away = await room("membre1");
    expect(away.quorum.met).toBe(true);
    expect(away.agenda.find((a) => a.agendaItemId === itemIds[1])!.quorum).toMatchObject({
      met: false,
      reasons: ["Collège employeurs : 0 membre présent ou représenté non récusé, 1 requis."],
    });
    const quorumRefusal = /Quorum non atteint pour ce candidat \(membres récusés non comptés\) : impossible de ouvrir un vote\. Collège employeurs : 0 membre présent ou représenté non récusé, 1 requis\./;
    await refused("membre1", { intent: "open-poll", agendaItemId: item.agendaItemId, mode: "open" }, 409, quorumRefusal);
    await refused("membre1", { intent: "consensus", agendaItemId: item.agendaItemId, choice: "PARTIAL" }, 409, /Quorum non atteint pour ce candidat/);
    expect((await readPage(server.baseUrl, cookies.membre1!, `/sessions/${sessionId}`)).text).toContain("Quorum non atteint pour ce candidat");
    await ok("membre3", { intent: "arrive" });
    expect((await room()).agenda.find((a) => a.agendaItemId === itemIds[1])!.quorum.met).toBe(true);

    const { pollId } = await ok("membre1", { intent: "open-poll", agendaItemId: item.agendaItemId, mode: "open" });
    await refused("president", { intent: "vote", pollId: pollId!, choice: "PARTIAL" }, 409, /Vous êtes récusé pour ce candidat/);
    for (const who of ["membre1", "membre2", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "PARTIAL" });
    await refused("president", { intent: "close-poll", pollId: pollId! }, 403, /récusé pour ce candidat/);
    expect((await ok("membre1", { intent: "close-poll", pollId: pollId! })).result).toBe("PARTIAL");

    // The préconisations: Marie writes them; Pierre, recused, reads only — told why, and refused by the server.
    expect((await room("president")).agenda.find((a) => a.agendaItemId === itemIds[1])!.preconisationsReadOnly).toBe(
      "Lecture seule : vous êtes récusé pour ce candidat (évaluateur du candidat).",
    );
    expect((await room("membre1")).agenda.find((a) => a.agendaItemId === itemIds[1])!.preconisationsReadOnly).toBeNull();
    const preconisations = `preconisations:${sessionId}:${itemIds[1]}`;
    const marie = connectGrid(server.baseUrl, preconisations, cookies.membre1!);
    const pierre = connectGrid(server.baseUrl, preconisations, cookies.president!);
    try {
      await until(() => marie.synced && pierre.synced, "both synced");
      marie.doc.getText("preconisations").insert(0, "Reprendre le bloc 2 avec un tuteur.");
      await until(() => pierre.doc.getText("preconisations").toString() === "Reprendre le bloc 2 avec un tuteur.", "Pierre reads Marie's text");
      pierre.doc.getText("preconisations").insert(0, "Pierre : ");
      await until(() => pierre.denied.some((d) => /Lecture seule/.test(d)), "Pierre's edit refused");
      expect(marie.doc.getText("preconisations").toString()).toBe("Reprendre le bloc 2 avec un tuteur.");
    } finally {
      closeAll(marie, pierre);
    }

    // Marie declares a conflict too: neither chair may conduct, nobody decides; the planning page warns of it.
    await ok("membre1", { intent: "declare", agendaItemId: item.agendaItemId, conflict: "true", note: "Ancienne collègue de la candidate." });
    item = (await room()).agenda.find((a) => a.agendaItemId === itemIds[1])!;
    expect(item).toMatchObject({ presidingId: null, chairsRecused: ["PRESIDENT", "VICE_PRESIDENT"] });
    await refused("membre1", { intent: "phase", agendaItemId: item.agendaItemId, to: "DECISION" }, 403, /aucun président ni vice-président non récusé/);
    await refused("president", { intent: "consensus", agendaItemId: item.agendaItemId, choice: "PARTIAL" }, 403, /récusé/);
    await refused("membre2", { intent: "decide", agendaItemId: item.agendaItemId, overall: "PARTIAL" }, 403, /Aucun président ni vice-président non récusé/);
    const secretariat = await login(server.baseUrl, "secretariat@quorum.test");
    const planning = await readPage(server.baseUrl, secretariat, `/sessions/${sessionId}/planning`);
    expect(planning.text).toMatch(
      /Camille MOREAU : le président \(Pierre Président, évaluateur du candidat\) et le vice-président \(Marie Membre, conflit d'intérêts déclaré\) sont tous deux récusés pour ce candidat\. Personne ne pourra conduire sa délibération/,
    );
    // The other candidates: no chair linked (the warnings' block only: the page's data also lists the agenda).
    const warnings = /data-testid="planning-warnings"[\s\S]*?<\/ul>/.exec(planning.text)?.[0] ?? "";
    expect(warnings).toContain("Camille MOREAU");
    expect(warnings).not.toMatch(/Yasmine|Aurélie/);
  });
});
