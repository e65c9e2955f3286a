/**
 * A seat opens its session only to a member of the session's organisation, against the real production server. Bérénice
 * belongs to two organisations (the demo's CPNEF and another one) and sat in three closed sessions of the CPNEF: the
 * past commission, the past jury, the jury's deliberation. Removed from the CPNEF, she keeps her sign-in (through the
 * other organisation) and her seats on record; nothing of those sessions opens any more — pages, evidence and identity
 * documents, signed grids, procès-verbal and decision sheets, their commands, socket.io joins and Yjs documents — and
 * the connections she had open close at once; the members still seated there keep it all. And a secretariat demoted
 * while following a closed session's events is dropped from it at once, not at her next reconnection.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { clientTracker, connectEvents, connectGrid, gridName, until } from "../support/clients";
import { decodeHtml, postForm, readPage } from "../support/html";
import { minutesDocumentName } from "~/domain/minutes";
import { preconisationsDocumentName } from "~/domain/jury-decision";

let database: TestDatabase;
let server: TestServer;
const ids = {
  berenice: "",
  sylvie: "",
  commission: "",
  commissionSlot: "",
  commissionIdentity: "",
  pastJury: "",
  pastJuryItem: "",
  deliberation: "",
  deliberationSlot: "",
  deliberationIdentity: "",
};
const cookies: Record<string, string> = {};
const clients = clientTracker();

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const session = (title: string) =>
      prisma.session.findFirstOrThrow({
        where: { title, status: "CLOSED" },
        include: { slots: { orderBy: { position: "asc" } }, agenda: { orderBy: { position: "asc" }, include: { decision: true } } },
      });
    const commission = await session("Commission d'évaluation (passée) — CQP Assistant(e) de formation");
    const pastJury = await session("Jury paritaire de délivrance — session passée");
    const deliberation = await session("Délibération du jury — CQP Assistant(e) de formation");
    ids.commission = commission.id;
    ids.commissionSlot = commission.slots[0]!.id;
    ids.commissionIdentity = (await prisma.evidence.findFirstOrThrow({ where: { dossierId: commission.slots[0]!.dossierId!, kind: "IDENTITY" } })).id;
    ids.pastJury = pastJury.id;
    ids.pastJuryItem = pastJury.agenda.find((item) => item.decision)!.id;
    ids.deliberation = deliberation.id;
    // The signed commission grid of a candidate on the deliberation's agenda (the jury reads it through its own route).
    const dossierIds = deliberation.agenda.map((item) => item.dossierId);
    ids.deliberationSlot = (await prisma.sessionSlot.findFirstOrThrow({ where: { dossierId: { in: dossierIds }, gridStatus: "SIGNED" } })).id;
    // An identity document in the deliberation's dossiers (the demo's have none).
    const content = Buffer.from("%PDF-1.4 pièce d'identité (test)");
    ids.deliberationIdentity = (
      await prisma.evidence.create({
        data: {
          dossierId: dossierIds[0]!,
          kind: "IDENTITY",
          fileName: "identite.pdf",
          mimeType: "application/pdf",
          size: content.byteLength,
          sha256: createHash("sha256").update(content).digest("hex"),
          content,
        },
      })
    ).id;

    // Jeanne presides the deliberation (she evaluated none of its candidates): she reads it all as a member still seated.
    const jeanne = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.membre3 } });
    expect(await prisma.sessionMember.findFirst({ where: { sessionId: deliberation.id, userId: jeanne.id, role: "PRESIDENT" } })).not.toBeNull();

    const cpnef = commission.organisationId;
    const other = await prisma.organisation.create({ data: { slug: "autre-branche", name: "Autre branche", legalName: "Autre branche" } });
    const { passwordHash } = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.president } });
    const berenice = await prisma.user.create({
      data: {
        email: "berenice@quorum.test",
        displayName: "Bérénice Double",
        passwordHash,
        // The other organisation first: her sign-in's first membership is not the CPNEF.
        memberships: { create: [{ organisationId: other.id, role: "MEMBER" }, { organisationId: cpnef, role: "MEMBER" }] },
      },
    });
    ids.berenice = berenice.id;
    await prisma.sessionMember.createMany({
      data: [
        { sessionId: commission.id, userId: berenice.id, role: "MEMBER", evaluatorProfile: "PROFESSIONAL" },
        { sessionId: pastJury.id, userId: berenice.id, role: "OBSERVER" },
        { sessionId: deliberation.id, userId: berenice.id, role: "MEMBER", college: "EMPLOYEE" },
      ],
    });
    const sylvie = await prisma.user.create({
      data: {
        email: "sylvie@quorum.test",
        displayName: "Sylvie Suivi",
        passwordHash,
        memberships: { create: [{ organisationId: cpnef, role: "SECRETARIAT" }] },
      },
    });
    ids.sylvie = sylvie.id;
  });
  server = await startServer({ database, env: { QUORUM_SIGN_IN_SWEEP_MS: "600000" } });
  cookies.admin = await login(server.baseUrl, DEMO_ACCOUNTS.admin);
  cookies.berenice = await login(server.baseUrl, "berenice@quorum.test");
  cookies.sylvie = await login(server.baseUrl, "sylvie@quorum.test");
  cookies.president = await login(server.baseUrl, DEMO_ACCOUNTS.president);
  cookies.membre3 = await login(server.baseUrl, DEMO_ACCOUNTS.membre3);
  cookies.emma = await login(server.baseUrl, "evaluateur-externe@quorum.test");
}, 240_000);

afterAll(async () => {
  clients.closeAll();
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

/** What each session opens to a seat, with who else sits there (and keeps it). */
const pages = () => [
  ...[
    `/sessions/${ids.commission}`,
    `/sessions/${ids.commission}/proces-verbal`,
    `/sessions/${ids.commission}/passages/${ids.commissionSlot}/pieces/${ids.commissionIdentity}`,
    `/sessions/${ids.commission}/passages/${ids.commissionSlot}/grille.pdf`,
  ].map((path) => ({ path, seated: "emma" })),
  ...[
    `/sessions/${ids.pastJury}`,
    `/sessions/${ids.pastJury}/jury`,
    `/sessions/${ids.pastJury}/recours`,
    `/sessions/${ids.pastJury}/proces-verbal`,
    `/sessions/${ids.pastJury}/proces-verbal.pdf`,
    `/sessions/${ids.pastJury}/decisions/${ids.pastJuryItem}`,
    `/sessions/${ids.pastJury}/decisions/${ids.pastJuryItem}/fiche.pdf`,
  ].map((path) => ({ path, seated: "president" })),
  // The deliberation is presided by Jeanne.
  ...[
    `/sessions/${ids.deliberation}`,
    `/sessions/${ids.deliberation}/jury/grilles/${ids.deliberationSlot}`,
    `/sessions/${ids.deliberation}/jury/pieces/${ids.deliberationIdentity}`,
  ].map((path) => ({ path, seated: "membre3" })),
];

