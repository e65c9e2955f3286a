/**
 * The procès-verbal on the real server: a deliberated jury (prisma/seed/past-jury.ts, minutes left open; the scheme
 * has members sign the minutes), the secretary writes a remark (Yjs), finalises; the president signs; a member asks
 * for a change (the president's signature is voided, visibly); finalised again, all sign; the render job produces the
 * sealed PDF. Checked with Poppler: the text holds the composition, quorum events, the incident, the decisions and
 * tallies and no voter's name next to the secret ballot; pdfsig valid, invalid after one byte changes; the attached
 * JSON extracts and matches the database; the XMP declares PDF/A-3B. The demo's past jury is sealed at start.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asSignedFromPage, closeAll, connectEvents, connectGrid, rememberShownHash, until, type EventsClient, type GridClient } from "../support/clients";
import { expectArchivablePdf } from "../support/pdfa";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { decodeHtml } from "../support/html";
import { withPrisma } from "../support/prisma";
import { pastJuryWithOpenMinutes } from "../support/jury-fixtures";

let server: TestServer;
let database: TestDatabase;
const cookies: Record<string, string> = {};
const clients: Array<GridClient | EventsClient> = [];
const dir = mkdtempSync(path.join(tmpdir(), "quorum-minutes-"));
let sessionId = "";
let demoSessionId = "";

/** Opens the server's own database in this process (only while the server is stopped: PGlite is one process). */
const withDatabase = <T>(run: Parameters<typeof withPrisma<T>>[1]) => withPrisma(database, run);

/** A form posted with this person's cookie, as their page posts it; the JSON answer. */
async function post<T>(who: string, path: string, fields: Record<string, string>) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(asSignedFromPage(path, fields)),
  });
  const body = (await res.json()) as T;
  rememberShownHash(path, body);
  return { status: res.status, body };
}

const command = (who: string, fields: Record<string, string>, id = sessionId) =>
  post<{ ok: boolean; error?: string; state?: { status: string; round: number } }>(who, `/sessions/${id}/proces-verbal/commande`, fields);
const sign = (who: string, id = sessionId) => command(who, { intent: "sign", password: "quorum-demo", consent: "on" }, id);
const pdf = (who: string, id = sessionId) =>
  fetch(`${server.baseUrl}/sessions/${id}/proces-verbal.pdf`, { headers: { Cookie: cookies[who]! } });

/** The demo's planned jury, deliberated through its real command endpoint (one candidate left on its agenda). */
let liveSessionId = "";
let liveEvidence: { auditEvents: Array<{ seq: string; action: string; subjectType: string; subjectId: string; prevHash: string; hash: string }> } & Record<string, unknown>;
let secretPollId = "";

type LiveRoom = {
  members: Array<{ userId: string; displayName: string }>;
  agenda: Array<{
    agendaItemId: string;
    targets: Array<{ id: string; commissionOutcome: string }>;
    conformity: { conform: boolean; nonConformities: Array<{ key: string; label: string }> };
    polls: Array<{ id: string; entitled: Array<{ userId: string; actingUserId: string }> }>;
  }>;
};

/** One command of the planned jury, as the jury room posts it; refused commands fail the test with their reason. */
async function jury(who: string, fields: Record<string, string>) {
  const { status, body } = await post<{ ok: boolean; pollId?: string }>(who, `/sessions/${liveSessionId}/jury`, fields);
  expect(status, `${fields.intent}: ${JSON.stringify(body)}`).toBe(200);
  return body;
}

/** The minutes page of the planned jury as the server renders it now (its generated sections). */
async function minutesPage(): Promise<string> {
  const res = await fetch(`${server.baseUrl}/sessions/${liveSessionId}/proces-verbal`, { headers: { Cookie: cookies.president! } });
  return res.text();
}

