/**
 * The fiche de décision on the real server: the demo jury (its scheme set to have the members sign the sheets)
 * deliberates its first candidate through the jury's endpoint — a secret vote, then « Délivrance totale » — with
 * préconisations already written in their Yjs document; refusals (a stranger, an observer, a member submitting it,
 * signing before it is submitted); the president signs twice (one signature), a member asks for a change (the
 * signature is voided, the préconisations unsealed), submitted again, all sign; the render job seals the PDF.
 * Checked with Poppler: the text holds the decision, the tallies, the préconisations and no voter's name in the
 * votes; pdfsig valid, then invalid after one byte changes; the attached JSON matches the database. An ajournement
 * sends the dossier back to its route. The demo's past jury has its sheets sealed at start.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { asSignedFromPage, connectGrid, rememberShownHash, until } from "../support/clients";
import { expectArchivablePdf } from "../support/pdfa";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { demoJuryWithRules } from "../support/jury-fixtures";

let server: TestServer;
let database: TestDatabase;
const cookies: Record<string, string> = {};
const dir = mkdtempSync(path.join(tmpdir(), "quorum-decision-"));
let sessionId = "";
let itemIds: string[] = [];
let pastItemId = "";
let pastSessionId = "";
const PRECONISATIONS = "Consolider l'ingénierie de formation par un tutorat de six mois ; viser le bloc suivant en 2027.";
/** What the jury adds to them once a member asked for a change of the sheet (« Préciser la durée du tutorat »). */
const AMENDMENT = " Tutorat assuré par le maître d'apprentissage, un entretien par mois.";

type Answer = { ok: boolean; formErrors?: string[]; fieldErrors?: Record<string, string[]>; state?: { status: string; round: number } };
type View = {
  decision: { overall: string; label: string } | null;
  sheet: {
    status: string;
    round: number;
    pdfUrl: string | null;
    signers: Array<{ displayName: string; signed: boolean }>;
    voidedSignatures: unknown[];
    changeRequests: Array<{ reason: string }>;
  } | null;
};
type Room = {
  members: Array<{ userId: string; displayName: string; role: string }>;
  agenda: Array<{
    agendaItemId: string;
    preconisationsReadOnly: string | null;
    dossierId: string;
    targets: Array<{ id: string; code: string; commissionOutcome: string }>;
    conformity: { conform: boolean; nonConformities: Array<{ key: string }> };
    acquired: { status: string; acquisitions: Array<{ code: string; title: string }> } | null;
  }>;
};

/** Opens the server's own database in this process (only while the server is stopped: PGlite is one process). */
const withDatabase = <T>(run: Parameters<typeof withPrisma<T>>[1]) => withPrisma(database, run);

async function post(who: string, url: string, fields: Record<string, string>) {
  const res = await fetch(`${server.baseUrl}${url}`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(asSignedFromPage(url, fields)).toString(),
  });
  const body = (await res.json()) as Answer & Record<string, unknown>;
  rememberShownHash(url, body);
  return { status: res.status, body };
}
const jury = (who: string, fields: Record<string, string>) => post(who, `/sessions/${sessionId}/jury`, fields);
const sheet = (who: string, fields: Record<string, string>, item = itemIds[0]!) => post(who, `/sessions/${sessionId}/decisions/${item}`, fields);
const sign = (who: string) => sheet(who, { intent: "sign", password: "quorum-demo", consent: "on" });
async function view(who: string, item = itemIds[0]!, session = sessionId): Promise<{ status: number; view?: View }> {
  const res = await fetch(`${server.baseUrl}/sessions/${session}/decisions/${item}`, { headers: { Cookie: cookies[who]! } });
  const body = (await res.json()) as { view?: View };
  return { status: res.status, view: body.view };
}
const pdf = (who: string, item = itemIds[0]!, session = sessionId) =>
  fetch(`${server.baseUrl}/sessions/${session}/decisions/${item}/fiche.pdf`, { headers: { Cookie: cookies[who]! } });

