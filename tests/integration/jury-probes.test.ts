/**
 * The jury's commands against what a careless or hostile client sends, on the demo jury (jury A) through its real
 * routes: the casting vote breaks only the tie of the latest poll on its question; ids of another jury or another
 * organisation (session, candidate, poll, proxy, member), a member of jury A on jury B, the session's secretary and
 * its observer trying to vote or conduct, payloads of the wrong type or size, the vice-president (while the president
 * presides) or a member marking another member « parti ». Each gets a French refusal, never a 500, and nothing is
 * written (the jury's state version, which every command's transaction bumps, does not move) nor broadcast.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { closeAll, connectEvents, juryCommand, routeData, until } from "../support/clients";
import { demoJuryWithRules } from "../support/jury-fixtures";
import { readPage } from "../support/html";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
const ids: Record<string, string> = {};
let sessionId = "";
let itemIds: string[] = [];
/** Another jury of the organisation (Jeanne presides it alone), another organisation's jury, and their rows. */
const other = { juryB: "", juryBItem: "", pastPoll: "", pastItem: "", recoursProxy: "", recours: "", appeal: "", orgJury: "", intruderId: "" };

type Answer = { ok: boolean; formErrors?: string[]; fieldErrors?: Record<string, string[]>; pollId?: string; result?: string | null; tie?: boolean };
type Poll = { id: string; mode: string; state: string; result: string | null; tie: boolean; castingVoteChoice: string | null; superseded: boolean };
type Room = {
  session: { version: number };
  viewer: { userId: string; recordsAttendanceOfOthers: boolean };
  presidingId: string | null;
  members: Array<{ userId: string; displayName: string; attendance: string }>;
  proxies: Array<{ id: string }>;
  attendance: unknown[];
  agenda: Array<{ agendaItemId: string; phase: string; polls: Poll[]; conflicts: unknown[]; decision: unknown }>;
};

const WHO = ["president", "membre1", "membre2", "membre3", "secretariat", "observateur", "admin"] as const;

const jury = (who: string, fields: Record<string, string>, id = sessionId) => juryCommand<Answer>(server.baseUrl, cookies[who]!, id, fields);
const ok = async (who: string, fields: Record<string, string>, id = sessionId) => {
  const answer = await jury(who, fields, id);
  expect(answer.status, `${who} ${JSON.stringify(fields)} → ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
};
const messagesOf = (body: Answer) => [...(body.formErrors ?? []), ...Object.values(body.fieldErrors ?? {}).flat()].join(" ");
const refused = async (who: string, fields: Record<string, string>, status: number, message: RegExp, id = sessionId) => {
  const answer = await jury(who, fields, id);
  expect(answer.status, `${who} ${JSON.stringify(fields).slice(0, 300)} → ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(status);
  expect(messagesOf(answer.body)).toMatch(message);
};

async function room(who = "president"): Promise<Room> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: Room }).room;
}
const pollsOf = async (item: string) => (await room()).agenda.find((a) => a.agendaItemId === item)!.polls;

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    ({ sessionId, itemIds } = await demoJuryWithRules(prisma, { proxiesAllowed: true, majorityBase: "presentOrRepresented" }));
    const a = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { agenda: { include: { dossier: true } } } });
    const user = (email: string) => prisma.user.findUniqueOrThrow({ where: { email } });
    const [jeanne, mehdi, pierre] = await Promise.all([user("membre3@quorum.test"), user("membre2@quorum.test"), user("president@quorum.test")]);
    // Jury B: the same organisation and certification, Jeanne presides it alone, one candidate of jury A's agenda.
    const juryB = await prisma.session.create({
      data: {
        organisationId: a.organisationId,
        kind: "JURY",
        title: "Jury B",
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        referentialVersionId: a.referentialVersionId,
        members: { create: [{ userId: jeanne.id, role: "PRESIDENT", college: "EMPLOYER" }] },
      },
    });
    const bItem = await prisma.juryAgendaItem.create({ data: { sessionId: juryB.id, dossierId: a.agenda[0]!.dossierId, position: 1 } });
    other.juryB = juryB.id;
    other.juryBItem = bItem.id;
    const pastPoll = await prisma.juryPoll.findFirstOrThrow({ where: { session: { title: "Jury paritaire de délivrance — session passée" } } });
    other.pastPoll = pastPoll.id;
    other.pastItem = pastPoll.agendaItemId;
    const recours = await prisma.session.findFirstOrThrow({ where: { title: "Jury paritaire — examen des recours" } });
    // Two proxies across colleges, as older data may hold them: Mehdi (employees) to Jeanne (employers), Marie
    // (employees) to Pierre (employers).
    other.recoursProxy = (await prisma.juryProxy.create({ data: { sessionId: recours.id, giverId: mehdi.id, holderId: jeanne.id, grantedById: mehdi.id } })).id;
    const marie = await user("membre1@quorum.test");
    await prisma.juryProxy.create({ data: { sessionId: recours.id, giverId: marie.id, holderId: pierre.id, grantedById: marie.id } });
    other.recours = recours.id;
    // On its agenda, an appeal against the catch-up jury's newcomer: BC01 acquis, BC02 non acquis.
    const contested = await prisma.juryDecision.findFirstOrThrow({
      where: { session: { title: "Jury paritaire — session de rattrapage" }, dossier: { candidate: { givenNames: "Linh" } } },
    });
    other.appeal = (
      await prisma.appeal.create({
        data: {
          organisationId: recours.organisationId,
          dossierId: contested.dossierId,
          decisionId: contested.id,
          receivedAt: new Date(),
          grounds: "La candidate conteste la non-validation du bloc BC02.",
          status: "SCHEDULED",
          sessionId: recours.id,
          recordedById: pierre.id,
        },
      })
    ).id;
    // Another organisation, its administrator, and its jury.
    const org = await prisma.organisation.create({ data: { slug: "autre-cpne", name: "Autre CPNE", legalName: "Autre CPNE" } });
    const intruder = await prisma.user.create({
      data: { email: "intrus@autre.test", displayName: "Ines Intruse", passwordHash: pierre.passwordHash, memberships: { create: { organisationId: org.id, role: "ADMIN" } } },
    });
    other.intruderId = intruder.id;
    other.orgJury = (
      await prisma.session.create({
        data: {
          organisationId: org.id,
          kind: "JURY",
          title: "Jury d'ailleurs",
          startsAt: a.startsAt,
          endsAt: a.endsAt,
          members: { create: [{ userId: intruder.id, role: "PRESIDENT", college: "EMPLOYER" }] },
        },
      })
    ).id;
  });
  server = await startServer({ database });
  for (const who of WHO) {
    cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
    ids[who] = (await room(who)).viewer.userId;
  }
  cookies.intruder = await login(server.baseUrl, "intrus@autre.test");
  for (const who of ["president", "membre1", "membre2", "membre3"]) await ok(who, { intent: "arrive" });
  await ok("president", { intent: "start" });
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

