/**
 * A conflict of interest declared on an appeal (recours, decision 0021) bars the member from evaluating the candidate
 * in a commission, as one declared for him on a jury's agenda does (decision 0020, « One rule for who evaluates in a
 * commission »: `evaluationBar`). Before 2026-12-07 (session 49) only the agenda's declarations were counted: a member
 * who had declared a conflict with the appellant still declared « aucun conflit d'intérêts » and scored his grid.
 * On the demo: the live commission's candidate who is on the demo jury's agenda has an appeal on that jury, on which
 * Mehdi (membre2) declared a conflict of interest after his « aucun conflit d'intérêts » at the commission; Marie
 * (membre1) declared nothing on the appeal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectGrid, until, type GridClient } from "../support/clients";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { demoJuryAndSharedPassage } from "../support/jury-fixtures";
import { decodeHtml, readPage } from "../support/html";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
const ids = { commission: "", slot: "", mehdi: "", competence: "" };
const clients: GridClient[] = [];

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const { jury, commission, slot } = await demoJuryAndSharedPassage(prisma);
    ids.commission = commission.id;
    ids.slot = slot.id;
    const user = (email: string) => prisma.user.findUniqueOrThrow({ where: { email } });
    const [mehdi, secretariat] = await Promise.all([user("membre2@quorum.test"), user("secretariat@quorum.test")]);
    ids.mehdi = mehdi.id;
    const competence = await prisma.competence.findFirstOrThrow({ where: { bloc: { versionId: commission.referentialVersionId! } }, orderBy: { position: "asc" } });
    ids.competence = competence.id;
    // Mehdi's « aucun conflit d'intérêts » at the commission, first.
    await prisma.conflictDeclaration.create({ data: { slotId: slot.id, userId: mehdi.id, noConflict: true } });
    // Then an appeal of this candidate on the demo jury's agenda (against one of the demo's decisions: only its dossier
    // matters here), and Mehdi's conflict of interest declared on it.
    const dossier = jury.agenda.find((a) => a.dossier.candidateId === slot.candidateId)!.dossier;
    const contested = await prisma.juryDecision.findFirstOrThrow();
    await prisma.appeal.create({
      data: {
        organisationId: jury.organisationId,
        dossierId: dossier.id,
        decisionId: contested.id,
        receivedAt: new Date(),
        grounds: "Le candidat conteste la décision.",
        recordedById: secretariat.id,
        sessionId: jury.id,
        declarations: { create: { userId: mehdi.id, conflict: true, note: "Son ancien employeur" } },
      },
    });
  });
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 180_000);

afterAll(async () => {
  closeAll(...clients);
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

const passage = async (who: string, fields: Record<string, string>) => {
  const res = await fetch(`${server.baseUrl}/sessions/${ids.commission}/passages/${ids.slot}`, {
    method: "POST",
    headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string } };
};

describe("a conflict of interest declared on the candidate's appeal", () => {
  it("refuses the member « aucun conflit d'intérêts » at the commission (even said again), and his room says why", async () => {
    const refused = await passage("membre2", { intent: "declare" });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne pouvez pas l'évaluer. Rien n'a été enregistré.");
    // Marie declared nothing on the appeal: her declaration stands.
    expect((await passage("membre1", { intent: "declare" })).status).toBe(200);
    const room = decodeHtml((await readPage(server.baseUrl, cookies.membre2!, `/sessions/${ids.commission}?candidat=${ids.slot}`)).text);
    expect(room).toContain("Lecture seule : vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury. Vous ne pouvez pas l'évaluer.");
  });

  it("keeps his grid read-only, though he declared « aucun conflit » at the commission first", async () => {
    for (const to of ["PRESENTATION", "EVALUATION"]) expect((await passage("president", { intent: "phase", to })).status).toBe(200);
    const grid = connectGrid(server.baseUrl, `grid:${ids.commission}:${ids.slot}`, cookies.membre2!);
    clients.push(grid);
    await until(() => grid.synced, "Mehdi synced");
    grid.assessments.set(`${ids.mehdi}|${ids.competence}`, "ACQUIS");
    await until(() => grid.denied.length > 0, "his score refused");
    expect(grid.denied[0]).toMatch(/Lecture seule/);
  });
});