async function room(): Promise<Room> {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/jury`, { headers: { Cookie: cookies.president! } });
  return ((await res.json()) as { room: Room }).room;
}

/** Brings a candidate to « Décision » (conformity acknowledged where needed). */
async function toDecision(item: Room["agenda"][number]) {
  expect((await jury("president", { intent: "phase", agendaItemId: item.agendaItemId, to: "DELIBERATION" })).status).toBe(200);
  if (!item.conformity.conform) {
    const remarks = Object.fromEntries(item.conformity.nonConformities.map((n) => [`remark.${n.key}`, "Vu en séance, sans incidence."]));
    expect((await jury("president", { intent: "acknowledge-conformity", agendaItemId: item.agendaItemId, ...remarks })).status).toBe(200);
  }
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withDatabase(async (prisma) => {
    ({ sessionId, itemIds } = await demoJuryWithRules(prisma, { membersSignDecision: true }));
    // The préconisations the jury co-edited (their Yjs document, stored as the document server stores it).
    const doc = new Y.Doc();
    doc.getText("preconisations").insert(0, PRECONISATIONS);
    await prisma.collabDocument.create({
      data: { name: `preconisations:${sessionId}:${itemIds[0]}`, snapshot: Buffer.from(Y.encodeStateAsUpdate(doc)) },
    });
    const past = await prisma.juryDecisionSheet.findFirstOrThrow({ where: { status: "SIGNED" }, include: { decision: true } });
    pastItemId = past.decision.agendaItemId;
    pastSessionId = past.decision.sessionId;
  });
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2", "observateur", "secretariat", "admin", "evaluateur-pro"]) {
    cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  }
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

describe("fiche de décision", () => {
  it("has no sheet before the decision, and says so in French at the PDF's address", async () => {
    const before = await view("president");
    expect(before.status).toBe(200);
    expect(before.view!.sheet).toBeNull();
    const res = await pdf("president");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Aucune décision n'est encore rendue");
    // Strangers to the jury (a member of the organisation who does not sit) read nothing.
    expect((await view("evaluateur-pro")).status).toBe(404);
  });

  it("the jury decides through its endpoint: a secret vote, then « Délivrance totale »", async () => {
    for (const who of ["president", "membre1", "membre2"]) expect((await jury(who, { intent: "arrive" })).status).toBe(200);
    expect((await jury("president", { intent: "start" })).status).toBe(200);
    const first = (await room()).agenda[0]!;
    await toDecision(first);
    for (const who of ["president", "membre1", "membre2"]) expect((await jury(who, { intent: "declare", agendaItemId: first.agendaItemId, conflict: "false" })).status).toBe(200);
    const poll = await jury("president", { intent: "open-poll", agendaItemId: first.agendaItemId, mode: "secret" });
    expect(poll.status, JSON.stringify(poll.body)).toBe(200);
    const pollId = String(poll.body.pollId);
    for (const [who, choice] of [["president", "TOTAL"], ["membre1", "TOTAL"], ["membre2", "NONE"]] as const) {
      expect((await jury(who, { intent: "vote", pollId, choice })).status).toBe(200);
    }
    expect((await jury("president", { intent: "close-poll", pollId })).status).toBe(200);
    expect((await jury("president", { intent: "phase", agendaItemId: first.agendaItemId, to: "DECISION" })).status).toBe(200);
    const choices = Object.fromEntries(first.targets.map((t) => [`choice.${t.id}`, "ACQUIRED"]));
    const decided = await jury("president", { intent: "decide", agendaItemId: first.agendaItemId, overall: "TOTAL", ...choices });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    // The room now shows what the decided candidate holds (every bloc); the others still hold nothing.
    const [held, ...others] = (await room()).agenda;
    expect(held!.acquired?.status).toBe("TOTAL");
    expect(held!.acquired?.acquisitions.map((a) => a.code).sort()).toEqual(first.targets.map((t) => t.code).sort());
    expect(held!.acquired?.acquisitions.every((a) => a.title.length > 0)).toBe(true);
    for (const other of others) expect(other.acquired).toEqual({ status: "NONE", acquisitions: [] });
    const after = (await view("secretariat")).view!;
    expect(after.decision).toMatchObject({ overall: "TOTAL", label: "Délivrance totale" });
    expect(after.sheet).toMatchObject({ status: "OPEN", round: 0, pdfUrl: null });
    expect(after.sheet!.signers.map((s) => s.displayName)).toEqual(expect.arrayContaining(["Pierre Président"]));
    // The three members present when it was decided sign; Jeanne Jurée, seated but absent, does not.
    expect(after.sheet!.signers).toHaveLength(3);
    expect(after.sheet!.signers.map((s) => s.displayName)).not.toContain("Jeanne Jurée");
  }, 60_000);

  it("refuses what the rules refuse, in French, and nothing changes", async () => {
    const early = await sign("president");
    expect(early.status).toBe(409);
    expect(early.body.formErrors?.join(" ")).toContain("pas soumise à la signature");
    const byMember = await sheet("membre2", { intent: "open" });
    expect(byMember.status).toBe(403);
    expect(byMember.body.formErrors?.join(" ")).toContain("Seul le président");
    expect((await sheet("admin", { intent: "open" })).status).toBe(403); // reads, never signs
    expect((await sheet("evaluateur-pro", { intent: "open" })).status).toBe(404);
    // A change asked is a motive: a sign or two letters say nothing.
    for (const reason of ["x", "...", "- -", "ok"]) {
      const tooShort = await sheet("membre1", { intent: "reopen", reason });
      expect(tooShort.status).toBe(400);
      expect(tooShort.body.fieldErrors?.reason).toEqual(["Indiquez la modification demandée (quelques mots au moins : 3 lettres ou plus)."]);
    }
    expect((await view("president")).view!.sheet!.status).toBe("OPEN");
  });

  it("submit, sign twice (one signature), a member asks for a change (voided), submit again, all sign", async () => {
    // Submitted from several tabs at once: one opening, and each tab gets the open signature. Until 2026-12-06 the
    // second, having read the sheet still open, was answered 409 « La signature vient d'être ouverte par ailleurs »
    // (seen on the PostgreSQL tier, where the requests interleave: QUORUM_TEST_TIER=postgres).
    const tabs = await Promise.all([1, 2, 3].map(() => sheet("president", { intent: "open" })));
    for (const tab of tabs) expect(tab.status, JSON.stringify(tab.body)).toBe(200);
    const opened = tabs[0]!;
    expect(opened.body.state).toMatchObject({ status: "SIGNING", round: 0 });
    expect(new Set(tabs.map((t) => t.body.sealedHash)).size).toBe(1);
    expect((await sheet("president", { intent: "open" })).status).toBe(200); // a double click: opened once
    const observer = await sign("observateur");
    expect(observer.status).toBe(403);
    expect(observer.body.formErrors?.join(" ")).toContain("pas signataire");
    const wrong = await sheet("membre1", { intent: "sign", password: "mauvais", consent: "on" });
    expect(wrong.status).toBe(400);
    const noConsent = await sheet("membre1", { intent: "sign", password: "quorum-demo" });
    expect(noConsent.status).toBe(400);
    expect((await sign("president")).status).toBe(200);
    expect((await sign("president")).status).toBe(200);
    let current = (await view("president")).view!.sheet!;
    expect(current.signers.filter((s) => s.signed)).toHaveLength(1);

    expect((await room()).agenda[0]!.preconisationsReadOnly).toMatch(/Décision rendue/);
    const change = await sheet("membre1", { intent: "reopen", reason: "Préciser la durée du tutorat." });
    expect(change.status).toBe(200);
    expect(change.body.state).toMatchObject({ status: "OPEN", round: 1 });
    expect((await sign("membre2")).status).toBe(409); // not submitted any more
    current = (await view("membre2")).view!.sheet!;
    expect(current.voidedSignatures).toHaveLength(1);
    expect(current.changeRequests[0]!.reason).toBe("Préciser la durée du tutorat.");

    // Sent back for a change: the préconisations are what is corrected — written again until the sheet is resubmitted.
    expect((await room()).agenda[0]!.preconisationsReadOnly).toBeNull();
    const writer = connectGrid(server.baseUrl, `preconisations:${sessionId}:${itemIds[0]}`, cookies.president!);
    try {
      await until(() => writer.synced, "préconisations synced");
      const text = writer.doc.getText("preconisations");
      expect(text.toString()).toBe(PRECONISATIONS);
      text.insert(text.length, AMENDMENT);
      await until(() => writer.acked >= 1 || writer.denied.length > 0, "the amendment stored or refused");
      expect(writer.denied).toEqual([]);
    } finally {
      writer.provider.destroy();
    }

    expect((await sheet("membre1", { intent: "open" })).status).toBe(200); // the vice-president may submit it
    expect((await room()).agenda[0]!.preconisationsReadOnly).toMatch(/Décision rendue/); // resubmitted: frozen again
    for (const who of ["president", "membre1", "membre2"]) expect((await sign(who)).status).toBe(200);
    expect((await view("president")).view!.sheet!.status).toBe("SIGNED");
    expect((await sheet("membre1", { intent: "reopen", reason: "Trop tard ?" })).status).toBe(409);
    let res = await pdf("secretariat");
    await until(async () => {
      res = await pdf("secretariat");
      return res.status === 200;
    }, "sealed PDF rendered", { timeoutMs: 60_000 });
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("x-content-sha256")).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(path.join(dir, "fiche.pdf"), Buffer.from(await res.arrayBuffer()));
    expect((await view("president")).view!.sheet!.pdfUrl).toBe(`/sessions/${sessionId}/decisions/${itemIds[0]}/fiche.pdf`);
  }, 120_000);

  it("the PDF holds the decision, the tallies, the préconisations; no voter's name among the votes", () => {
    const text = execFileSync("pdftotext", [path.join(dir, "fiche.pdf"), "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    for (const expected of [
      "Fiche de décision du jury",
      // The candidate is named as on the signed grid and the procès-verbal (CANDIDATE_LABEL).
      "Candidat(e) : ",
      "Décision d'ensemble : Délivrance totale, vote à bulletin secret (Délivrance totale : 2, Non-délivrance : 1).",
      "Décision d'ensemble — vote à bulletin secret : Délivrance totale : 2, Non-délivrance : 1 → Délivrance totale.",
      "Consolider l'ingénierie de formation par un tutorat de six mois",
      "Tutorat assuré par le maître d'apprentissage, un entretien par mois.",
      "Avis de la commission sur le bloc : Acquis",
      "Paul Professionnel — Acquis",
      "Pierre Président — Président(e), collège employeurs : présent(e)",
      "Certificat de démonstration",
      "page 1 /",
    ]) {
      expect(text).toContain(expected);
    }
    const votes = text.slice(text.indexOf("Votes et consensus"), text.indexOf("Conformité de la démarche"));
    expect(votes.length).toBeGreaterThan(20);
    for (const name of ["Pierre Président", "Marie Membre", "Mehdi Membre"]) expect(votes).not.toContain(name);
    // The voided round is not on the certificate page; the three signatures of the last round are.
    expect(text.match(/Signé le/g)?.length).toBe(3);
    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", path.join(dir, "fiche.pdf"), path.join(dir, "page")]);
  });

  it("archivable (PDF/A-3b: sRGB output intent, XMP, embedded fonts); pdfsig: valid, then invalid after one byte changes", async () => {
    const file = path.join(dir, "fiche.pdf");
    await expectArchivablePdf(file);
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from("stream")) + 200;
    bytes[at] = bytes[at]! ^ 0x01;
    writeFileSync(path.join(dir, "tampered.pdf"), bytes);
    expect(spawnSync("pdfsig", [path.join(dir, "tampered.pdf")], { encoding: "utf8" }).stdout).not.toMatch(/Signature is Valid/);
  });

  it("an ajournement sends the dossier back to its route, with its own sheet", async () => {
    const second = (await room()).agenda[2]!; // the second candidate has its president and vice-president recused: they may not decide on it
    await toDecision(second);
    expect((await jury("president", { intent: "phase", agendaItemId: second.agendaItemId, to: "DECISION" })).status).toBe(200);
    // Without a vote the decision is the consensus of the members present: each declares first.
    const undeclared = await jury("president", { intent: "decide", agendaItemId: second.agendaItemId, overall: "ADJOURNED", adjournmentReason: "Pièces manquantes." });
    expect(undeclared.status).toBe(409);
    expect(undeclared.body.formErrors?.join(" ")).toMatch(/^Des membres présents n'ont pas encore déclaré l'absence de lien avec ce candidat/);
    for (const who of ["president", "membre1", "membre2"]) expect((await jury(who, { intent: "declare", agendaItemId: second.agendaItemId, conflict: "false" })).status).toBe(200);
    const refused = await jury("president", { intent: "decide", agendaItemId: second.agendaItemId, overall: "ADJOURNED" });
    expect(refused.status).toBe(400);
    const adjourned = await jury("president", {
      intent: "decide",
      agendaItemId: second.agendaItemId,
      overall: "ADJOURNED",
      adjournmentReason: "Pièces de la mise en situation manquantes.",
    });
    expect(adjourned.status, JSON.stringify(adjourned.body)).toBe(200);
    const state = (await view("secretariat", second.agendaItemId)).view!;
    expect(state.decision!.label).toBe("Ajournement");
    expect(state.sheet!.status).toBe("OPEN");
    const res = await pdf("secretariat", second.agendaItemId);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("pas encore soumise à la signature");
  }, 60_000);

  it("the demo's past jury has its decision sheets sealed at start", async () => {
    let res = await pdf("secretariat", pastItemId, pastSessionId);
    await until(async () => {
      res = await pdf("secretariat", pastItemId, pastSessionId);
      return res.status === 200;
    }, "past jury's sheet rendered", { timeoutMs: 90_000 });
    writeFileSync(path.join(dir, "past.pdf"), Buffer.from(await res.arrayBuffer()));
    expect(spawnSync("pdfsig", [path.join(dir, "past.pdf")], { encoding: "utf8" }).stdout).toMatch(/Signature is Valid/);
  }, 120_000);

  it("pdfdetach extracts the evidence JSON and it matches the database; the préconisations stay sealed", async () => {
    const out = path.join(dir, "attachments");
    mkdirSync(out, { recursive: true });
    execFileSync("pdfdetach", ["-saveall", "-o", out, path.join(dir, "fiche.pdf")]);
    const file = readdirSync(out).find((f) => f.endsWith(".json"))!;
    const evidence = JSON.parse(readFileSync(path.join(out, file), "utf8")) as {
      decision: { overall: string; tallies: Record<string, number>; items: Array<{ code: string; acquired: boolean; followed: boolean }> };
      contentHash: string;
      content: { preconisations: string };
      polls: Array<{ mode: string; tallies: Record<string, number> }>;
      auditEvents: Array<{ action: string; subjectType: string; subjectId: string; hash: string }>;
    };
    await server.stop();
    await withDatabase(async (prisma) => {
      const decision = await prisma.juryDecision.findUniqueOrThrow({ where: { agendaItemId: itemIds[0] }, include: { items: true, sheet: true, dossier: true } });
      expect(evidence.decision.overall).toBe(decision.overall);
      expect(evidence.decision.tallies).toEqual(decision.tallies);
      expect(evidence.decision.items.map((i) => [i.code, i.acquired, i.followed])).toEqual(
        [...decision.items].sort((a, b) => a.code.localeCompare(b.code)).map((i) => [i.code, i.acquired, i.followed]),
      );
      expect(evidence.contentHash).toBe(decision.sheet!.sealedHash);
      expect(evidence.content.preconisations).toBe(PRECONISATIONS + AMENDMENT);
      expect(evidence.polls[0]).toMatchObject({ mode: "SECRET", tallies: { TOTAL: 2, NONE: 1 } });
      const signed = await prisma.auditEvent.findFirstOrThrow({ where: { action: "decision.completed", subjectId: itemIds[0] } });
      expect(evidence.auditEvents.find((a) => a.action === "decision.completed")!.hash).toBe(signed.hash);
      // The candidate's whole deliberation is in the evidence — its three ballots (without their choice) included —
      // and nothing about another candidate: the adjourned one's events, recorded later, stay out of it even now.
      const polls = await prisma.juryPoll.findMany({ where: { agendaItemId: itemIds[0] }, select: { id: true } });
      const ballots = await prisma.auditEvent.findMany({ where: { action: "jury.vote_cast", subjectId: { in: polls.map((p) => p.id) } }, orderBy: { seq: "asc" } });
      expect(ballots).toHaveLength(3);
      for (const ballot of ballots) expect(ballot.data).not.toHaveProperty("choice");
      expect(evidence.auditEvents.filter((a) => a.action === "jury.vote_cast").map((a) => a.hash)).toEqual(ballots.map((b) => b.hash));
      expect(evidence.auditEvents.map((a) => a.action)).toEqual(expect.arrayContaining(["jury.poll_started", "jury.poll_finished", "jury.phase_changed"]));
      const own = new Set([itemIds[0], decision.id, ...polls.map((p) => p.id)]);
      // Imported here, not at the top: the app's Prisma client is created by the first import of its module, which
      // must come after withPrisma has set this database's env (a top-level import would open an embedded database).
      const { decisionSheetEvidence } = await import("~/live/jury/decision-sheet-facts.server");
      const now = await decisionSheetEvidence(prisma, itemIds[0]!);
      const adjournedId = (await prisma.juryDecision.findUniqueOrThrow({ where: { agendaItemId: itemIds[2] } })).id;
      const otherEvents = await prisma.auditEvent.count({ where: { subjectId: { in: [itemIds[2]!, adjournedId] } } });
      expect(otherEvents).toBeGreaterThan(0);
      for (const events of [evidence.auditEvents, now.auditEvents]) expect(events.filter((a) => !own.has(a.subjectId))).toEqual([]);
      const signatures = await prisma.signature.findMany({ where: { documentKind: "decision", documentId: itemIds[0] } });
      expect(signatures.filter((s) => s.voidedAt)).toHaveLength(1);
      expect(signatures.filter((s) => !s.voidedAt)).toHaveLength(3);
      const stored = await prisma.collabDocument.findUniqueOrThrow({ where: { name: decision.preconisationsDoc } });
      expect(stored.sealedAt).not.toBeNull();
      expect(decision.dossier.status).toBe("DECIDED");
      const adjourned = await prisma.juryDecision.findUniqueOrThrow({ where: { agendaItemId: itemIds[2] }, include: { dossier: true } });
      expect(adjourned.dossier.status).toBe(adjourned.dossier.route === "VAE" ? "IN_EVALUATION" : "IN_TRAINING");
    });
  }, 60_000);
});
