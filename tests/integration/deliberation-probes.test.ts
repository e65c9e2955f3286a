/**
 * The second half of the product (deliberation, appeals, minutes, delivery) against what a careless or hostile client
 * sends, on the demo through its real routes, where jury-probes.test.ts does not look: each refusal is a French
 * message at its field, and nothing is written.
 *
 * - A member's declaration for a candidate (jury room) or for an appellant (page « Recours ») that says neither « no
 *   link » nor « conflict » (the field missing, a typo) was recorded as « Je n'ai aucun lien avec ce candidat », an
 *   ethical statement the member never made; and the appeals' page stored a declaration's note holding a right-to-left
 *   override that the jury room refused.
 * - The conformity checklist acknowledged twice (a double click) recorded a second acknowledgement: a second audit
 *   event, the room told again.
 * - The secretariat's return of a jury's decisions to the jury, sent twice, was recorded twice (a second audit event,
 *   its date moved).
 * - The Caisse des Dépôts identifiers saved again unchanged were recorded again (an audit event each time).
 * - The desk's figures over a period typed centuries long (du=1900-01&au=2999-12) made a page of 13,200 months (7 MB).
 * - A revocation's motive « ..... » (printed on the public verification page), a return's « ----- » and an appeal's
 *   grounds « .......... » were accepted, where every motive of the jury room must be words (app/domain/motive.ts).
 * - A decision revised on appeal with a motive of more than some 400 characters: « Délivrer » issued its document, then
 *   the contested document's revocation was refused (its reason, quoting the motive, over 500 characters) — a 400 about
 *   a revocation motive nobody typed, the contested document left valid, and « Délivrer » again never revoked it.
 *
 * Probed and held: another organisation's secretariat reaches none of these pages, downloads and commands.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, startServer, type TestServer } from "../support/server";
import { juryCommand } from "../support/clients";
import { decodeHtml } from "../support/html";
import { inDemoOrganisation } from "../support/demo-organisation";

let server: TestServer;
const cookies: Record<string, string> = {};
/** The demo's planned jury and its first candidate; the jury examining appeals, with the demo's appeal on its agenda. */
const ids = { jury: "", item: "", recours: "", appeal: "" };

const CHOOSE = "Choisissez votre déclaration : « Je n'ai aucun lien avec ce candidat » ou « Je déclare un conflit d'intérêts ». Rien n'a été enregistré.";
const UNSAFE = "Caractères invisibles ou de contrôle refusés (par exemple un inverseur de sens d'écriture) : retapez le texte.";

type Answer = { ok: boolean; formErrors?: string[]; fieldErrors?: Record<string, string[]> };