async function tiedPoll(item: string, subject: Record<string, string> = {}) {
  const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item, mode: "open", ...subject });
  const [yes, no] = subject.subject ? ["ACQUIRED", "NOT_ACQUIRED"] : ["TOTAL", "NONE"];
  for (const who of ["president", "membre1"]) await ok(who, { intent: "vote", pollId: pollId!, choice: yes! });
  for (const who of ["membre2", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: no! });
  expect(await ok("president", { intent: "close-poll", pollId: pollId! })).toMatchObject({ result: null, tie: true });
  return pollId!;
}

describe("the quorum's history", () => {
  it("says the quorum was reached when the members arrived, not « rétabli » when it was never lost", async () => {
    const page = await readPage(server.baseUrl, cookies.membre2!, `/sessions/${sessionId}`);
    expect(page.text).toMatch(/Quorum atteint à \d{1,2}\u00a0h\u00a0\d{2}/);
    expect(page.text).not.toMatch(/rétabli/i);
  });
});

describe("the casting vote", () => {
  it("breaks only the tie of the latest poll on its question, and the room offers it there only", async () => {
    const item = itemIds[0]!;
    await ok("president", { intent: "phase", agendaItemId: item, to: "DELIBERATION" });
    for (const who of ["president", "membre1", "membre2", "membre3"]) await ok(who, { intent: "declare", agendaItemId: item, conflict: "false" });
    const first = await tiedPoll(item);
    expect((await pollsOf(item)).find((p) => p.id === first)).toMatchObject({ superseded: false });
    // The jury votes again on the same question: a new tie. The first tie is behind it.
    const second = await tiedPoll(item);
    const superseded = /^Un vote ou un consensus plus récent a eu lieu sur cette question : la voix prépondérante ne départage que le dernier scrutin, s'il est encore à égalité\.$/;
    const before = (await room()).session.version;
    await refused("president", { intent: "casting-vote", pollId: first, choice: "TOTAL" }, 409, superseded);
    expect((await room()).session.version).toBe(before);
    expect((await pollsOf(item)).find((p) => p.id === first)).toMatchObject({ result: null, castingVoteChoice: null, superseded: true });
    expect((await pollsOf(item)).find((p) => p.id === second)).toMatchObject({ superseded: false });

    // A vote on a bloc is another question: it does not supersede the overall tie.
    const bloc = (await room()).agenda.find((a) => a.agendaItemId === item)! as unknown as { targets: Array<{ id: string }> };
    const blocPoll = await tiedPoll(item, { subject: "BLOC", subjectId: bloc.targets[0]!.id });
    expect((await ok("president", { intent: "casting-vote", pollId: second, choice: "NONE" })).result).toBe("NONE");
    // A consensus after the bloc's tie supersedes it as well.
    await ok("president", { intent: "consensus", agendaItemId: item, subject: "BLOC", subjectId: bloc.targets[0]!.id, choice: "ACQUIRED" });
    await refused("president", { intent: "casting-vote", pollId: blocPoll, choice: "ACQUIRED" }, 409, superseded);
  });
});