async function liveRoom(): Promise<LiveRoom> {
  const res = await fetch(`${server.baseUrl}/sessions/${liveSessionId}/jury`, { headers: { Cookie: cookies.president! } });
  return ((await res.json()) as { room: LiveRoom }).room;
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withDatabase(async (prisma) => {
    ({ juryId: sessionId, demoSessionId } = await pastJuryWithOpenMinutes(prisma));
    const demo = await prisma.session.findUniqueOrThrow({ where: { id: demoSessionId } });
    // The planned jury keeps one candidate on its agenda (all must be decided before the sitting closes).
    const planned = await prisma.session.findFirstOrThrow({
      where: { organisationId: demo.organisationId, kind: "JURY", status: "PLANNED" },
      include: { agenda: { orderBy: { position: "asc" } } },
    });
    liveSessionId = planned.id;
    await prisma.juryAgendaItem.deleteMany({ where: { id: { in: planned.agenda.slice(1).map((a) => a.id) } } });
    // Its positioning undone: the dossier is then not complete, a non-conformity the jury acknowledges with a remark —
    // what the minutes must record as examined.
    await prisma.$executeRawUnsafe(`UPDATE "Dossier" SET "positioning" = NULL, "positionedAt" = NULL WHERE "id" = $1`, planned.agenda[0]!.dossierId);
  });
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2", "membre3", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 180_000);

afterAll(async () => {
  closeAll(...clients);
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("the evidence of a sitting deliberated through the jury's commands", () => {
  it("émargement, a page change and a lost connection, a vote and a decision: the sealed minutes attach every audit event; only the lost connection is an incident", async () => {
    for (const who of ["president", "membre1", "membre2"]) {
      await jury(who, { intent: "arrive" });
      if (who === "president") await jury(who, { intent: "start" });
    }
    // Mehdi follows the sitting, then opens another page of it: his page closes its socket, the next one joins.
    let page = "";
    const minutes = async (what: string, predicate: (text: string) => boolean) =>
      until(async () => predicate((page = await minutesPage())), what, {
        timeoutMs: 30_000,
        details: () => page.match(/Incidents techniques.{0,400}/)?.[0] ?? page.slice(0, 400),
      });
    const disconnected = (text: string) => text.includes("Mehdi Membre déconnecté(e)");
    let mehdi = connectEvents(server.baseUrl, cookies.membre2!);
    clients.push(mehdi);
    expect((await mehdi.join(liveSessionId)).ok).toBe(true);
    mehdi.close();
    await minutes("the page change seen by the server", disconnected);
    mehdi = connectEvents(server.baseUrl, cookies.membre2!);
    clients.push(mehdi);
    expect((await mehdi.join(liveSessionId)).ok).toBe(true);
    await minutes("moving between pages is no incident", (text) => text.includes("Incidents techniques") && !disconnected(text));
    // Then his network fails (the transport closes without a word from the page): an incident, however short.
    mehdi.socket.io.engine.close();
    await minutes("the drop seen by the server", disconnected);
    mehdi = connectEvents(server.baseUrl, cookies.membre2!);
    clients.push(mehdi);
    expect((await mehdi.join(liveSessionId)).ok).toBe(true);
    await minutes("the drop in the minutes", (text) => /1 coupure de moins de|Mehdi Membre déconnecté\(e\) de .+ à /.test(text));

    const { members, agenda } = await liveRoom();
    const item = agenda[0]!;
    const agendaItemId = item.agendaItemId;
    // Each voter declares first that he has no link with the candidate (the minutes name them).
    for (const voter of ["president", "membre1", "membre2"]) await jury(voter, { intent: "declare", agendaItemId, conflict: "false" });
    await jury("president", { intent: "phase", agendaItemId, to: "DELIBERATION" });
    if (!item.conformity.conform) {
      const remarks = Object.fromEntries(item.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Examiné en séance."]));
      await jury("president", { intent: "acknowledge-conformity", agendaItemId, ...remarks });
    }
    // The conformity as the jury acknowledged it (the dossier's positioning undone): the non-conformity it examined,
    // never « conforme » above the jury's remark.
    expect(item.conformity.nonConformities.map((n) => n.label)).toContain("Dossier complet");
    await minutes("the acknowledged non-conformity", (text) => text.includes("Dossier complet (non conforme") && text.includes("Remarque : Examiné en séance."));
    const acquired = item.targets.filter((t) => t.commissionOutcome === "acquired").length;
    const overall = acquired === item.targets.length ? "TOTAL" : acquired === 0 ? "NONE" : "PARTIAL";
    secretPollId = (await jury("president", { intent: "open-poll", agendaItemId, subject: "OVERALL", mode: "secret" })).pollId!;
    const poll = (await liveRoom()).agenda[0]!.polls.find((p) => p.id === secretPollId)!;
    const who = (userId: string) => ({ "Pierre Président": "president", "Marie Membre": "membre1", "Mehdi Membre": "membre2" })[
      members.find((m) => m.userId === userId)!.displayName
    ];
    const voters = poll.entitled.filter((r) => r.userId === r.actingUserId && who(r.userId));
    expect(voters.length).toBeGreaterThan(0);
    for (const voter of voters) await jury(who(voter.userId)!, { intent: "vote", pollId: secretPollId, choice: overall });
    await jury("president", { intent: "close-poll", pollId: secretPollId });
    await jury("president", { intent: "phase", agendaItemId, to: "DECISION" });
    const choices = Object.fromEntries(
      item.targets.flatMap((t) => [
        [`choice.${t.id}`, t.commissionOutcome === "acquired" ? "ACQUIRED" : "NOT_ACQUIRED"],
        [`reason.${t.id}`, "Conforme à l'avis de la commission d'évaluation."],
      ]),
    );
    // The préconisations typed just before the decision (stored: another member reads them) are in what is read at
    // once: the minutes' generated sections (on the embedded database, the edit was in the journal, not yet ingested).
    const writer = connectGrid(server.baseUrl, `preconisations:${liveSessionId}:${agendaItemId}`, cookies.president!);
    const reader = connectGrid(server.baseUrl, `preconisations:${liveSessionId}:${agendaItemId}`, cookies.membre1!);
    clients.push(writer, reader);
    await until(() => writer.synced && reader.synced, "préconisations synced");
    writer.doc.getText("preconisations").insert(0, "Consolider la gestion des stocks en situation reelle.");
    await until(() => reader.doc.getText("preconisations").toString().startsWith("Consolider"), "the préconisations are stored");
    await jury("president", { intent: "decide", agendaItemId, overall, ...choices });
    expect(decodeHtml(await minutesPage())).toContain("Préconisations : Consolider la gestion des stocks en situation reelle.");
    // Not before the sitting is closed, said with the room's own button.
    const early = await command("president", { intent: "finalise" }, liveSessionId);
    expect(early.status).toBe(409);
    expect(JSON.stringify(early.body)).toContain("Levez d'abord la séance (« Lever la séance »");
    // Closing is irreversible: without the president's confirmation the server refuses it in French, and the sitting
    // stays open (the minutes still cannot be finalised).
    const unconfirmed = await post<{ ok: boolean; formErrors?: string[] }>("president", `/sessions/${liveSessionId}/jury`, { intent: "close" });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.formErrors).toEqual([
      "Confirmez la levée de la séance : une fois levée, elle ne peut plus être rouverte, et l'émargement, les procurations, les votes, les décisions et les recours ne peuvent plus être enregistrés ni modifiés.",
    ]);
    for (const confirm of ["", "no", "on"]) {
      expect((await post("president", `/sessions/${liveSessionId}/jury`, { intent: "close", confirm })).status).toBe(400);
    }
    expect((await command("president", { intent: "finalise" }, liveSessionId)).status).toBe(409);
    await jury("president", { intent: "close", confirm: "yes" });

    expect((await command("president", { intent: "finalise" }, liveSessionId)).status).toBe(200);
    // The president signs; the members too when this certification's scheme has them sign (403: not a signer).
    expect((await sign("president", liveSessionId)).status).toBe(200);
    for (const who of ["membre1", "membre2"]) expect([200, 403]).toContain((await sign(who, liveSessionId)).status);
    let res = await pdf("secretariat", liveSessionId);
    await until(async () => {
      res = await pdf("secretariat", liveSessionId);
      return res.status === 200;
    }, "sealed PDF rendered", { timeoutMs: 60_000 });
    const file = path.join(dir, "live.pdf");
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    await expectArchivablePdf(file);
    const out = path.join(dir, "live-attachments");
    execFileSync("mkdir", ["-p", out]);
    execFileSync("pdfdetach", ["-saveall", "-o", out, file]);
    liveEvidence = JSON.parse(readFileSync(path.join(out, readdirSync(out).find((f) => f.endsWith(".json"))!), "utf8"));
    const actions = liveEvidence.auditEvents.map((a) => a.action);
    for (const action of [
      "jury.member_arrived",
      "jury.session_started",
      "jury.no_conflict_declared",
      "jury.phase_changed",
      "jury.poll_started",
      "jury.vote_cast",
      "jury.poll_finished",
      "jury.decision_recorded",
      "jury.session_closed",
      "minutes.sealed",
      "minutes.signed",
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(actions.filter((a) => a === "jury.vote_cast")).toHaveLength(voters.length);
    // Both of Mehdi's disconnections are recorded; only the lost connection is an incident (detailed or counted).
    const mehdiId = members.find((m) => m.displayName === "Mehdi Membre")!.userId;
    const connections = (liveEvidence.connectionEvents as Array<{ userId: string; kind: string; voluntary: boolean }>).filter((c) => c.userId === mehdiId);
    expect(connections.map((c) => [c.kind, c.voluntary])).toEqual([
      ["DISCONNECTED", true],
      ["RECONNECTED", false],
      ["DISCONNECTED", false],
      ["RECONNECTED", false],
    ]);
    const { incidents, blips } = liveEvidence.incidents as { incidents: Array<{ userId: string }>; blips: number };
    expect(incidents.length + blips).toBe(1);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toMatch(/1 coupure de moins de 5 secondes|Mehdi Membre déconnecté\(e\) de .+ à /);
    expect(text.match(/Mehdi Membre déconnecté\(e\)/g)?.length ?? 0).toBe(incidents.length);
    expect(text).toContain("Absence de lien avec le candidat déclarée par : Pierre Président, Marie Membre, Mehdi Membre.");
    // The secret ballot's choices are nowhere in the attached file.
    expect(JSON.stringify(liveEvidence)).not.toContain('"choice"');
  }, 180_000);
});

describe("procès-verbal", () => {
  it("says in French why the PDF is not there before the minutes are sealed", async () => {
    const res = await pdf("president");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("pas encore finalisé");
  });

  it("the secretary writes a remark the president reads live; only the secretary or president finalises", async () => {
    const secretary = connectGrid(server.baseUrl, `minutes:${sessionId}`, cookies.secretariat!);
    const president = connectGrid(server.baseUrl, `minutes:${sessionId}`, cookies.president!);
    const member = connectGrid(server.baseUrl, `minutes:${sessionId}`, cookies.membre2!);
    clients.push(secretary, president, member);
    await until(() => secretary.synced && president.synced && member.synced, "remarks synced");
    secretary.doc.getText("remarks").insert(0, "Remarque de séance : connexion de Mehdi rétablie sans perte.");
    await until(() => president.doc.getText("remarks").toString().includes("connexion de Mehdi"), "president reads the remark");
    // A member reads but may not write.
    member.doc.getText("remarks").insert(0, "Ajout interdit. ");
    await until(() => member.denied.length > 0, "member's edit refused");
    // The remarks' schema: one text of safe characters, nothing else (the sealed PV prints them as written).
    const hostile = connectGrid(server.baseUrl, `minutes:${sessionId}`, cookies.president!);
    clients.push(hostile);
    await until(() => hostile.synced, "second connection synced");
    hostile.doc.getMap("evil").set("x", "y");
    await until(() => hostile.denied.length > 0, "foreign part refused");
    expect(hostile.denied[0]).toBe("Modification refusée : ce document ne contient que les observations de la séance.");
    secretary.doc.getText("remarks").insert(0, "Séance sereine. ");
    await until(() => president.doc.getText("remarks").toString().startsWith("Séance sereine."), "president reads the next remark");
    expect(president.doc.share.has("evil")).toBe(false);
    const refused = await command("membre2", { intent: "finalise" });
    expect(refused.status).toBe(403);
    // Someone who does not sit in this session (nor manages it) is told what its page tells them: not found, whichever
    // command they send — never that it exists.
    const stranger = await fetch(`${server.baseUrl}/sessions/${sessionId}/proces-verbal`, { headers: { Cookie: cookies.membre3! } });
    expect(stranger.status).toBe(404);
    const attempts: Array<Record<string, string>> = [
      { intent: "finalise" },
      { intent: "request-change", reason: "Je ne siège pas." },
      { intent: "sign", password: "quorum-demo", consent: "on" },
    ];
    for (const fields of attempts) {
      const answer = await command("membre3", fields);
      expect(answer.status, fields.intent).toBe(404);
      expect(answer.body.error, fields.intent).toBe("Cette session n'existe pas ou ne vous est pas accessible.");
    }
  });

  it("finalise, a member asks for a change (signature voided), finalise again, all sign, the PDF is produced", async () => {
    const finalised = await command("secretariat", { intent: "finalise" });
    expect(finalised.status).toBe(200);
    const firstHash = (finalised.body.state as { sealedHash?: string }).sealedHash!;
    expect(firstHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await sign("president")).status).toBe(200);
    // A reason that an invisible override would show reversed in the audit trail: refused at its field, nothing voided.
    const hidden = await post<{ ok: boolean; error?: string; fieldErrors?: Record<string, string[]> }>("membre1", `/sessions/${sessionId}/proces-verbal/commande`, {
      intent: "request-change",
      reason: "Préciser l'heure \u2067de reprise\u2069 du quorum.",
    });
    expect(hidden.status).toBe(400);
    const unsafe = "Caractères invisibles ou de contrôle refusés (par exemple un inverseur de sens d'écriture) : retapez le texte.";
    expect(hidden.body.error).toBe(unsafe);
    expect(hidden.body.fieldErrors?.reason).toEqual([unsafe]);
    // A request longer than the field allows is refused, not cut: what the member asked is kept as written or not at all.
    const long = await post<{ ok: boolean; error?: string; fieldErrors?: Record<string, string[]> }>("membre1", `/sessions/${sessionId}/proces-verbal/commande`, {
      intent: "request-change",
      reason: "Préciser l'heure de reprise du quorum. ".repeat(20),
    });
    expect(long.status).toBe(400);
    expect(long.body.fieldErrors?.reason).toEqual(["La demande ne peut dépasser 500 caractères."]);
    const changed = await command("membre1", { intent: "request-change", reason: "Préciser l'heure de reprise du quorum." });
    expect(changed.status).toBe(200);
    expect(changed.body.state).toMatchObject({ status: "OPEN", round: 1 });
    // The same request again (a double click, a retry after a lost answer) changes nothing and is no error; another
    // request while the minutes are open is refused (nothing to reopen), and the president's request too.
    const repeated = await command("membre1", { intent: "request-change", reason: "Préciser l'heure de reprise du quorum." });
    expect(repeated.status).toBe(200);
    expect(repeated.body.state).toMatchObject({ status: "OPEN", round: 1 });
    expect((await command("membre1", { intent: "request-change", reason: "Ajouter l'heure de fin de séance." })).status).toBe(409);
    expect((await command("president", { intent: "request-change", reason: "Préciser l'heure de reprise du quorum." })).status).toBe(409);
    expect(await server.prisma.auditEvent.count({ where: { subjectId: sessionId, action: "minutes.reopened" } })).toBe(1);
    expect((await sign("membre2")).status).toBe(409); // not finalised any more
    // The secretary adds what was asked; finalised again, the minutes have another hash.
    const secretary = connectGrid(server.baseUrl, `minutes:${sessionId}`, cookies.secretariat!);
    const reader = connectGrid(server.baseUrl, `minutes:${sessionId}`, cookies.president!);
    clients.push(secretary, reader);
    await until(() => secretary.synced && reader.synced, "remarks synced");
    secretary.doc.getText("remarks").insert(0, "Quorum rétabli à 14 h 10. ");
    await until(() => reader.doc.getText("remarks").toString().startsWith("Quorum rétabli à 14 h 10."), "the remark is stored");
    const again = await command("president", { intent: "finalise" });
    expect(again.status).toBe(200);
    expect((again.body.state as { sealedHash?: string }).sealedHash).not.toBe(firstHash);
    // A tab still showing the first version cannot sign the second: refused in French, nothing signed.
    const stale = await command("membre2", { intent: "sign", password: "quorum-demo", consent: "on", contentHash: firstHash });
    expect(stale.status).toBe(409);
    expect(JSON.stringify(stale.body)).toContain("Le document a été modifié et scellé à nouveau depuis que vous l'avez ouvert");
    // Nor a form that does not say which version it signs.
    const unsaid = await command("membre2", { intent: "sign", password: "quorum-demo", consent: "on", contentHash: "" });
    expect(unsaid.status).toBe(409);
    for (const who of ["president", "membre1", "membre2"]) expect((await sign(who)).status).toBe(200);
    let res = await pdf("secretariat");
    await until(async () => {
      res = await pdf("secretariat");
      return res.status === 200;
    }, "sealed PDF rendered", { timeoutMs: 60_000 });
    const bytes = Buffer.from(await res.arrayBuffer());
    writeFileSync(path.join(dir, "pv.pdf"), bytes);
    expect(res.headers.get("x-content-sha256")).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);

  it("the PDF holds the composition, quorum events, the incident, decisions and tallies; no voter next to the secret ballot", () => {
    const text = execFileSync("pdftotext", ["-layout", path.join(dir, "pv.pdf"), "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    for (const expected of [
      "Procès-verbal de délibération du jury",
      "Pierre Président — Président(e), collège employeurs : présent(e)",
      "Marie Membre — Vice-président(e), collège salariés",
      "quorum perdu",
      "quorum atteint",
      "Mehdi Membre déconnecté(e)",
      "(4 min 12 s)",
      "Délivrance totale : 2",
      "Non-délivrance : 1",
      "Délivrance partielle",
      "Non-délivrance, par consensus",
      // Each candidate's voters declared no link before the deliberation (prisma/seed/past-jury.ts).
      "Absence de lien avec le candidat déclarée par : Pierre Président, Marie Membre, Mehdi Membre.",
      "Aucun recours examiné.",
      // « de » before a Y that is a consonant (« Yasmine »), as before any consonant.
      "Dossier de Yasmine Nora MARTIN (née BENALI) (complétude contrôlée)",
      "Dossier de Lucas Henri BONNET (complétude contrôlée)",
      "connexion de Mehdi rétablie",
      "Certificat de démonstration",
      "Tête de la chaîne (numéro:empreinte)",
      "page 1 /",
    ]) {
      expect(text).toContain(expected);
    }
    const secret = text.slice(text.indexOf("Décision globale"), text.indexOf("Décision : Délivrance totale"));
    expect(secret.length).toBeGreaterThan(10);
    for (const name of ["Pierre Président", "Marie Membre", "Mehdi Membre"]) expect(secret).not.toContain(name);
    // Signatures of the voided round are not on the certificate page; the three of the last round are.
    expect(text.match(/Signé le/g)?.length).toBe(3);
  });

  it("pdfsig: valid, then invalid after one byte of the content changes", () => {
    const file = path.join(dir, "pv.pdf");
    const ok = spawnSync("pdfsig", [file], { encoding: "utf8" });
    expect(ok.stdout).toMatch(/Signature Validation: Signature is Valid/);
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from("stream")) + 200;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(path.join(dir, "tampered.pdf"), bytes);
    const broken = spawnSync("pdfsig", [path.join(dir, "tampered.pdf")], { encoding: "utf8" });
    expect(broken.stdout).not.toMatch(/Signature is Valid/);
  });

  it("archivable as PDF/A-3b: sRGB output intent, XMP PDF/A-3B, embedded fonts", async () => {
    await expectArchivablePdf(path.join(dir, "pv.pdf"));
  });

  it("the demo's past jury minutes were sealed at start", async () => {
    let res = await pdf("secretariat", demoSessionId);
    await until(async () => {
      res = await pdf("secretariat", demoSessionId);
      return res.status === 200;
    }, "demo PDF rendered", { timeoutMs: 60_000 });
    expect(res.headers.get("content-type")).toBe("application/pdf");
    // « de » elided before a vowel in the documents examined.
    const file = path.join(dir, "demo-pv.pdf");
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toContain("Dossier d'Élodie Marie FAURE (complétude contrôlée)");
    expect(text).not.toContain("Dossier de Élodie");
  }, 90_000);

  it("a signed minutes page shows the sealed remarks (what was signed), and its hash wraps on a narrow screen", async () => {
    const res = await fetch(`${server.baseUrl}/sessions/${demoSessionId}/proces-verbal`, { headers: { Cookie: cookies.secretariat! } });
    const html = decodeHtml(await res.text());
    const remarks = /data-testid="minutes-remarks"[^>]*>([^<]*)</.exec(html)?.[1] ?? "";
    expect(remarks).toContain("Séance tenue dans de bonnes conditions.");
    expect(html).not.toContain("Aucune observation pour l'instant.");
    expect(html).toMatch(/<span class="[^"]*break-all[^"]*">SHA-256 [0-9a-f]{64}<\/span>/);
  });

  it("pdfdetach extracts the evidence JSON and it matches the database", async () => {
    const out = path.join(dir, "attachments");
    execFileSync("mkdir", ["-p", out]);
    execFileSync("pdfdetach", ["-saveall", "-o", out, path.join(dir, "pv.pdf")]);
    const file = readdirSync(out).find((f) => f.endsWith(".json"))!;
    const evidence = JSON.parse(readFileSync(path.join(out, file), "utf8")) as {
      decisions: Array<{ candidate: string; decision: { overall: string; tallies: Record<string, number> | null } }>;
      quorumEvents: unknown[];
      connectionEvents: unknown[];
      auditEvents: Array<{ action: string; hash: string; prevHash: string }>;
    };
    {
      const prisma = server.prisma;
      const decisions = await prisma.juryDecision.findMany({ where: { sessionId }, include: { agendaItem: true }, orderBy: { agendaItem: { position: "asc" } } });
      expect(evidence.decisions.map((d) => d.decision.overall)).toEqual(decisions.map((d) => d.overall));
      expect(evidence.decisions.map((d) => d.decision.tallies)).toEqual(decisions.map((d) => d.tallies ?? null));
      expect(evidence.quorumEvents).toHaveLength(await prisma.juryQuorumEvent.count({ where: { sessionId } }));
      expect(evidence.connectionEvents).toHaveLength(await prisma.connectionEvent.count({ where: { sessionId } }));
      const audit = await prisma.auditEvent.findMany({ where: { subjectId: sessionId, action: "minutes.reopened" } });
      const reopened = evidence.auditEvents.find((a) => a.action === "minutes.reopened")!;
      expect(reopened.hash).toBe(audit[0]!.hash);
      const voided = await prisma.signature.findMany({ where: { documentKind: "minutes", documentId: sessionId, voidedAt: { not: null } } });
      expect(voided).toHaveLength(1);
      // Every download of the signed minutes is in the audit trail (who, which document and which bytes).
      const sealed = await prisma.signedDocument.findUniqueOrThrow({ where: { kind_documentId: { kind: "minutes", documentId: sessionId } } });
      const downloads = await prisma.auditEvent.findMany({ where: { action: "document.signed.downloaded", subjectId: sealed.id } });
      expect(downloads.length).toBeGreaterThan(0);
      expect(downloads[0]!.data).toMatchObject({ kind: "minutes", sha256: sealed.sha256, sessionId });
    }
  }, 60_000);

  it("a commission's minutes are finalised once it has sat: not before its start, nor before a passage ended (the page says why, no button)", async () => {
    const page = async (id: string) =>
      decodeHtml(await (await fetch(`${server.baseUrl}/sessions/${id}/proces-verbal`, { headers: { Cookie: cookies.president! } })).text());
    // The demo's commission sits tomorrow, nobody heard yet.
    const planned = await server.prisma.session.findFirstOrThrow({
      where: { kind: "COMMISSION", title: "Commission d'évaluation — CQP Assistant(e) de formation" },
      select: { id: true, startsAt: true },
    });
    expect(planned.startsAt.getTime()).toBeGreaterThan(Date.now());
    const early = await command("president", { intent: "finalise" }, planned.id);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatch(/^La commission n'a pas encore siégé \(elle siège le \d{1,2}(er)? \S+ \d{4}\) : son procès-verbal se finalise une fois au moins un candidat évalué\.$/);
    expect(await page(planned.id)).toContain("La commission n'a pas encore siégé");
    expect(await page(planned.id)).not.toContain("Finaliser le procès-verbal");
    // Its start passed, but no passage ended (no grid sealed): still refused.
    await server.prisma.session.update({ where: { id: planned.id }, data: { startsAt: new Date(Date.now() - 3_600_000) } });
    try {
      const unheard = await command("president", { intent: "finalise" }, planned.id);
      expect(unheard.status).toBe(409);
      expect(unheard.body.error).toContain("La commission n'a encore évalué aucun candidat (aucune grille passée à la signature)");
      expect(await page(planned.id)).not.toContain("Finaliser le procès-verbal");
      expect((await server.prisma.sessionMinutes.findUnique({ where: { sessionId: planned.id } }))?.status ?? "OPEN").toBe("OPEN");
    } finally {
      await server.prisma.session.update({ where: { id: planned.id }, data: { startsAt: planned.startsAt } });
    }
    // A commission that sat (its grids signed): offered, and finalised.
    const sat = await server.prisma.session.findFirstOrThrow({ where: { kind: "COMMISSION", title: "Commission d'évaluation — CQP Assistant(e) de formation (session passée)" }, select: { id: true } });
    const before = await page(sat.id);
    expect(before).toContain("Finaliser le procès-verbal");
    expect(before).not.toContain("minutes-finalise-refusal");
    const finalised = await command("president", { intent: "finalise" }, sat.id);
    expect(finalised.status, JSON.stringify(finalised.body)).toBe(200);
    expect(finalised.body.state?.status).toBe("SIGNING");
  });
});

describe("a sealed PDF the render runner gave up on", () => {
  const retry = (who: string, fields: Record<string, string>) =>
    fetch(`${server.baseUrl}/sessions/pdf/relancer`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  const minutesPage = async (who: string) =>
    decodeHtml(await (await fetch(`${server.baseUrl}/sessions/${demoSessionId}/proces-verbal`, { headers: { Cookie: cookies[who]! } })).text());

  it("is said to have failed (not « en préparation »), a member cannot retry it, the secretariat's retry renders it", async () => {
    // The demo's minutes, rendered at start; then their render is made to have failed for good (six attempts), in the
    // running server's database (server.prisma: no restart).
    await until(async () => (await pdf("secretariat", demoSessionId)).status === 200, "demo PDF rendered", { timeoutMs: 60_000 });
    await server.prisma.signedDocument.delete({ where: { kind_documentId: { kind: "minutes", documentId: demoSessionId } } });
    const failed = await server.prisma.renderJob.updateMany({
      where: { documentKind: "minutes", documentId: demoSessionId },
      data: { status: "FAILED", attempts: 6, lastError: "police introuvable", finishedAt: null },
    });
    expect(failed.count).toBe(1);

    // A member reads the failure and who can act, with no button; the download says it too, not « réessayez ».
    let html = await minutesPage("membre1");
    expect(html).toContain("Le PDF n'a pas pu être produit (6 essais). Le secrétariat de l'organisme peut relancer sa production.");
    expect(html).not.toContain("PDF en préparation…");
    expect(html).not.toContain("Relancer la production du PDF");
    const refused = await pdf("membre1", demoSessionId);
    expect(refused.status).toBe(404);
    const why = decodeHtml(await refused.text());
    expect(why).toContain("Le procès-verbal est signé, mais son PDF scellé n'a pas pu être produit (6 essais).");
    expect(why).not.toContain("réessayez dans un instant");

    // A member who does not manage the organisation cannot retry it: still failed.
    expect((await retry("membre1", { kind: "minutes", documentId: demoSessionId })).status).toBe(403);
    expect(await minutesPage("membre1")).toContain("Le PDF n'a pas pu être produit (6 essais).");

    // The secretariat sees the button; its retry renders the PDF, which then downloads; retrying again changes nothing.
    html = await minutesPage("secretariat");
    expect(html).toContain("Relancer la production du PDF");
    expect((await retry("secretariat", { kind: "minutes", documentId: "inconnu" })).status).toBe(404);
    const retried = await retry("secretariat", { kind: "minutes", documentId: demoSessionId });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ ok: true, retried: true });
    let res = await pdf("membre1", demoSessionId);
    await until(async () => {
      res = await pdf("membre1", demoSessionId);
      return res.status === 200;
    }, "PDF rendered after the retry", { timeoutMs: 30_000 });
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const file = path.join(dir, "retried-pv.pdf");
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    expect(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" })).toContain("Procès-verbal");
    const again = await retry("secretariat", { kind: "minutes", documentId: demoSessionId });
    expect(await again.json()).toMatchObject({ ok: true, retried: false, message: expect.stringContaining("rien à relancer") });
    expect(await minutesPage("membre1")).toContain("Télécharger le procès-verbal scellé (PDF)");

    await server.stop();
    await withDatabase(async (prisma) => {
      const job = await prisma.renderJob.findFirstOrThrow({ where: { documentKind: "minutes", documentId: demoSessionId } });
      expect(job).toMatchObject({ status: "DONE", attempts: 1 });
      const audited = await prisma.auditEvent.findMany({ where: { action: "minutes.pdf_render_retried", subjectId: demoSessionId } });
      expect(audited).toHaveLength(1);
      expect(audited[0]!.data).toMatchObject({ failedAttempts: 6, lastError: "police introuvable" });
    });
  }, 120_000);
});

// Last: verifyAuditChain reads the database with this process's own client, which the embedded database allows only once
// the server has stopped (the test above stops it).
describe("the audit trail, once the server has stopped", () => {
  it("the sitting's audit events are in the evidence with their chain hashes, the chain verifies, no secret choice", async () => {
    await withDatabase(async (prisma) => {
      const { verifyAuditChain } = await import("~/platform/audit/verify-audit.server");
      const polls = await prisma.juryPoll.findMany({ where: { sessionId: liveSessionId }, select: { id: true } });
      const items = await prisma.juryAgendaItem.findMany({ where: { sessionId: liveSessionId }, select: { id: true } });
      const decisions = await prisma.juryDecision.findMany({ where: { sessionId: liveSessionId }, select: { id: true } });
      // Every event about the sitting, whatever it is keyed by: the session, its polls, its candidates, its decision.
      const subjects = [liveSessionId, ...polls.map((p) => p.id), ...items.map((i) => i.id), ...decisions.map((d) => d.id)];
      const stored = await prisma.auditEvent.findMany({
        where: { subjectId: { in: subjects }, seq: { lte: BigInt(liveEvidence.auditEvents.at(-1)!.seq) }, action: { startsWith: "jury." } },
        orderBy: { seq: "asc" },
      });
      expect(stored.map((e) => e.action)).toEqual(expect.arrayContaining(["jury.vote_cast", "jury.poll_started", "jury.decision_recorded"]));
      const attached = new Map(liveEvidence.auditEvents.map((a) => [a.seq, a]));
      for (const event of stored) {
        expect(attached.get(String(event.seq)), `${event.action} #${event.seq}`).toMatchObject({
          action: event.action,
          subjectType: event.subjectType,
          subjectId: event.subjectId,
          prevHash: event.prevHash,
          hash: event.hash,
        });
      }
      // The secret ballot's audit events say who voted, never what.
      const ballots = await prisma.auditEvent.findMany({ where: { subjectType: "JuryPoll", subjectId: secretPollId, action: "jury.vote_cast" } });
      expect(ballots.length).toBeGreaterThan(0);
      for (const ballot of ballots) expect(Object.keys(ballot.data as object).sort()).toEqual(["sessionId", "userId"]);
      const verified = await verifyAuditChain();
      expect(verified.broken).toBeNull();
      expect(verified.brokenAnchors).toEqual([]);
    });
  });
});