beforeAll(async () => {
  server = await startServer();
  const p = server.prisma;
  const jury = await p.session.findFirstOrThrow({ where: { ...inDemoOrganisation, kind: "JURY", status: "PLANNED", agenda: { some: {} } }, include: { agenda: { orderBy: { position: "asc" } } } });
  ids.jury = jury.id;
  ids.item = jury.agenda[0]!.id;
  const recours = await p.session.findFirstOrThrow({ where: { title: "Jury paritaire — examen des recours" } });
  ids.recours = recours.id;
  // The demo's appeal, put on that jury's agenda (as the secretariat does from its planning).
  const appeal = await p.appeal.findFirstOrThrow({ where: { status: "RECEIVED" } });
  await p.appeal.update({ where: { id: appeal.id }, data: { status: "SCHEDULED", sessionId: recours.id } });
  ids.appeal = appeal.id;
  for (const who of ["president", "membre1", "membre2", "membre3"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
});

/** The page « Recours » posted as its form is (no JavaScript): status and the page's text. */
async function postAppealsPage(who: string, fields: Record<string, string>) {
  const res = await fetch(`${server.baseUrl}/sessions/${ids.recours}/recours`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookies[who]!, Origin: server.baseUrl },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, text: decodeHtml(await res.text()) };
}

describe("a declaration for a candidate", () => {
  it("is refused in the jury room when it says neither « no link » nor « conflict », and nothing is declared", async () => {
    for (const fields of [{}, { conflict: "" }, { conflict: "maybe" }, { conflict: "False" }] as Array<Record<string, string>>) {
      const answer = await juryCommand<Answer>(server.baseUrl, cookies.membre2!, ids.jury, { intent: "declare", agendaItemId: ids.item, ...fields });
      expect(answer.status, JSON.stringify(fields)).toBe(400);
      expect(answer.body.fieldErrors?.conflict).toEqual([CHOOSE]);
    }
    expect(await server.prisma.juryConflictDeclaration.count({ where: { agendaItemId: ids.item } })).toBe(0);
    // The buttons' values are still understood.
    const answer = await juryCommand<Answer>(server.baseUrl, cookies.membre2!, ids.jury, { intent: "declare", agendaItemId: ids.item, conflict: "false" });
    expect(answer.status).toBe(200);
    expect(await server.prisma.juryConflictDeclaration.findMany({ where: { agendaItemId: ids.item }, select: { conflict: true } })).toEqual([{ conflict: false }]);
  });

  it("is refused on the appeals' page when it says neither, or when its note holds an invisible character", async () => {
    for (const fields of [{}, { conflict: "maybe" }] as Array<Record<string, string>>) {
      const page = await postAppealsPage("membre2", { intent: "declare", appealId: ids.appeal, ...fields });
      expect(page.status, JSON.stringify(fields)).toBe(400);
      expect(page.text).toContain(CHOOSE);
    }
    const spoofed = await postAppealsPage("membre2", { intent: "declare", appealId: ids.appeal, conflict: "false", note: "Aucun lien \u202Eeuqitilop" });
    expect(spoofed.status).toBe(400);
    expect(spoofed.text).toContain(UNSAFE);
    expect(await server.prisma.juryAppealDeclaration.count({ where: { appealId: ids.appeal } })).toBe(0);
    const page = await postAppealsPage("membre2", { intent: "declare", appealId: ids.appeal, conflict: "true", note: "Ancien collègue de la candidate." });
    expect(page.status).toBe(200);
    expect(await server.prisma.juryAppealDeclaration.findMany({ where: { appealId: ids.appeal }, select: { conflict: true, note: true } })).toEqual([
      { conflict: true, note: "Ancien collègue de la candidate." },
    ]);
  });
});

describe("the conformity checklist", () => {
  type Room = { agenda: Array<{ agendaItemId: string; conformity: { nonConformities: Array<{ key: string }> } }> };
  const acknowledged = () => server.prisma.auditEvent.count({ where: { action: "jury.conformity_acknowledged", subjectId: ids.item } });

  it("acknowledged twice (a double click) is recorded once, the second answer saying nothing changed", async () => {
    for (const who of ["president", "membre1", "membre2", "membre3"]) {
      expect((await juryCommand<Answer>(server.baseUrl, cookies[who]!, ids.jury, { intent: "arrive" })).status).toBe(200);
    }
    expect((await juryCommand<Answer>(server.baseUrl, cookies.president!, ids.jury, { intent: "start" })).status).toBe(200);
    const res = await fetch(`${server.baseUrl}/sessions/${ids.jury}/jury`, { headers: { Cookie: cookies.president! } });
    const { room } = (await res.json()) as { room: Room };
    const keys = room.agenda.find((a) => a.agendaItemId === ids.item)!.conformity.nonConformities.map((n) => n.key);
    const acknowledge = (remark: string) =>
      juryCommand<Answer & { changed?: boolean }>(server.baseUrl, cookies.president!, ids.jury, {
        intent: "acknowledge-conformity",
        agendaItemId: ids.item,
        ...Object.fromEntries(keys.map((key) => [`remark.${key}`, remark])),
      });
    const first = await acknowledge("Vu en séance.");
    expect(first.status).toBe(200);
    expect(first.body.changed).toBe(true);
    const again = await acknowledge("Vu en séance.");
    expect(again.status).toBe(200);
    expect(again.body.changed).toBe(false);
    expect(await acknowledged()).toBe(1);
  });
});

describe("the CPNE's return of a jury's decisions", () => {
  it("sent twice with its reason (a double click) is one return: one audit event, its date kept", async () => {
    const cookie = await login(server.baseUrl, "secretariat@quorum.test");
    const session = await server.prisma.session.findFirstOrThrow({ where: { title: { startsWith: "Délibération du jury — CQP Conducteur" } } });
    const reason = "Avis de l'entreprise à vérifier pour le bloc 2.";
    const send = () =>
      fetch(`${server.baseUrl}/sessions/${session.id}/delivrance`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, Origin: server.baseUrl },
        body: new URLSearchParams({ intent: "return", reason }),
      });
    expect((await send()).status).toBe(200);
    const first = await server.prisma.sessionValidation.findUniqueOrThrow({ where: { sessionId: session.id } });
    const again = await send();
    expect(again.status).toBe(200);
    expect(decodeHtml(await again.text())).toContain("Décisions renvoyées au jury avec le motif indiqué.");
    const after = await server.prisma.sessionValidation.findUniqueOrThrow({ where: { sessionId: session.id } });
    expect(after.returnedAt).toEqual(first.returnedAt);
    expect(await server.prisma.auditEvent.count({ where: { action: "delivery.decisions.returned", subjectId: session.id } })).toBe(1);
  });
});