describe("forged ids, foreign members and wrong payloads", () => {
  it("refuses ids of another jury or organisation, and members of another jury, with nothing written", async () => {
    const item = itemIds[2]!;
    await ok("president", { intent: "phase", agendaItemId: item, to: "DELIBERATION" });
    for (const who of ["president", "membre1", "membre2", "membre3"]) await ok(who, { intent: "declare", agendaItemId: item, conflict: "false" });
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item, mode: "open" });
    const before = await room();

    // Another jury's rows used on jury A.
    await refused("president", { intent: "vote", pollId: other.pastPoll, choice: "TOTAL" }, 404, /^Vote introuvable\.$/);
    await refused("president", { intent: "close-poll", pollId: other.pastPoll }, 404, /^Vote introuvable\.$/);
    await refused("president", { intent: "casting-vote", pollId: other.pastPoll, choice: "TOTAL" }, 404, /^Vote introuvable\.$/);
    await refused("president", { intent: "withdraw-consensus", pollId: other.pastPoll, reason: "Pour voir." }, 404, /^Consensus introuvable\.$/);
    await refused("president", { intent: "revoke-proxy", proxyId: other.recoursProxy }, 404, /^Procuration introuvable\.$/);
    for (const agendaItemId of [other.pastItem, other.juryBItem, "x".repeat(400)]) {
      await refused("president", { intent: "phase", agendaItemId, to: "DECISION" }, 404, /^Ce candidat n'est pas à l'ordre du jour de ce jury\.$/);
      await refused("membre2", { intent: "declare", agendaItemId, conflict: "true" }, 404, /^Ce candidat n'est pas à l'ordre du jour de ce jury\.$/);
    }
    await refused("president", { intent: "decide-appeal", appealId: "cl00000000000000000000000", outcome: "REJECTED", reason: "Motif suffisant du jury." }, 404, /Ce recours n'est pas à l'ordre du jour de ce jury/);
    // Members of no seat here, or of another organisation.
    await refused("president", { intent: "arrive", userId: other.intruderId }, 400, /^Cette personne ne siège pas dans ce jury\.$/);
    await refused("president", { intent: "grant-proxy", giverId: ids.membre2!, holderId: other.intruderId }, 409, /La procuration doit être donnée à un membre votant du jury/);
    await refused("membre2", { intent: "grant-proxy", holderId: ids.observateur! }, 409, /La procuration doit être donnée à un membre votant du jury/);
    await refused("membre3", { intent: "vote", pollId: pollId!, choice: "TOTAL", forUserId: other.intruderId }, 409, /Cette procuration ne donnait pas droit de vote/);
    await refused("membre3", { intent: "vote", pollId: pollId!, choice: "TOTAL", forUserId: ids.membre2! }, 409, /Ce membre est présent : c'est lui qui vote/);

    // The session's secretary, its observer and the organisation's administrator (not seated) neither vote nor conduct.
    await refused("secretariat", { intent: "vote", pollId: pollId!, choice: "TOTAL" }, 403, /^Le secrétaire de séance ne vote pas\.$/);
    await refused("observateur", { intent: "vote", pollId: pollId!, choice: "TOTAL" }, 403, /^Un observateur ne vote pas\.$/);
    await refused("admin", { intent: "vote", pollId: pollId!, choice: "TOTAL" }, 403, /^Vous ne siégez pas dans ce jury : vous ne pouvez pas voter\.$/);
    for (const who of ["secretariat", "observateur"]) {
      await refused(who, { intent: "close-poll", pollId: pollId! }, 403, /Seul le président/);
      await refused(who, { intent: "consensus", agendaItemId: itemIds[1]!, choice: "TOTAL" }, 403, /Seul le président/);
    }
    await refused("observateur", { intent: "grant-proxy", giverId: ids.membre2!, holderId: ids.membre3! }, 403, /Seul le membre lui-même/);
    // The vice-president, while the president presides, cannot make a member of his college give him his vote.
    await refused("membre1", { intent: "grant-proxy", giverId: ids.membre2!, holderId: ids.membre1! }, 403, /^Seul le membre lui-même \(ou le président de séance, le secrétariat\) enregistre sa procuration\.$/);
    await refused("observateur", { intent: "vote", pollId: pollId!, choice: "TOTAL", forUserId: ids.membre2! }, 403, /^Un observateur ne vote pas\.$/);
    await refused("admin", { intent: "arrive" }, 403, /^Vous ne siégez pas dans ce jury\.$/);
    // Only a voting member is recused: an observer or the secretary declaring a conflict would be listed as recused.
    for (const who of ["observateur", "secretariat"]) {
      await refused(who, { intent: "declare", agendaItemId: itemIds[1]!, conflict: "true", note: "Je connais la candidate." }, 403, /^Seuls les membres votants du jury déclarent un conflit d'intérêts : un observateur ou le secrétaire de séance ne vote pas\.$/);
    }
    // A note longer than what is kept is refused at its field, not cut short.
    await refused("membre2", { intent: "declare", agendaItemId: itemIds[1]!, conflict: "true", note: "Lien ancien. ".repeat(100) }, 400, /^La précision tient en 1 000 caractères au plus\.$/);
    // The decision sheets of another jury's candidate, or of this jury's candidate through another jury.
    for (const [jury, item, who] of [[sessionId, other.juryBItem, "president"], [other.juryB, itemIds[0]!, "membre2"], [other.orgJury, itemIds[0]!, "president"]] as const) {
      const sheet = await fetch(`${server.baseUrl}/sessions/${jury}/decisions/${item}`, { headers: { Cookie: cookies[who]! } });
      expect(sheet.status, `${jury} ${item}`).toBe(404);
      const open = await fetch(`${server.baseUrl}/sessions/${jury}/decisions/${item}`, {
        method: "POST",
        headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: "intent=open",
      });
      expect(open.status, `${jury} ${item}`).toBe(404);
    }

    // A member of jury A on jury B, and across organisations: the same 404 as a jury that does not exist.
    await refused("membre2", { intent: "arrive" }, 404, /^Jury introuvable\.$/, other.juryB);
    await refused("president", { intent: "open-poll", agendaItemId: other.juryBItem, mode: "open" }, 404, /^Jury introuvable\.$/, other.juryB);
    await refused("intruder", { intent: "vote", pollId: pollId!, choice: "TOTAL" }, 404, /^Jury introuvable\.$/);
    await refused("president", { intent: "start" }, 404, /^Jury introuvable\.$/, other.orgJury);
    await refused("secretariat", { intent: "arrive" }, 404, /^Jury introuvable\.$/, other.orgJury);
    const page = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies.intruder! } });
    expect(page.status).toBe(404);
    expect(JSON.stringify(await page.json())).not.toContain("Pierre");

    const after = await room();
    expect(after.session.version).toBe(before.session.version);
    // What the commands write (a grid's PDF, sealed meanwhile by the render worker, is not theirs).
    const written = (r: Room) => ({ agenda: r.agenda.map(({ phase, polls, conflicts, decision }) => ({ phase, polls, conflicts, decision })), proxies: r.proxies, attendance: r.attendance });
    expect(written(after)).toEqual(written(before));
    await ok("president", { intent: "close-poll", pollId: pollId! });
  });

  it("refuses payloads of the wrong type or size in French, never a 500, with nothing written", async () => {
    const item = itemIds[2]!;
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item, mode: "secret" });
    const before = await room();
    const huge = "é".repeat(100_000);
    await refused("membre2", { intent: "vote", pollId: pollId!, choice: huge }, 409, /^Choix de vote inconnu\.$/);
    await refused("membre2", { intent: "vote", pollId: pollId!, choice: "__proto__" }, 409, /^Choix de vote inconnu\.$/);
    await refused("membre2", { intent: "vote", pollId: pollId!, choice: "constructor" }, 409, /^Choix de vote inconnu\.$/);
    await refused("membre2", { intent: "vote", pollId: huge, choice: "TOTAL" }, 404, /^Vote introuvable\.$/);
    await refused("president", { intent: "open-poll", agendaItemId: item, subject: "__proto__" }, 400, /^Objet du vote inconnu\.$/);
    await refused("president", { intent: "open-poll", agendaItemId: item, subject: "BLOC", subjectId: "__proto__" }, 400, /^Ce bloc n'est pas visé par le dossier\.$/);
    await refused("president", { intent: "phase", agendaItemId: item, to: "toString" }, 400, /^Étape inconnue\.$/);
    await refused("president", { intent: "decide", agendaItemId: item, overall: "constructor" }, 400, /Choisissez la décision d'ensemble/);
    await refused("president", { intent: "decide", agendaItemId: item, overall: "TOTAL", "choice.__proto__": "ACQUIRED" }, 409, /Passez d'abord ce candidat à l'étape « Décision »/);
    await refused("president", { intent: "withdraw-consensus", pollId: pollId!, reason: huge }, 409, /Seul un consensus peut être retiré/);
    await refused("president", { intent: "decide-appeal", appealId: "x", outcome: "__proto__", reason: "Motif" }, 400, /Choisissez : recours accueilli ou rejeté/);
    await refused("president", { intent: "nonsense" }, 400, /^Action inconnue\.$/);
    await refused("president", { intent: "__proto__" }, 400, /^Action inconnue\.$/);

    // Not a form: JSON, a broken multipart, a file where an id is expected, repeated fields.
    const post = (body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { method: "POST", headers: { Cookie: cookies.membre2!, Origin: server.baseUrl, ...headers }, body });
    const json = await post(JSON.stringify({ intent: "vote", pollId, choice: "TOTAL" }), { "Content-Type": "application/json" });
    expect(json.status).toBe(415);
    expect(await json.text()).toMatch(/Type de contenu refusé : seuls les formulaires sont acceptés\./);
    const broken = await post("--x\r\nContent-Disposition: form-data; name=\"intent\"\r\n\r\nvote", { "Content-Type": "multipart/form-data; boundary=x" });
    expect(broken.status).toBe(400);
    const form = new FormData();
    form.append("intent", "vote");
    form.append("pollId", new Blob([pollId!]), "poll.txt");
    form.append("choice", "TOTAL");
    const file = await post(form);
    expect(file.status).toBe(404);
    expect(await file.json()).toMatchObject({ formErrors: ["Vote introuvable."] });
    const repeated = await post(new URLSearchParams([["intent", "vote"], ["intent", "close-poll"], ["pollId", pollId!], ["choice", "NOPE"], ["choice", "TOTAL"]]).toString(), {
      "Content-Type": "application/x-www-form-urlencoded",
    });
    expect(repeated.status).toBe(409);
    expect((await repeated.json()) as Answer).toMatchObject({ formErrors: ["Choix de vote inconnu."] });

    const after = await room();
    expect(after.session.version).toBe(before.session.version);
    await ok("president", { intent: "close-poll", pollId: pollId! });
  });

  it("keeps the jury's socket.io room to its seated members, and lets the organisation's managers follow it read-only", async () => {
    const intruder = connectEvents(server.baseUrl, cookies.intruder!);
    const mehdi = connectEvents(server.baseUrl, cookies.membre2!);
    const admin = connectEvents(server.baseUrl, cookies.admin!);
    try {
      // A manager of another organisation, and a member of the organisation who sits in neither jury: refused.
      expect(await intruder.join(sessionId)).toEqual({ ok: false, error: "Vous ne siégez pas dans cette session." });
      expect(await mehdi.join(other.juryB)).toEqual({ ok: false, error: "Vous ne siégez pas dans cette session." });
      expect(await mehdi.join(other.orgJury)).toEqual({ ok: false, error: "Vous ne siégez pas dans cette session." });
      for (const payload of [{ sessionId: "x".repeat(5000) }, { sessionId: 42 }, { sessionId: ["a"] }, null, "text"]) {
        const ack = (await mehdi.socket.timeout(10_000).emitWithAck("session:join", payload)) as { ok: boolean; error: string };
        expect(ack).toMatchObject({ ok: false, error: expect.stringMatching(/invalide|manquant/) });
      }
      expect((await mehdi.join(sessionId)).ok).toBe(true);

      // The organisation's administrator, not seated, follows the jury (its procès-verbal and room refresh live):
      // no seat, never shown present, nothing to send.
      const events: Array<{ sessionId: string; change: { type: string; userId?: string } }> = [];
      admin.socket.on("jury:event", (event: (typeof events)[number]) => events.push(event));
      intruder.socket.on("jury:event", (event: (typeof events)[number]) => events.push({ ...event, sessionId: `intruder:${event.sessionId}` }));
      const followed = await admin.join(sessionId);
      expect(followed).toMatchObject({ ok: true, seat: null });
      expect(admin.membersOf(sessionId)).not.toContain("Alice Administratrice");
      expect(admin.membersOf(sessionId)).toContain("Mehdi Membre");
      const idle = (await admin.socket.timeout(10_000).emitWithAck("presence:idle", { sessionId, idle: true })) as { ok: boolean; error?: string };
      expect(idle).toEqual({ ok: false, error: "Vous n'avez pas rejoint cette session." });
      await ok("observateur", { intent: "arrive" });
      await until(() => events.some((e) => e.sessionId === sessionId && e.change.type === "attendance" && e.change.userId === ids.observateur), "the arrival reaches the administrator's socket");
      expect(events.filter((e) => e.sessionId.startsWith("intruder:"))).toEqual([]);
      // The seated members' presence never lists the follower.
      expect(mehdi.membersOf(sessionId)).not.toContain("Alice Administratrice");
    } finally {
      closeAll(intruder, mehdi, admin);
    }
  });
});

