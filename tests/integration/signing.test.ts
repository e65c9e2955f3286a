/**
 * The signing core on the real server (app/signing), with the grid as its document kind:
 * - content that can never be signed (a NUL character, a 100 001-character synthesis) is refused at opening with a
 *   French message, nothing is sealed, and the grid stays editable;
 * - a double signature is one signature;
 * - the last signature commits and answers while its PDF render is held (QUORUM_TEST_RENDER_HOLD): the answer
 *   never waits for a render; the server is then killed (SIGKILL) between the commit and the render, and the PDF
 *   is there after the restart;
 * - the PDF names a man with a usage name « né », never « née »; the dossier left « En évaluation » with the
 *   commission's result.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectGrid, gridName, passageCommand, until, type GridClient } from "../support/clients";
import { expectArchivablePdf } from "../support/pdfa";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";

let server: TestServer;
let database: TestDatabase;
const cookies: Record<string, string> = {};
const clients: GridClient[] = [];
const hold = path.join(mkdtempSync(path.join(tmpdir(), "quorum-render-")), "release");
let sessionId = "";
let slotId = "";
let competenceIds: string[] = [];
/** The signed grid's text (pdftotext), for the audit head it prints. */
let gridPdfText = "";

/** Opens the server's own database in this process (only while the server is stopped: PGlite is one process). */
const withDatabase = <T>(run: Parameters<typeof withPrisma<T>>[1]) => withPrisma(database, run);

const command = (who: string, fields: Record<string, string>) => passageCommand(server.baseUrl, cookies[who], sessionId, slotId, fields);
const sign = (who: string) => command(who, { intent: "sign", password: "quorum-demo", consent: "on" });
const pdfUrl = () => `${server.baseUrl}/sessions/${sessionId}/passages/${slotId}/grille.pdf`;

