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
import { closeAll, connectGrid, until, type GridClient } from "../support/clients";
import { login, prepareDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";

let server: TestServer;
let database: TestDatabase;
const cookies: Record<string, string> = {};
const clients: GridClient[] = [];
const dir = mkdtempSync(path.join(tmpdir(), "quorum-minutes-"));
let sessionId = "";
let demoSessionId = "";

/** Opens the server's own database in this process (only while the server is stopped: PGlite is one process). */
const withDatabase = <T>(run: Parameters<typeof withPrisma<T>>[1]) => withPrisma(database, run);

async function command(who: string, fields: Record<string, string>) {
  const res = await fetch(`${server.baseUrl}/sessions/${sessionId}/proces-verbal/commande`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string; state?: { status: string; round: number } } };
}
const sign = (who: string) => command(who, { intent: "sign", password: "quorum-demo", consent: "on" });
const pdf = (who: string, id = sessionId) =>
  fetch(`${server.baseUrl}/sessions/${id}/proces-verbal.pdf`, { headers: { Cookie: cookies[who]! } });

beforeAll(async () => {
  database = await prepareDatabase();
  await withDatabase(async (prisma) => {
    const { seedDemoIfEmpty } = await import("../../prisma/seed/demo");
    const { seedPastJury } = await import("../../prisma/seed/past-jury");
    await seedDemoIfEmpty(prisma);
    demoSessionId = (await prisma.sessionMinutes.findFirstOrThrow({ where: { status: "SIGNED" } })).sessionId;
    const demo = await prisma.session.findUniqueOrThrow({ where: { id: demoSessionId }, include: { referentialVersion: true, members: true } });
    const version = demo.referentialVersion!;
    const certification = await prisma.certification.findUniqueOrThrow({ where: { id: version.certificationId } });
    const scheme = certification.scheme as { jury?: Record<string, unknown> };
    await prisma.certification.update({
      where: { id: certification.id },
      data: { scheme: { ...scheme, jury: { ...(scheme.jury ?? {}), membersSignMinutes: true } } },
    });
    const byRole = (role: string) => demo.members.find((m) => m.role === role)!.userId;
    const candidates = await prisma.candidate.findMany({ where: { organisationId: demo.organisationId }, orderBy: { birthName: "asc" }, take: 3 });
    sessionId = await prisma.$transaction((tx) =>
      seedPastJury(tx, {
        organisationId: demo.organisationId,
        certificationId: certification.id,
        versionId: version.id,
        candidateIds: [candidates[0]!.id, candidates[1]!.id, candidates[2]!.id],
        users: { president: byRole("PRESIDENT"), vice: byRole("VICE_PRESIDENT"), member: byRole("MEMBER"), secretary: byRole("SECRETARY") },
        daysAgo: 2,
        signed: false,
      }),
    );
  });
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 180_000);

afterAll(async () => {
  closeAll(...clients);
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
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
    const refused = await command("membre2", { intent: "finalise" });
    expect(refused.status).toBe(403);
  });

  it("finalise, a member asks for a change (signature voided), finalise again, all sign, the PDF is produced", async () => {
    expect((await command("secretariat", { intent: "finalise" })).status).toBe(200);
    expect((await sign("president")).status).toBe(200);
    const changed = await command("membre1", { intent: "request-change", reason: "Préciser l'heure de reprise du quorum." });
    expect(changed.status).toBe(200);
    expect(changed.body.state).toMatchObject({ status: "OPEN", round: 1 });
    expect((await sign("membre2")).status).toBe(409); // not finalised any more
    expect((await command("president", { intent: "finalise" })).status).toBe(200);
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
      "Aucun recours examiné.",
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

  it("pdfinfo declares PDF/A-3B", () => {
    const meta = execFileSync("pdfinfo", ["-meta", path.join(dir, "pv.pdf")], { encoding: "utf8" });
    expect(meta).toMatch(/pdfaid:part(>|=")3/);
    expect(meta).toMatch(/pdfaid:conformance(>|=")B/);
  });

  it("the demo's past jury minutes were sealed at start", async () => {
    let res = await pdf("secretariat", demoSessionId);
    await until(async () => {
      res = await pdf("secretariat", demoSessionId);
      return res.status === 200;
    }, "demo PDF rendered", { timeoutMs: 60_000 });
    expect(res.headers.get("content-type")).toBe("application/pdf");
  }, 90_000);

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
    await server.stop();
    await withDatabase(async (prisma) => {
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
    });
  }, 60_000);
});