const REFUSED = /n'existe pas ou ne vous est pas accessible|Jury introuvable/;

describe("a person removed from one of her two organisations", () => {
  it("opens the closed sessions she sat on while she is a member", async () => {
    // The grids' PDFs are rendered after the server's start.
    for (const { path } of pages()) {
      let last = { status: 0, text: "" };
      await until(async () => (last = await readPage(server.baseUrl, cookies.berenice!, path)).status === 200, `Bérénice reads ${path}`, {
        timeoutMs: 60_000,
        details: () => ({ status: last.status, text: decodeHtml(last.text).slice(0, 300) }),
      });
    }
    const listed = await readPage(server.baseUrl, cookies.berenice!, "/sessions");
    for (const sessionId of [ids.commission, ids.pastJury, ids.deliberation]) expect(listed.text).toContain(`/sessions/${sessionId}`);
  }, 120_000);

  it("keeps none of them once removed, through her other organisation's sign-in; her open connections close at once", async () => {
    // Connections open before the removal: the session rooms (seated), the grid, the minutes and the préconisations.
    const events = clients.track(connectEvents(server.baseUrl, cookies.berenice!));
    for (const sessionId of [ids.commission, ids.pastJury, ids.deliberation]) expect((await events.join(sessionId)).ok).toBe(true);
    const documents = [
      gridName(ids.commission, ids.commissionSlot),
      minutesDocumentName(ids.pastJury),
      preconisationsDocumentName(ids.pastJury, ids.pastJuryItem),
    ].map((name) => clients.track(connectGrid(server.baseUrl, name, cookies.berenice!)));
    for (const document of documents) await until(() => document.synced, `${document.provider.roomname} synced before the removal`);

    const removed = await postForm(server.baseUrl, cookies.admin!, "/membres", { intent: "remove", userId: ids.berenice });
    expect(removed.headers.get("location")).toBe("/membres?fait=retrait");

    // Told for the first room re-checked, then disconnected (out of every room).
    await until(() => !events.connected, "her socket disconnected", { details: () => events.removals });
    expect([ids.commission, ids.pastJury, ids.deliberation]).toContain(events.removals[0]!.sessionId);
    expect(events.removals[0]!.message).toBe("Vous ne siégez plus dans cette session.");
    for (const document of documents) {
      await until(() => document.closes.length > 0, `${document.provider.roomname} closed`);
      expect(document.closes[0]!.code).toBe(4403);
    }

    // Still signed in (the other organisation), but nothing of those sessions answers.
    expect((await readPage(server.baseUrl, cookies.berenice!, "/sessions")).status).toBe(200);
    for (const { path } of pages()) {
      const page = await readPage(server.baseUrl, cookies.berenice!, path);
      expect(page.status, path).toBe(404);
      expect(decodeHtml(page.text), path).toMatch(REFUSED);
    }
    // Nor listed among her sessions.
    const text = (await readPage(server.baseUrl, cookies.berenice!, "/sessions")).text;
    for (const sessionId of [ids.commission, ids.pastJury, ids.deliberation]) expect(text).not.toContain(sessionId);
    // Nor her commands (the procès-verbal's, a passage's, the jury room's): « introuvable », nothing done.
    const commands: Array<{ path: string; fields: Record<string, string> }> = [
      { path: `/sessions/${ids.pastJury}/proces-verbal/commande`, fields: { intent: "request-change", reason: "Une correction demandée" } },
      { path: `/sessions/${ids.commission}/passages/${ids.commissionSlot}`, fields: { intent: "declare" } },
      { path: `/sessions/${ids.deliberation}/jury`, fields: { intent: "arrive" } },
      { path: `/sessions/${ids.pastJury}/decisions/${ids.pastJuryItem}`, fields: { intent: "request-change", reason: "Une correction demandée" } },
    ];
    for (const { path, fields } of commands) {
      const res = await postForm(server.baseUrl, cookies.berenice!, path, fields);
      expect(res.status, path).toBe(404);
      expect(decodeHtml(await res.text()), path).toMatch(REFUSED);
    }

    // A new socket is refused the rooms, a new Yjs connection the documents.
    const again = clients.track(connectEvents(server.baseUrl, cookies.berenice!));
    for (const sessionId of [ids.commission, ids.pastJury, ids.deliberation]) {
      expect(await again.join(sessionId)).toEqual({ ok: false, error: "Vous ne siégez pas dans cette session." });
    }
    for (const name of [gridName(ids.commission, ids.commissionSlot), minutesDocumentName(ids.pastJury), preconisationsDocumentName(ids.pastJury, ids.pastJuryItem)]) {
      const refused = clients.track(connectGrid(server.baseUrl, name, cookies.berenice!));
      await until(() => refused.closes.length > 0, `${name} refused`);
      expect(refused.closes[0]!.code).toBe(4403);
      expect(refused.synced).toBe(false);
    }
  });

  it("leaves every page, file, room and document to the members still seated there", async () => {
    for (const { path, seated } of pages()) expect((await readPage(server.baseUrl, cookies[seated]!, path)).status, `${seated} ${path}`).toBe(200);
    const emma = clients.track(connectEvents(server.baseUrl, cookies.emma!));
    expect((await emma.join(ids.commission)).ok).toBe(true);
    const president = clients.track(connectEvents(server.baseUrl, cookies.president!));
    expect((await president.join(ids.pastJury)).ok).toBe(true);
    const jeanne = clients.track(connectEvents(server.baseUrl, cookies.membre3!));
    expect((await jeanne.join(ids.deliberation)).ok).toBe(true);
    const grid = clients.track(connectGrid(server.baseUrl, gridName(ids.commission, ids.commissionSlot), cookies.emma!));
    const minutes = clients.track(connectGrid(server.baseUrl, minutesDocumentName(ids.pastJury), cookies.president!));
    const preconisations = clients.track(connectGrid(server.baseUrl, preconisationsDocumentName(ids.pastJury, ids.pastJuryItem), cookies.president!));
    for (const document of [grid, minutes, preconisations]) await until(() => document.synced, `${document.provider.roomname} synced for a seated member`);
  });
});