describe("a ballot sent again", () => {
  it("is the same ballot: ok and unchanged, even once the vote is closed; another choice stays refused", async () => {
    const item = itemIds[2]!;
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item, mode: "open" });
    expect(await ok("membre2", { intent: "vote", pollId: pollId!, choice: "PARTIAL" })).toMatchObject({ votedCount: 1, unchanged: false });
    expect(await ok("membre2", { intent: "vote", pollId: pollId!, choice: "PARTIAL" })).toMatchObject({ votedCount: 1, unchanged: true });
    await refused("membre2", { intent: "vote", pollId: pollId!, choice: "NONE" }, 409, /^Vous avez déjà voté\.$/);
    const poll = () => pollsOf(item).then((polls) => polls.find((p) => p.id === pollId)! as Poll & { openVotes: Array<{ userId: string; choice: string }> });
    expect((await poll()).openVotes).toEqual([expect.objectContaining({ userId: ids.membre2, choice: "PARTIAL" })]);
    for (const who of ["president", "membre1", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "PARTIAL" });
    expect((await ok("president", { intent: "close-poll", pollId: pollId! })).result).toBe("PARTIAL");
    expect(await ok("membre2", { intent: "vote", pollId: pollId!, choice: "PARTIAL" })).toMatchObject({ votedCount: 4, unchanged: true });
    await refused("membre2", { intent: "vote", pollId: pollId!, choice: "NONE" }, 409, /^Le vote est clos : votre bulletin n'a pas été pris en compte\.$/);
    // Someone else sending that member's ballot is no resend of it.
    await refused("membre3", { intent: "vote", pollId: pollId!, choice: "PARTIAL", forUserId: ids.membre2! }, 409, /^Le vote est clos/);
  });

  it("secret: answered « déjà enregistré » whatever its choice, with the totals unchanged and nothing told of the first", async () => {
    const item = itemIds[2]!;
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item, mode: "secret" });
    expect(await ok("membre2", { intent: "vote", pollId: pollId!, choice: "TOTAL" })).toMatchObject({ votedCount: 1, unchanged: false });
    const recorded = "Votre vote était déjà enregistré : il n'a pas été modifié (le scrutin est secret, le choix n'est pas conservé).";
    for (const choice of ["TOTAL", "NONE"]) {
      expect(await ok("membre2", { intent: "vote", pollId: pollId!, choice })).toEqual({ ok: true, votedCount: 1, unchanged: true, message: recorded });
    }
    await refused("membre2", { intent: "vote", pollId: pollId!, choice: "NOPE" }, 409, /^Choix de vote inconnu\.$/);
    for (const who of ["president", "membre1", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "PARTIAL" });
    const closed = (await ok("president", { intent: "close-poll", pollId: pollId! })) as Answer & { tallies?: Record<string, number> };
    expect(closed.tallies).toMatchObject({ TOTAL: 1, PARTIAL: 3, NONE: 0 });
  });
});