describe("the Caisse des Dépôts identifiers", () => {
  it("saved again unchanged (a double click) write nothing; a change is recorded once", async () => {
    const cookie = await login(server.baseUrl, "secretariat@quorum.test");
    const organisationId = (await server.prisma.session.findUniqueOrThrow({ where: { id: ids.jury } })).organisationId;
    const updates = () => server.prisma.auditEvent.count({ where: { action: "cdc.settings_updated", organisationId } });
    const save = async (idClient: string, idContrat: string) => {
      const res = await fetch(`${server.baseUrl}/declarations`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, Origin: server.baseUrl },
        body: new URLSearchParams({ intent: "settings", idClient, idContrat }),
      });
      expect(res.status).toBe(200);
      expect(decodeHtml(await res.text())).toContain("Identifiants Caisse des Dépôts enregistrés.");
    };
    const before = await updates();
    await save("34DEF567", "MCFCER000456");
    await save("34DEF567", "MCFCER000456");
    await save(" 34def567 ", "mcfcer000456");
    expect(await updates()).toBe(before + 1);
    expect(await server.prisma.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { cdcIdClient: true, cdcIdContrat: true } })).toEqual({
      cdcIdClient: "34DEF567",
      cdcIdContrat: "MCFCER000456",
    });
  });
});

