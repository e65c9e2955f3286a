/**
 * The demo's evaluation commission and paritary jury share Yasmine MARTIN. Once her grid is sealed and signed by Pierre
 * (president), Marie and Mehdi, these three are her evaluators, recused for her before the jury (decision 0020): the
 * employees' college has nobody left to deliberate on her (Marie, Mehdi), and neither chair may conduct it (Pierre,
 * Marie). The room says so before any vote, who and why, and what resolves it (the secretariat's planning: seat a
 * member of that college who did not evaluate her and give him a chair, or withdraw her dossier); every command on
 * her is refused with the same statement. Seating such a member as vice-president does unblock her: the poll opens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { juryCommand } from "../support/clients";
import { postForm, readPage } from "../support/html";
import { demoJuryAndSharedPassage, sealPassage } from "../support/jury-fixtures";
import { formatParisLongDate } from "~/domain/paris-date";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
const ids = { jury: "", item: "", commissionDate: "", marie: "", marieSeat: "", nadia: "" };

type Answer = { ok?: boolean; formErrors?: string[]; pollId?: string };
type Item = { agendaItemId: string; deadlock: { lines: string[]; remedy: string; message: string } | null; presidingId: string | null };
const command = (who: string, fields: Record<string, string>) => juryCommand<Answer>(server.baseUrl, cookies[who]!, ids.jury, fields);
async function yasmine(who: string): Promise<Item> {
  const res = await fetch(`${server.baseUrl}/sessions/${ids.jury}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: { agenda: Item[] } }).room.agenda.find((a) => a.agendaItemId === ids.item)!;
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const { jury, commission, slot } = await demoJuryAndSharedPassage(prisma);
    ids.jury = jury.id;
    ids.item = jury.agenda.find((a) => a.dossier.candidateId === slot.candidateId)!.id;
    ids.commissionDate = formatParisLongDate(commission.startsAt);
    // The new user's first path: the commission evaluates Yasmine, Pierre, Marie and Mehdi sign her grid.
    await sealPassage(prisma, { sessionId: commission.id, slotId: slot.id, signerEmails: ["president@quorum.test", "membre1@quorum.test", "membre2@quorum.test"] });
    const marie = await prisma.user.findUniqueOrThrow({ where: { email: "membre1@quorum.test" } });
    ids.marie = marie.id;
    ids.marieSeat = (await prisma.sessionMember.findFirstOrThrow({ where: { sessionId: jury.id, userId: marie.id } })).id;
    // A member of the organisation habilitated for the certification, who evaluated nobody: the one to seat.
    const certificationId = (await prisma.referentialVersion.findUniqueOrThrow({ where: { id: jury.referentialVersionId! } })).certificationId;
    const nadia = await prisma.user.create({
      data: {
        email: "nadia.salariee@quorum.test",
        displayName: "Nadia Salariée",
        passwordHash: marie.passwordHash,
        memberships: { create: { organisationId: jury.organisationId, role: "MEMBER" } },
        habilitations: { create: { certificationId, validFrom: new Date(Date.now() - 30 * 86_400_000), validUntil: new Date(Date.now() + 300 * 86_400_000) } },
      },
    });
    ids.nadia = nadia.id;
  });
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2", "membre3", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("a candidate whom recusals leave without anyone to deliberate on her", () => {
  const lines = () => [
    `Collège salariés : Marie Membre (a évalué ce candidat à la commission du ${ids.commissionDate}), Mehdi Membre (a évalué ce candidat à la commission du ${ids.commissionDate}) sont récusés ; aucun membre de ce collège ne peut délibérer sur ce candidat.`,
    `Présidence : le président Pierre Président (a évalué ce candidat à la commission du ${ids.commissionDate}) et le vice-président Marie Membre sont récusés ; personne ne peut conduire sa délibération.`,
  ];
  const REMEDY =
    "Pour en délibérer, le secrétariat doit, avant l'ouverture de la séance (planification du jury), faire siéger un membre habilité du collège salariés sans lien avec ce candidat (qui ne l'a ni évalué ni formé) et confier la présidence ou la vice-présidence à un membre non récusé, ou retirer son dossier de l'ordre du jour de ce jury pour l'inscrire à celui d'un autre jury.";

  it("is told in the room before any vote: who is recused and why, what resolves it, and the secretariat's way to it", async () => {
    for (const who of ["president", "secretariat"]) {
      expect((await yasmine(who)).deadlock).toEqual({ lines: lines(), remedy: REMEDY, message: `Personne ne peut délibérer sur ce candidat dans ce jury. ${lines().join(" ")} ${REMEDY}` });
    }
    const planning = `/sessions/${ids.jury}/planning`;
    const secretariat = (await readPage(server.baseUrl, cookies.secretariat!, `/sessions/${ids.jury}`)).text;
    const shown = (page: string, text: string) => expect(page.includes(text), text).toBe(true);
    shown(secretariat, "Yasmine Nora MARTIN : personne ne peut délibérer sur ce candidat dans ce jury.");
    for (const line of [...lines(), REMEDY]) shown(secretariat, line);
    shown(secretariat, `href="${planning}#members-title"`);
    shown(secretariat, `href="${planning}#agenda-title"`);
    // The president reads the same statement; planning is not his, so no link to it.
    const president = (await readPage(server.baseUrl, cookies.president!, `/sessions/${ids.jury}`)).text;
    for (const line of [...lines(), REMEDY]) shown(president, line);
    expect(president.includes(`href="${planning}#members-title"`)).toBe(false);
    // The planning page the link leads to tells the same candidate (its warnings).
    const planningPage = (await readPage(server.baseUrl, cookies.secretariat!, planning)).text;
    expect(/Yasmine MARTIN \(née BENALI\) : [^<]*Personne ne pourra conduire sa délibération/.test(planningPage)).toBe(true);
  });

  it("refuses every command on her with that statement, never a generic error", async () => {
    const statement = (await yasmine("president")).deadlock!.message;
    for (const who of ["president", "membre1", "membre2", "membre3"]) expect((await command(who, { intent: "arrive" })).status).toBe(200);
    for (const [who, fields] of [
      ["president", { intent: "phase", agendaItemId: ids.item, to: "DELIBERATION" }],
      ["membre1", { intent: "phase", agendaItemId: ids.item, to: "DELIBERATION" }],
      ["membre3", { intent: "open-poll", agendaItemId: ids.item, mode: "open" }],
      ["president", { intent: "open-poll", agendaItemId: ids.item, mode: "open" }],
      ["president", { intent: "consensus", agendaItemId: ids.item, choice: "PARTIAL" }],
      ["president", { intent: "decide", agendaItemId: ids.item, overall: "PARTIAL" }],
    ] as const) {
      const answer = await command(who, fields);
      expect(answer.status, `${who} ${JSON.stringify(fields)} → ${JSON.stringify(answer.body)}`).toBe(403);
      expect(answer.body.formErrors?.[0]).toContain(statement);
    }
  });

  it("is unblocked once the secretariat seats a member of the employees' college who did not evaluate her, as vice-president: the poll opens", async () => {
    const planning = `/sessions/${ids.jury}/planning`;
    const post = async (fields: Record<string, string>) => {
      const res = await postForm(server.baseUrl, cookies.secretariat!, planning, fields);
      expect(res.status, `${JSON.stringify(fields)} → ${await res.clone().text()}`).toBe(302);
    };
    // Marie gives up the vice-presidency (she stays a member), Nadia takes it for the employees' college.
    await post({ intent: "unseat-member", id: ids.marieSeat });
    await post({ intent: "seat-member", userId: ids.nadia, role: "VICE_PRESIDENT", college: "EMPLOYEE" });
    await post({ intent: "seat-member", userId: ids.marie, role: "MEMBER", college: "EMPLOYEE" });
    expect((await yasmine("secretariat")).deadlock).toBeNull();
    expect((await readPage(server.baseUrl, cookies.secretariat!, `/sessions/${ids.jury}`)).text.includes("personne ne peut délibérer sur ce candidat")).toBe(false);

    cookies.nadia = await login(server.baseUrl, "nadia.salariee@quorum.test");
    for (const who of ["president", "membre1", "membre2", "membre3", "nadia"]) expect((await command(who, { intent: "arrive" })).status).toBe(200);
    expect((await command("president", { intent: "start" })).status).toBe(200);
    // Nadia conducts on Yasmine (both usual chairs recused for her), with Jeanne for the employers.
    expect((await yasmine("president")).presidingId).toBe(ids.nadia);
    expect((await command("nadia", { intent: "phase", agendaItemId: ids.item, to: "DELIBERATION" })).status).toBe(200);
    for (const who of ["nadia", "membre3"]) expect((await command(who, { intent: "declare", agendaItemId: ids.item, conflict: "false" })).status).toBe(200);
    const opened = await command("nadia", { intent: "open-poll", agendaItemId: ids.item, mode: "open" });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.pollId).toBeTruthy();
  });
});