describe("a vote opened again", () => {
  it("on its question in its mode is the same vote; in the other mode it is refused, the running vote left as it is", async () => {
    const item = itemIds[2]!;
    const { pollId } = await ok("president", { intent: "open-poll", agendaItemId: item, mode: "open" });
    expect(await ok("president", { intent: "open-poll", agendaItemId: item, mode: "open" })).toMatchObject({ pollId, changed: false });
    const version = (await room()).session.version;
    // The chair asks for a secret ballot while the open vote runs: answering with the open vote's id (« ok ») had
    // the members vote by name where a secret ballot was asked for.
    await refused("president", { intent: "open-poll", agendaItemId: item, mode: "secret" }, 409, /^Un vote à main levée est déjà en cours sur cette question : clôturez-le d'abord\.$/);
    expect((await room()).session.version).toBe(version);
    expect((await pollsOf(item)).filter((p) => p.state === "STARTED")).toEqual([expect.objectContaining({ id: pollId, mode: "OPEN" })]);
    for (const who of ["president", "membre1", "membre2", "membre3"]) await ok(who, { intent: "vote", pollId: pollId!, choice: "PARTIAL" });
    expect((await ok("president", { intent: "close-poll", pollId: pollId! })).result).toBe("PARTIAL");
  });
});

describe("proxies across colleges (paritary jury)", () => {
  it("never make a college « represented » with nobody of it present, are refused when granted, and the room offers only the giver's college", async () => {
    // « Jury paritaire — examen des recours » (proxies allowed): Mehdi's proxy to Jeanne, Marie's to Pierre (older
    // data); only Pierre and Jeanne arrive.
    for (const who of ["president", "membre3"]) await ok(who, { intent: "arrive" }, other.recours);
    const res = await fetch(`${server.baseUrl}/sessions/${other.recours}/jury`, { headers: { Cookie: cookies.president! } });
    const recours = ((await res.json()) as { room: { quorum: { met: boolean; reasons: string[]; perCollege: Record<string, unknown> }; proxies: Array<{ valid: boolean; reason: string | null }> } }).room;
    expect(recours.quorum.met).toBe(false);
    expect(recours.quorum.perCollege.EMPLOYEE).toEqual({ present: 0, represented: 0, counted: 0 });
    expect(recours.quorum.reasons[0]).toBe("Collège salariés : 0 membre présent ou représenté, 2 requis.");
    expect(recours.proxies).toEqual([
      expect.objectContaining({ valid: false, reason: expect.stringMatching(/^Jury paritaire : un membre ne peut être représenté que par un membre de son collège/) }),
      expect.objectContaining({ valid: false, reason: expect.stringMatching(/^Jury paritaire : un membre ne peut être représenté que par un membre de son collège/) }),
    ]);
    // Granted now: refused, naming the rule.
    await refused(
      "membre3",
      { intent: "grant-proxy", holderId: ids.membre2! },
      409,
      /^Jury paritaire : un membre ne peut être représenté que par un membre de son collège \(mandant : collège employeurs, mandataire : collège salariés\)\.$/,
      other.recours,
    );
    // The room's « Donner ma procuration à » lists Jeanne's college only: Pierre.
    const html = await (await fetch(`${server.baseUrl}/sessions/${other.recours}`, { headers: { Cookie: cookies.membre3! } })).text();
    const select = html.slice(html.indexOf('name="holderId"'), html.indexOf("</select>", html.indexOf('name="holderId"')));
    expect(select).toContain("Pierre Président");
    expect(select).not.toContain("Marie Membre");
    expect(select).not.toContain("Mehdi Membre");
  });
});

describe("an appeal through the room's commands and the « Recours examinés » page", () => {
  it("waits for the declarations, refuses what is no bloc of the contested decision, and keeps what it acquired", async () => {
    // The sitting of « examen des recours »: Pierre and Jeanne are there (above); Marie and Mehdi arrive.
    for (const who of ["membre1", "membre2"]) await ok(who, { intent: "arrive" }, other.recours);
    await ok("president", { intent: "start" }, other.recours);
    type Page = {
      appeals: Array<{
        id: string;
        contested: { items: Array<{ targetId: string; code: string; acquired: boolean }> };
        ruling: { presidingId: string | null; quorum: { met: boolean }; declarations: Array<{ userId: string; status: string }> } | null;
      }>;
    };
    const page = async (who: string) =>
      (await routeData<Page>(server.baseUrl, `/sessions/${other.recours}/recours`, cookies[who]!, "routes/sessions/session-appeals")).appeals.find((a) => a.id === other.appeal)!;
    const before = await page("president");
    expect(before.ruling).toMatchObject({ presidingId: ids.president, quorum: { met: true } });
    expect(before.ruling!.declarations.map((d) => d.status)).toEqual(["missing", "missing", "missing", "missing"]);
    const [bc01, bc02] = before.contested.items.map((i) => i.targetId) as [string, string];
    const decide = (fields: Array<[string, string]>, reason = "La panne a interrompu la mise en situation.") =>
      fetch(`${server.baseUrl}/sessions/${other.recours}/jury`, {
        method: "POST",
        headers: { Cookie: cookies.president!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams([["intent", "decide-appeal"], ["appealId", other.appeal], ["outcome", "UPHELD"], ["reason", reason], ...fields]).toString(),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Answer }));
    const undeclared = await decide([["acquired", bc01], ["acquired", bc02]]);
    expect(undeclared.status).toBe(409);
    expect(messagesOf(undeclared.body)).toMatch(/^Des membres présents n'ont pas encore déclaré l'absence de lien avec ce candidat \(Pierre Président, Jeanne Jurée, Marie Membre, Mehdi Membre\)/);
    // The page shows the viewer's buttons; each member declares through the room's « declare » with the appeal.
    const html = (await readPage(server.baseUrl, cookies.membre2!, `/sessions/${other.recours}/recours`)).text.replace(/<[^>]+>/g, "");
    expect(html).toContain("Je n'ai aucun lien avec ce candidat");
    expect(html).toContain("Mehdi Membre — n'a pas encore déclaré : le jury ne peut pas statuer avant");
    for (const who of ["president", "membre1", "membre2", "membre3"]) await ok(who, { intent: "declare", appealId: other.appeal, conflict: "false" }, other.recours);
    await refused("observateur", { intent: "declare", appealId: other.appeal, conflict: "false" }, 404, /^Jury introuvable\.$/, other.recours);
    expect((await page("president")).ruling!.declarations.every((d) => d.status === "noLink")).toBe(true);
    // The presiding member's form: BC01, acquired, shown kept (and sent as such), BC02 to grant.
    const presidingHtml = (await readPage(server.baseUrl, cookies.president!, `/sessions/${other.recours}/recours`)).text;
    const presiding = presidingHtml.replace(/<[^>]+>/g, "");
    expect(presiding).toContain("Déjà acquis par la décision contestée, maintenu (un recours ne peut aggraver la situation du candidat) : BC01");
    const inputs = [...presidingHtml.matchAll(/<input [^>]*name="acquired"[^>]*>/g)].map(([tag]) => [/type="(\w+)"/.exec(tag)![1], /value="([^"]+)"/.exec(tag)![1]]);
    expect(inputs).toEqual([
      ["hidden", bc01],
      ["checkbox", bc02],
    ]);

    const bogus = await decide([["acquired", "bogus-id"]]);
    expect(bogus.status).toBe(400);
    expect(bogus.body.fieldErrors?.acquired).toEqual(["Bloc ou compétence hors de la décision contestée : le jury n'accorde sur recours que ce que cette décision n'avait pas acquis."]);
    const worse = await decide([["acquired", bc02]]);
    expect(worse.body.fieldErrors?.acquired).toEqual(["Un recours ne peut pas aggraver la situation du candidat : BC01, acquis par la décision contestée, reste acquis."]);
    const same = await decide([["acquired", bc01]]);
    expect(same.body.fieldErrors?.outcome?.[0]).toMatch(/choisissez « Recours rejeté »\.$/);
    const dot = await decide([["acquired", bc01], ["acquired", bc02]], "-");
    expect(dot.body.fieldErrors?.reason).toEqual(["Indiquez le motif de la décision du jury sur ce recours : un motif s'écrit en quelques mots (au moins 3 lettres)."]);
    const upheld = await decide([["acquired", bc01], ["acquired", bc02]]);
    expect(upheld.status).toBe(200);
    const revisedId = (upheld.body as Answer & { newDecisionId?: string }).newDecisionId!;
    expect(revisedId).toBeTruthy();
    const res = await fetch(`${server.baseUrl}/sessions/${other.recours}/jury`, { headers: { Cookie: cookies.president! } });
    const room = ((await res.json()) as { room: { agenda: Array<{ decision: { id: string; method: string; overall: string } | null; declarations: Array<{ status: string }> }> } }).room;
    const revised = room.agenda.find((a) => a.decision?.id === revisedId)!;
    expect(revised.decision).toMatchObject({ method: "APPEAL", overall: "TOTAL" });
    expect(revised.declarations.every((d) => d.status === "noLink")).toBe(true);
    const roomPage = await readPage(server.baseUrl, cookies.president!, `/sessions/${other.recours}`);
    expect(roomPage.text).toMatch(/Décision rendue : Délivrance totale/);
  });
});

describe("another member's arrival or departure", () => {
  it("is recorded by the one presiding or the secretariat only: the vice-president cannot take the chair by marking the president « parti »", async () => {
    const before = await room();
    expect(before.presidingId).toBe(ids.president);
    const name = (userId: string) => before.members.find((m) => m.userId === userId)!.displayName;
    const isPresent = (r: Room, userId: string) => r.members.find((m) => m.userId === userId)!.attendance === "present";
    expect([ids.president!, ids.membre1!, ids.membre2!, ids.membre3!].every((id) => isPresent(before, id))).toBe(true);
    const events: Array<{ sessionId: string; version: number; change: { type: string; userId?: string; kind?: string } }> = [];
    const follower = connectEvents(server.baseUrl, cookies.admin!);
    try {
      follower.socket.on("jury:event", (event: (typeof events)[number]) => events.push(event));
      expect((await follower.join(sessionId)).ok).toBe(true);

      // The vice-president while the president presides, a member, the observer: refused in French, nothing written.
      const departure = /^Seul le président de séance ou le secrétariat peut enregistrer le départ d'un autre membre\.$/;
      await refused("membre1", { intent: "leave", userId: ids.president! }, 403, departure);
      await refused("membre1", { intent: "leave", userId: ids.president! }, 403, departure);
      await refused("membre2", { intent: "leave", userId: ids.membre3! }, 403, departure);
      await refused("observateur", { intent: "leave", userId: ids.membre2! }, 403, departure);
      await refused("membre2", { intent: "arrive", userId: ids.membre3! }, 403, /^Seul le président de séance ou le secrétariat peut enregistrer l'arrivée d'un autre membre\.$/);
      const after = await room();
      expect(after.session.version).toBe(before.session.version);
      expect(after.attendance).toEqual(before.attendance);
      expect(after.presidingId).toBe(ids.president);
      expect((await room("membre1")).viewer.recordsAttendanceOfOthers).toBe(false);

      // The room offers « Départ » of another member to the president and the secretariat, not to the vice-president.
      const offered = async (who: string) => (await readPage(server.baseUrl, cookies[who]!, `/sessions/${sessionId}`)).text;
      expect(await offered("membre1")).not.toContain(`aria-label="Départ de ${name(ids.president!)}"`);
      expect(await offered("membre2")).not.toContain(`aria-label="Départ de ${name(ids.membre3!)}"`);
      expect(await offered("president")).toContain(`aria-label="Départ de ${name(ids.membre3!)}"`);
      expect(await offered("admin")).toContain(`aria-label="Départ de ${name(ids.president!)}"`);

      // A member records his own departure; the president records a member's arrival and departure; the
      // organisation's administrator (not seated) records an arrival; sent again, it is the same arrival.
      await ok("membre3", { intent: "leave" });
      expect(isPresent(await room(), ids.membre3!)).toBe(false);
      await ok("president", { intent: "arrive", userId: ids.membre3! });
      await ok("president", { intent: "leave", userId: ids.membre3! });
      expect(isPresent(await room(), ids.membre3!)).toBe(false);
      await ok("admin", { intent: "arrive", userId: ids.membre3! });
      const attendance = (await room()).attendance;
      expect(await ok("president", { intent: "arrive", userId: ids.membre3! })).toMatchObject({ changed: false });
      expect((await room()).attendance).toEqual(attendance);

      // Once the president has left, the vice-president presides, and then records the others' arrival.
      await ok("president", { intent: "leave" });
      expect((await room()).presidingId).toBe(ids.membre1);
      await ok("membre1", { intent: "arrive", userId: ids.president! });
      const last = await room();
      expect(last.presidingId).toBe(ids.president);
      expect([ids.president!, ids.membre1!, ids.membre2!, ids.membre3!].every((id) => isPresent(last, id))).toBe(true);

      // Broadcast: the accepted changes only, in order (the refused ones sent nothing before them).
      await until(() => events.filter((e) => e.change.type === "attendance").length >= 6, "the accepted arrivals and departures reach the room");
      expect(events.filter((e) => e.change.type === "attendance").map((e) => [e.change.userId, e.change.kind])).toEqual([
        [ids.membre3, "LEFT"],
        [ids.membre3, "ARRIVED"],
        [ids.membre3, "LEFT"],
        [ids.membre3, "ARRIVED"],
        [ids.president, "LEFT"],
        [ids.president, "ARRIVED"],
      ]);
    } finally {
      closeAll(follower);
    }
  });
});
