/**
 * A candidate in recusal deadlock once the sitting is open: Yasmine MARTIN's grid sealed by Pierre, Marie and Mehdi
 * (the demo's commission) recuses all three for her at the demo jury, which opens anyway. Nobody may deliberate on
 * her, planning no longer changes, and the sitting could not close while she has no decision: the jury was stuck.
 * The sitting's president reports her to a later jury (« Reporter à un jury ultérieur », confirmed): a member may not,
 * a candidate who can be deliberated may not be, twice changes nothing. The room says she is reported and why; the
 * sitting closes once the other candidate is decided; the procès-verbal says her dossier was not deliberated, why and
 * when, and does not list her as « Non admis »; her dossier, back to « Complet », goes on another jury's agenda
 * through the planning.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { postForm, readPage } from "../support/html";
import { juryAsserts } from "../support/jury-asserts";
import { demoJuryAndSharedPassage, sealPassage } from "../support/jury-fixtures";
import { formatParisLongDate } from "~/domain/paris-date";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
const ids = { jury: "", yasmine: "", other: "", dossier: "", laterJury: "", commissionDate: "" };
const WHO = ["president", "membre1", "membre2", "membre3"] as const;
const EMAILS: Record<string, string> = { "Pierre Président": "president", "Marie Membre": "membre1", "Mehdi Membre": "membre2", "Jeanne Jurée": "membre3" };

type Answer = { ok?: boolean; changed?: boolean; pollId?: string; formErrors?: string[]; fieldErrors?: Record<string, string[]>; };
type Item = {
  agendaItemId: string;
  dossierStatus: string;
  deadlock: { lines: string[]; message: string } | null;
  postponed: { at: string; byId: string | null; reason: string } | null;
  presidingId: string | null;
  decision: unknown;
  targets: Array<{ id: string; commissionOutcome: string }>;
  conformity: { conform: boolean; nonConformities: Array<{ key: string }> };
  declarations: Array<{ userId: string; displayName: string; status: string }>;
};
type Room = { members: Array<{ userId: string; displayName: string }>; agenda: Item[] };

const { jury, ok, refused } = juryAsserts<Answer>(() => ({ baseUrl: server.baseUrl, cookies, sessionId: ids.jury }));
async function room(who = "president"): Promise<Room> {
  const res = await fetch(`${server.baseUrl}/sessions/${ids.jury}/jury`, { headers: { Cookie: cookies[who]! } });
  return ((await res.json()) as { room: Room }).room;
}
const item = async (id: string) => (await room()).agenda.find((a) => a.agendaItemId === id)!;

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const { jury: demo, commission, slot } = await demoJuryAndSharedPassage(prisma);
    ids.jury = demo.id;
    const yasmine = demo.agenda.find((a) => a.dossier.candidateId === slot.candidateId)!;
    ids.yasmine = yasmine.id;
    ids.dossier = yasmine.dossierId;
    ids.commissionDate = formatParisLongDate(commission.startsAt);
    // One other candidate left beside her (the agenda's first), for the sitting to have something to decide.
    const others = demo.agenda.filter((a) => a.id !== yasmine.id).sort((a, b) => a.position - b.position);
    ids.other = others[0]!.id;
    await prisma.juryAgendaItem.deleteMany({ where: { id: { in: others.slice(1).map((a) => a.id) } } });
    // Pierre, Marie and Mehdi evaluate her at the commission and sign her grid: recused for her at the jury.
    await sealPassage(prisma, { sessionId: commission.id, slotId: slot.id, signerEmails: ["president@quorum.test", "membre1@quorum.test", "membre2@quorum.test"] });
    // A later jury of the same certification, planned with an empty agenda: where the secretariat reports her dossier.
    const later = await prisma.session.create({
      data: {
        organisationId: demo.organisationId,
        kind: "JURY",
        title: "Jury paritaire — session suivante",
        startsAt: new Date(Date.now() + 40 * 86_400_000),
        endsAt: new Date(Date.now() + 40 * 86_400_000 + 4 * 3_600_000),
        status: "PLANNED",
        remote: true,
        remoteMeans: "Quorum",
        referentialVersionId: demo.referentialVersionId,
      },
    });
    ids.laterJury = later.id;
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

describe("a candidate in recusal deadlock once the sitting is open", () => {
  it("keeps the sitting from closing until the president reports her to a later jury; a member may not, twice changes nothing", async () => {
    const before = await item(ids.yasmine);
    expect(before.deadlock).not.toBeNull();
    expect(before.postponed).toBeNull();
    const close = await jury("president", { intent: "close", confirm: "yes" });
    expect(close.status).toBe(409);
    expect(close.body.formErrors?.[0]).toBe("Des candidats n'ont pas encore de décision : la séance ne peut être close.");
    expect(close.body.formErrors).toContain("Yasmine Nora MARTIN");

    // Only whoever presides the sitting; a member, or the secretariat, is refused in French.
    for (const who of ["membre3", "membre1", "secretariat"]) {
      await refused(who, { intent: "postpone", agendaItemId: ids.yasmine, confirm: "yes" }, 403, /président|ne siégez pas/);
    }
    // A candidate the jury can deliberate on is not reported.
    await refused(
      "president",
      { intent: "postpone", agendaItemId: ids.other, confirm: "yes" },
      409,
      /^Ce candidat peut être délibéré dans ce jury : seul un candidat que les récusations laissent sans personne pour délibérer sur ce candidat/,
    );
    // Irreversible: not without the confirmation.
    await refused("president", { intent: "postpone", agendaItemId: ids.yasmine }, 400, /^Confirmez le report : le candidat ne sera pas délibéré dans cette séance/);
    expect((await item(ids.yasmine)).postponed).toBeNull();

    const first = await ok("president", { intent: "postpone", agendaItemId: ids.yasmine, confirm: "yes" });
    expect(first.changed).toBe(true);
    const again = await ok("president", { intent: "postpone", agendaItemId: ids.yasmine, confirm: "yes" });
    expect(again.changed).toBe(false);

    const after = await item(ids.yasmine);
    const reason = before.deadlock!.lines.join(" ");
    expect(reason).toContain(`Marie Membre (a évalué ce candidat à la commission du ${ids.commissionDate})`);
    expect(after.postponed).toMatchObject({ reason });
    expect(after.deadlock).toBeNull();
    // Back to « Complet », awaiting a jury, as when withdrawn in planning.
    expect(after.dossierStatus).toBe("COMPLETE");
    const page = (await readPage(server.baseUrl, cookies.membre3!, `/sessions/${ids.jury}`)).text;
    expect(page).toContain("Reporté à un jury ultérieur (Collège salariés : Marie Membre");
    expect(page).toContain("dossier non délibéré dans cette séance");
    // Nothing more is done on her in this sitting.
    await refused("president", { intent: "phase", agendaItemId: ids.yasmine, to: "DELIBERATION" }, 409, /^Ce candidat a été reporté à un jury ultérieur/);
    await refused("membre3", { intent: "declare", agendaItemId: ids.yasmine, conflict: "false" }, 409, /^Ce candidat a été reporté à un jury ultérieur/);
  });

  it("closes once the other candidate is decided; the procès-verbal says she was reported, why and when, not « Non admis »", async () => {
    const { members } = await room();
    const nameOf = (userId: string) => members.find((m) => m.userId === userId)!.displayName;
    const chair = EMAILS[nameOf((await item(ids.other)).presidingId!)]!;
    // As the one who conducts reads it (a member recused for him does not read the commission's evaluation).
    const other = (await room(chair)).agenda.find((a) => a.agendaItemId === ids.other)!;
    for (const d of other.declarations.filter((x) => x.status === "missing")) await ok(EMAILS[d.displayName]!, { intent: "declare", agendaItemId: ids.other, conflict: "false" });
    await ok(chair, { intent: "phase", agendaItemId: ids.other, to: "DELIBERATION" });
    if (!other.conformity.conform) {
      await ok(chair, { intent: "acknowledge-conformity", agendaItemId: ids.other, ...Object.fromEntries(other.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Vu en séance."])) });
    }
    const acquired = other.targets.filter((t) => t.commissionOutcome === "acquired").length;
    const overall = acquired === other.targets.length ? "TOTAL" : acquired === 0 ? "NONE" : "PARTIAL";
    await ok(chair, { intent: "consensus", agendaItemId: ids.other, choice: overall });
    await ok(chair, { intent: "phase", agendaItemId: ids.other, to: "DECISION" });
    await ok(chair, {
      intent: "decide",
      agendaItemId: ids.other,
      overall,
      ...Object.fromEntries(other.targets.map((t) => [`choice.${t.id}`, t.commissionOutcome === "acquired" ? "ACQUIRED" : "NOT_ACQUIRED"])),
    });
    expect((await ok("president", { intent: "close", confirm: "yes" })).changed).toBe(true);

    const minutes = (await readPage(server.baseUrl, cookies.president!, `/sessions/${ids.jury}/proces-verbal`)).text;
    const has = (text: string | RegExp) => expect(typeof text === "string" ? minutes.includes(text) : text.test(minutes), String(text)).toBe(true);
    has(/Dossier non délibéré : reporté à un jury ultérieur à \d{1,2}\u00a0h\u00a0\d{2} par Pierre Président, qui présidait la séance, personne ne pouvant délibérer sur ce candidat dans ce jury\./);
    has(`Récusations : Collège salariés : Marie Membre (a évalué ce candidat à la commission du ${ids.commissionDate}), Mehdi Membre`);
    has("Décision : aucune, le dossier est rendu au secrétariat pour l'ordre du jour d'un autre jury.");
    has("Reporté(e) à un jury ultérieur, non délibéré(e) : Yasmine Nora MARTIN (née BENALI).");
    const notAdmitted = [...minutes.matchAll(/Non admis : [^.]*\./g)].map((m) => m[0]);
    expect(notAdmitted.length).toBeGreaterThan(0);
    for (const line of notAdmitted) expect(line).not.toContain("Yasmine");
    expect(/Dossier de Yasmine[^<]*\(complétude contrôlée\)/.test(minutes)).toBe(false);
    // Nothing to deliver nor notify for her: the delivery page knows only the other candidate's decision.
    const delivery = await readPage(server.baseUrl, cookies.secretariat!, `/sessions/${ids.jury}/delivrance`);
    expect(delivery.status).toBe(200);
    expect(delivery.text.includes("Yasmine")).toBe(false);
  });

  it("puts her dossier on another jury's agenda through the planning, and her dossier's page says she was reported", async () => {
    const res = await postForm(server.baseUrl, cookies.secretariat!, `/sessions/${ids.laterJury}/planning`, { intent: "add-agenda", dossierId: ids.dossier });
    expect(res.status, await res.clone().text()).toBe(302);
    const planning = (await readPage(server.baseUrl, cookies.secretariat!, `/sessions/${ids.laterJury}/planning`)).text;
    expect(planning).toContain("Yasmine MARTIN");
    const dossier = (await readPage(server.baseUrl, cookies.secretariat!, `/dossiers/${ids.dossier}`)).text;
    expect(dossier).toContain("reporté à un jury ultérieur, non délibéré dans cette séance");
    expect(dossier).toContain("Jury paritaire — session suivante");
  });
});