describe("the desk's figures", () => {
  it("show ten years at most, ending with « au »: a start typed centuries back is moved up, and the form says so", async () => {
    const cookie = await login(server.baseUrl, "secretariat@quorum.test");
    const monthField = (html: string, name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
    const res = await fetch(`${server.baseUrl}/?du=1900-01&au=2999-12`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect([monthField(html, "du"), monthField(html, "au")]).toEqual(["2990-01", "2999-12"]);
    // 13,200 months made a page of 7 MB.
    expect(html.length).toBeLessThan(1_000_000);
    const csv = await fetch(`${server.baseUrl}/chiffres.csv?du=1900-01&au=2999-12`, { headers: { Cookie: cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toContain("chiffres-2990-01-2999-12.csv");
    expect((await csv.text()).split("\n").filter((line) => line.startsWith("Candidats inscrits par mois")).length).toBe(120);
  });
});

describe("another organisation's secretariat", () => {
  it("reaches none of this organisation's delivery, archive, declarations or minutes, whatever id it sends, and writes nothing", async () => {
    const p = server.prisma;
    const organisationId = (await p.session.findUniqueOrThrow({ where: { id: ids.jury } })).organisationId;
    const org = await p.organisation.create({ data: { slug: "cpne-voisine", name: "CPNE voisine", legalName: "CPNE voisine" } });
    const { passwordHash } = await p.user.findUniqueOrThrow({ where: { email: "secretariat@quorum.test" } });
    await p.user.create({
      data: { email: "voisine@autre.test", displayName: "Valérie Voisine", passwordHash, memberships: { create: { organisationId: org.id, role: "SECRETARIAT" } } },
    });
    const cookie = await login(server.baseUrl, "voisine@autre.test");
    const passee = await p.session.findFirstOrThrow({ where: { title: "Jury paritaire de délivrance — session passée" } });
    const cpne = await p.session.findFirstOrThrow({ where: { title: { startsWith: "Délibération du jury — CQP Conducteur" } } });
    const record = await p.deliveryRecord.findFirstOrThrow({ where: { organisationId } });
    const decision = await p.juryDecision.findFirstOrThrow({ where: { sessionId: passee.id } });
    const letter = await p.noticeLetter.findFirstOrThrow({ where: { decisionId: decision.id } });
    const document = await p.signedDocument.findFirstOrThrow({ where: { organisationId } });
    const email = await p.outboxEmail.findFirstOrThrow({ where: { organisationId } });
    const item = await p.juryAgendaItem.findFirstOrThrow({ where: { sessionId: passee.id } });
    const written = async () => ({
      records: await p.deliveryRecord.count({ where: { organisationId } }),
      revoked: await p.deliveryRecord.count({ where: { organisationId, revokedAt: { not: null } } }),
      letters: await p.noticeLetter.count({}),
      validation: await p.sessionValidation.findUnique({ where: { sessionId: cpne.id } }),
      minutes: await p.sessionMinutes.findMany({ where: { sessionId: { in: [passee.id, cpne.id] } }, orderBy: { sessionId: "asc" } }),
      sheets: await p.juryDecisionSheet.findMany({ where: { decisionId: decision.id } }),
      settings: await p.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { cdcIdClient: true, cdcIdContrat: true, retentionYears: true } }),
    });
    const before = await written();
    const gets = [
      `/sessions/${passee.id}/delivrance`,
      `/sessions/${passee.id}/proces-verbal`,
      `/sessions/${passee.id}/proces-verbal.pdf`,
      `/sessions/${passee.id}/recours`,
      `/sessions/${passee.id}/decisions/${item.id}`,
      `/sessions/${passee.id}/decisions/${item.id}/fiche.pdf`,
      `/delivrance/documents/${record.id}/credential.json`,
      `/delivrance/pdf/${record.kind === "PARCHEMIN" ? "parchemin" : "attestation"}/${record.id}`,
      `/delivrance/pdf/notice/${letter.id}`,
      `/delivrance/pdf/validation/${cpne.id}`,
      `/archives/${document.id}/document.pdf`,
      `/archives/${document.id}/badge.json`,
      `/archives/sessions/${passee.id}/dossier.zip`,
      `/outbox/${email.id}`,
    ];
    for (const path of gets) {
      const res = await fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
      const body = await res.text();
      expect([403, 404], `GET ${path} → ${res.status} ${body.slice(0, 200)}`).toContain(res.status);
      expect(body, path).not.toMatch(/Élodie|FAURE|CPNEF-DEMO/);
    }
    const posts: Array<[string, Record<string, string>]> = [
      [`/sessions/${cpne.id}/delivrance`, { intent: "validate", password: "quorum-demo", consent: "on" }],
      [`/sessions/${cpne.id}/delivrance`, { intent: "return", reason: "Motif du renvoi suffisant." }],
      [`/sessions/${passee.id}/delivrance`, { intent: "issue" }],
      [`/sessions/${passee.id}/delivrance`, { intent: "notify" }],
      [`/sessions/${passee.id}/delivrance`, { intent: "reissue-notice", decisionId: decision.id }],
      [`/delivrance/documents/${record.id}`, { intent: "duplicate" }],
      [`/delivrance/documents/${record.id}`, { intent: "revoke", reason: "Révocation par une autre organisation." }],
      [`/delivrance/documents/${record.id}`, { intent: "rectify" }],
      [`/sessions/pdf/relancer`, { kind: "notice", documentId: letter.id }],
      [`/sessions/${passee.id}/proces-verbal/commande`, { intent: "finalise" }],
      [`/sessions/${passee.id}/proces-verbal/commande`, { intent: "request-change", reason: "Une modification demandée." }],
      [`/sessions/${passee.id}/decisions/${item.id}`, { intent: "open" }],
      [`/sessions/${passee.id}/recours`, { intent: "declare", appealId: ids.appeal, conflict: "false" }],
      [`/archives`, { documentId: document.id }],
    ];
    for (const [path, fields] of posts) {
      const res = await fetch(`${server.baseUrl}${path}`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: server.baseUrl }, body: new URLSearchParams(fields) });
      const body = await res.text();
      expect([403, 404], `POST ${path} ${JSON.stringify(fields)} → ${res.status} ${body.slice(0, 300)}`).toContain(res.status);
    }
    // Her own organisation's settings and retention, saved from her pages, are hers only.
    for (const fields of [{ intent: "settings", idClient: "99ZZZ999", idContrat: "MCFCER999999" }, { intent: "retention", retentionYears: "12" }] as Array<Record<string, string>>) {
      const path = fields.intent === "settings" ? "/declarations" : "/archives";
      const res = await fetch(`${server.baseUrl}${path}`, { method: "POST", redirect: "manual", headers: { Cookie: cookie, Origin: server.baseUrl }, body: new URLSearchParams(fields) });
      expect(res.status, path).toBe(200);
    }
    expect(await written()).toEqual(before);
  });
});

describe("a motive in delivery", () => {
  it("is words: a revocation « ..... » (printed on the public verification page) or a return « ----- » is refused at its field, nothing written", async () => {
    const cookie = await login(server.baseUrl, "secretariat@quorum.test");
    const record = await server.prisma.deliveryRecord.findFirstOrThrow({ where: { revokedAt: null } });
    const revoke = await fetch(`${server.baseUrl}/delivrance/documents/${record.id}`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: server.baseUrl },
      body: new URLSearchParams({ intent: "revoke", reason: "....." }),
    });
    expect(revoke.status).toBe(400);
    expect(((await revoke.json()) as Answer).fieldErrors?.reason).toEqual(["Indiquez le motif de la révocation : un motif s'écrit en quelques mots (au moins 3 lettres)."]);
    expect((await server.prisma.deliveryRecord.findUniqueOrThrow({ where: { id: record.id } })).revokedAt).toBeNull();

    const session = await server.prisma.session.findFirstOrThrow({ where: { title: { startsWith: "Délibération du jury — CQP Conducteur" } } });
    const before = await server.prisma.sessionValidation.findUnique({ where: { sessionId: session.id } });
    const returned = await fetch(`${server.baseUrl}/sessions/${session.id}/delivrance`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: server.baseUrl },
      body: new URLSearchParams({ intent: "return", reason: "-----" }),
    });
    expect(returned.status).toBe(400);
    expect(decodeHtml(await returned.text())).toContain("Indiquez le motif du renvoi au jury : un motif s'écrit en quelques mots (au moins 3 lettres).");
    expect(await server.prisma.sessionValidation.findUnique({ where: { sessionId: session.id } })).toEqual(before);
  });

  it("is words in an appeal's grounds too: « .......... » is refused at its field, no appeal recorded", async () => {
    const cookie = await login(server.baseUrl, "secretariat@quorum.test");
    const appealed = (await server.prisma.appeal.findMany({ select: { decisionId: true } })).map((a) => a.decisionId);
    const decision = await server.prisma.juryDecision.findFirstOrThrow({
      where: { session: { title: "Jury paritaire — session de rattrapage" }, id: { notIn: appealed } },
      select: { id: true, dossierId: true },
    });
    const res = await fetch(`${server.baseUrl}/dossiers/${decision.dossierId}`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: server.baseUrl },
      body: new URLSearchParams({ intent: "record-appeal", decisionId: decision.id, receivedAt: new Date().toISOString().slice(0, 10), grounds: ".........." }),
    });
    const page = decodeHtml(await res.text());
    expect(await server.prisma.appeal.count({ where: { decisionId: decision.id } })).toBe(0);
    expect(page).toContain("Indiquez les motifs du recours : un motif s'écrit en quelques mots (au moins 3 lettres).");
  });
});