beforeAll(async () => {
  database = await prepareDemoDatabase();
  // The demo, with Thomas NGUYEN given a usage name and a dossier « En évaluation » for the session's certification.
  await withDatabase(async (prisma) => {
    const { seedDemoIfEmpty } = await import("../../prisma/seed/demo");
    await seedDemoIfEmpty(prisma);
    const slot = await prisma.sessionSlot.findFirstOrThrow({
      where: { candidate: { birthName: "NGUYEN" }, session: { kind: "COMMISSION" } },
      include: { session: { include: { referentialVersion: { include: { blocs: { include: { competences: true } } } } } } },
    });
    await prisma.candidate.update({ where: { id: slot.candidateId }, data: { usageName: "LEROY", sex: "M" } });
    const version = slot.session.referentialVersion!;
    await prisma.dossier.create({
      data: {
        organisationId: slot.session.organisationId,
        candidateId: slot.candidateId,
        certificationId: version.certificationId,
        referentialVersionId: version.id,
        route: "FORMATION",
        status: "IN_EVALUATION",
      },
    });
    sessionId = slot.sessionId;
    slotId = slot.id;
    competenceIds = [...version.blocs]
      .sort((a, b) => a.position - b.position)
      .flatMap((b) => [...b.competences].sort((x, y) => x.position - y.position).map((c) => c.id));
  });
  server = await startServer({ database, env: { QUORUM_TEST_RENDER_HOLD: hold } });
  for (const who of ["president", "membre1", "membre2"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  for (const who of ["president", "membre1", "membre2"]) expect((await command(who, { intent: "declare" })).status).toBe(200);
  expect((await command("president", { intent: "phase", to: "PRESENTATION" })).status).toBe(200);
  // Scoring opens with « Évaluation » (no scoring during « Accueil »; the grid's schema).
  expect((await command("president", { intent: "phase", to: "EVALUATION" })).status).toBe(200);
});

afterAll(async () => {
  closeAll(...clients);
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

/**
 * A fresh writer (the president: only they write the commission's result and comments) applies `change` as one
 * update and waits until the server stored it (its first acknowledgement) or refused it; returns the refusals.
 */
async function attemptEdit(change: (grid: GridClient) => void, outcome: "stored" | "refused" = "stored"): Promise<string[]> {
  const grid = connectGrid(server.baseUrl, gridName(sessionId, slotId), cookies.president);
  clients.push(grid);
  await until(() => grid.synced, "president synced");
  grid.doc.transact(() => change(grid));
  // A refusal may come after the running acknowledgement count: a refused edit waits for its reason.
  if (outcome === "refused") await until(() => grid.denied.length > 0, "edit refused");
  else await until(() => grid.acked >= 1 || grid.denied.length > 0, "edit stored or refused");
  grid.close();
  return grid.denied;
}

async function edit(change: (grid: GridClient) => void): Promise<void> {
  expect(await attemptEdit(change)).toEqual([]);
}

/** The command's raw answer, with the server's log when it is not JSON (a 500). */
async function rawCommand(who: string, fields: Record<string, string>) {
  try {
    return await command(who, fields);
  } catch (error) {
    throw new Error(`${String(error)}\n${server.logs().slice(-4000)}`);
  }
}

describe("signing core", () => {
  // The grid's schema refuses such content at the edit (realtime/yjs/grid-schema.ts), so it never reaches the seal.
  it("refuses a NUL character in the grid, in French, and leaves it editable", async () => {
    await edit((grid) => {
      for (const id of competenceIds) grid.results.set(id, "ACQUIS");
      grid.doc.getText("synthesis").insert(0, "Candidat méthodique.");
    });
    const refused = await attemptEdit((grid) => grid.comments.set(competenceIds[0], "Très bien\u0000 vu"), "refused");
    expect(refused.join(" ")).toMatch(/Modification refusée : caractère interdit/);
    // Nothing sealed: the grid still takes edits.
    await edit((grid) => grid.comments.set(competenceIds[0], "Très bien vu"));
  });

  it("refuses an absurdly large synthesis with a French message instead of freezing", async () => {
    const refused = await attemptEdit((grid) => grid.doc.getText("synthesis").insert(0, "x".repeat(100_001) + " "), "refused");
    expect(refused).toEqual(["Modification refusée : texte trop long."]);
    await edit((grid) => {
      const synthesis = grid.doc.getText("synthesis");
      synthesis.delete(0, synthesis.length);
      synthesis.insert(0, "Candidat méthodique, dossier solide.");
    });
  });

  it("signs once for a double click, and the last signature answers before its PDF is rendered", async () => {
    const opened = await rawCommand("president", { intent: "open-signing" });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body.state?.gridStatus).toBe("SIGNING");

    const [a, b] = await Promise.all([sign("membre1"), sign("membre1")]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await sign("president")).status).toBe(200);

    // The render is held (nothing renders until the hold file exists): the last signature still commits and answers.
    const last = await sign("membre2");
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    const state = last.body.state as unknown as { gridStatus: string; signatures: unknown[]; pdfSha256: string | null };
    expect(state.gridStatus).toBe("SIGNED");
    expect(state.signatures).toHaveLength(3);
    expect(state.pdfSha256).toBeNull(); // « PDF en préparation… »
    expect((await fetch(pdfUrl(), { headers: { Cookie: cookies.president } })).status).toBe(404);
  });

  it("renders the PDF after a crash between the commit and the render (SIGKILL, restart)", async () => {
    server.kill9();
    await server.exited;
    writeFileSync(hold, "release"); // the restarted server renders at once
    server = await startServer({ database });
    cookies.president = await login(server.baseUrl, "president@quorum.test");
    let pdf: Response | null = null;
    await until(
      async () => {
        pdf = await fetch(pdfUrl(), { headers: { Cookie: cookies.president } });
        return pdf.status === 200;
      },
      "PDF rendered after the restart",
      { timeoutMs: 150_000 },
    );
    const bytes = Buffer.from(await pdf!.arrayBuffer());
    expect(pdf!.headers.get("content-type")).toBe("application/pdf");
    const file = path.join(path.dirname(hold), "grille.pdf");
    writeFileSync(file, bytes);
    await expectArchivablePdf(file); // PDF/A-3b: sRGB output intent, XMP, embedded fonts, the organisation's seal
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("Thomas LEROY (né NGUYEN)");
    // The candidate is named as on the fiche de décision and the procès-verbal (CANDIDATE_LABEL).
    expect(text).toContain("Candidat(e) : Thomas LEROY (né NGUYEN)");
    expect(text).not.toContain("Candidat :");
    expect(text).not.toMatch(/\(née /);
    expect(text).toMatch(/Résultat de la commission : Délivrance totale/);
    expect(text).toMatch(/page 1 \/ \d/);
    expect(text).not.toMatch(/\d+\.\d+\.\d+\.\d+|::1|127\.0\.0\.1/); // no IP address on paper
    expect(text).toContain("Tête de la chaîne (numéro:empreinte)");
    gridPdfText = text;
  }, 240_000); // a restart after a crash (PGlite recovery) and a first render, on a loaded 2-core machine

  it("recorded one signature per member, the job done, and the commission's result on the dossier", async () => {
    expect(await server.stop()).toBe(0);
    await withDatabase(async (prisma) => {
      const signatures = await prisma.signature.findMany({ where: { documentKind: "grid", documentId: slotId } });
      expect(signatures).toHaveLength(3);
      const jobs = await prisma.renderJob.findMany({ where: { documentId: slotId } });
      expect(jobs.map((j) => j.status)).toEqual(["DONE"]);
      const dossier = await prisma.dossier.findFirstOrThrow({ where: { commissionSlotId: slotId } });
      expect(dossier).toMatchObject({ status: "COMPLETE", commissionOutcome: "total" });

      // The audit chain's head at completion (the « grid.completed » event) is anchored and printed on the PDF.
      const completed = await prisma.auditEvent.findFirstOrThrow({ where: { action: "grid.completed", subjectId: slotId } });
      const anchors = await prisma.auditAnchor.findMany({ where: { reason: { contains: slotId } } });
      expect(anchors.map((a) => ({ seq: String(a.seq), hash: a.hash }))).toEqual([{ seq: String(completed.seq), hash: completed.hash }]);
      expect(gridPdfText).toContain(`${completed.seq}:${completed.hash}`);
    });
  });
});