describe("a secretariat following a closed session", () => {
  it("is dropped from its events and its live texts as soon as her role is withdrawn", async () => {
    // Not seated: she follows the closed deliberation's events as the organisation's secretariat, and reads the closed
    // jury's procès-verbal without its events (each is found on its own: her sockets' rooms, her live documents).
    const events = clients.track(connectEvents(server.baseUrl, cookies.sylvie!));
    const joined = await events.join(ids.deliberation);
    expect(joined.ok && joined.seat).toBeNull();
    const minutes = clients.track(connectGrid(server.baseUrl, minutesDocumentName(ids.pastJury), cookies.sylvie!));
    await until(() => minutes.synced, "the secretariat reads the closed jury's procès-verbal");

    const demoted = await postForm(server.baseUrl, cookies.admin!, "/membres", { intent: "role", userId: ids.sylvie, role: "MEMBER" });
    expect(demoted.headers.get("location")).toBe("/membres?fait=role");

    await until(() => !events.connected, "her socket on the closed deliberation disconnected", { details: () => events.removals });
    expect(events.removals).toEqual([{ sessionId: ids.deliberation, message: "Vous ne siégez plus dans cette session." }]);
    await until(() => minutes.closes.length > 0, "her procès-verbal closed");
    expect(minutes.closes[0]!.code).toBe(4403);
    // And a new join is refused: a member without a seat.
    const again = clients.track(connectEvents(server.baseUrl, cookies.sylvie!));
    expect(await again.join(ids.deliberation)).toEqual({ ok: false, error: "Vous ne siégez pas dans cette session." });
  });
});