describe("a decision revised on appeal, delivered", () => {
  it("revokes the contested documents even when the jury's motive is long, and « Délivrer » again completes a revocation left undone", async () => {
    const p = server.prisma;
    const cookie = await login(server.baseUrl, "secretariat@quorum.test");
    const secretariat = await p.user.findUniqueOrThrow({ where: { email: "secretariat@quorum.test" } });
    // The contested decision: the past jury's, with its document; the revised one: a decision of the catch-up jury,
    // whose documents are still to deliver (as if that jury had upheld the appeal with a motive of 1,200 characters).
    const contested = await p.deliveryRecord.findFirstOrThrow({ where: { revokedAt: null, duplicateOfId: null, decision: { session: { title: "Jury paritaire de délivrance — session passée" } } } });
    const revised = await p.juryDecision.findFirstOrThrow({ where: { session: { title: "Jury paritaire — session de rattrapage" } } });
    const decision = await p.juryDecision.findUniqueOrThrow({ where: { id: contested.decisionId! } });
    const motive = "L'avis de l'entreprise, produit en séance, établit les compétences du bloc contesté. ".repeat(14).trim();
    await p.appeal.create({
      data: {
        organisationId: contested.organisationId,
        dossierId: decision.dossierId,
        decisionId: decision.id,
        receivedAt: new Date(),
        grounds: "La candidate conteste la décision : l'avis de son entreprise n'a pas été examiné.",
        status: "UPHELD",
        sessionId: revised.sessionId,
        outcomeReason: motive,
        outcomeAt: new Date(),
        outcomeById: secretariat.id,
        newDecisionId: revised.id,
        recordedById: secretariat.id,
      },
    });
    const issue = () =>
      fetch(`${server.baseUrl}/sessions/${revised.sessionId}/delivrance`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: server.baseUrl },
        body: new URLSearchParams({ intent: "issue" }),
      });
    const res = await issue();
    const page = decodeHtml(await res.text());
    expect(res.status, page.slice(0, 300)).toBe(200);
    const issued = await p.deliveryRecord.findFirstOrThrow({ where: { decisionId: revised.id, duplicateOfId: null } });
    const revoked = await p.deliveryRecord.findUniqueOrThrow({ where: { id: contested.id } });
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.revocationReason).toMatch(/^Décision remplacée à la suite du recours accueilli par le jury le .+ : L'avis de l'entreprise/);
    expect(revoked.revocationReason).toContain(`(nouveau document n° ${issued.number})`);
    expect(revoked.revocationReason!.length).toBeLessThanOrEqual(500);

    // A revocation left undone after the new document was issued (the process stopped between the two): « Délivrer »
    // again issues nothing more and revokes it.
    await p.deliveryRecord.update({ where: { id: contested.id }, data: { revokedAt: null, revocationReason: null } });
    const again = await issue();
    expect(decodeHtml(await again.text())).toContain("Aucun nouveau document à délivrer.");
    expect((await p.deliveryRecord.findUniqueOrThrow({ where: { id: contested.id } })).revokedAt).not.toBeNull();
    expect(await p.deliveryRecord.count({ where: { decisionId: revised.id, duplicateOfId: null } })).toBe(1);
  });
});
