/**
 * A commission grid in signature is no longer reopened (its signatures voided, scored again) once the commission is
 * closed or a jury has decided for the candidate on it (`gridReopenRefusal`): refused in French, nothing voided. Until
 * 2026-12-07 the demo's closed « seconde journée » commission offered its president to reopen Camille MOREAU's grid.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { decodeHtml } from "../support/html";

let database: TestDatabase;
let server: TestServer;
let president = "";
const ids = { session: "", slot: "", decidedDossier: "", undecidedDossier: "" };

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const slot = await prisma.sessionSlot.findFirstOrThrow({
      where: { gridStatus: "SIGNING", session: { kind: "COMMISSION", status: "CLOSED", title: { contains: "seconde journée" } } },
      select: { id: true, sessionId: true, candidateId: true },
    });
    ids.session = slot.sessionId;
    ids.slot = slot.id;
    // A dossier the demo's juries decided on, and the candidate's own, on the agenda of the demo jury not held yet.
    ids.decidedDossier = (await prisma.juryDecision.findFirstOrThrow({ select: { dossierId: true } })).dossierId;
    ids.undecidedDossier = (await prisma.dossier.findFirstOrThrow({ where: { candidateId: slot.candidateId, juryDecisions: { none: {} } }, select: { id: true } })).id;
  });
  server = await startServer({ database });
  president = await login(server.baseUrl, "president@quorum.test");
}, 180_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

async function reopen(): Promise<{ status: number; body: { ok: boolean; error?: string; state?: { gridStatus: string; round: number } } }> {
  const res = await fetch(`${server.baseUrl}/sessions/${ids.session}/passages/${ids.slot}`, {
    method: "POST",
    headers: { Cookie: president, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "reopen", reason: "Coquille dans la synthèse" }).toString(),
  });
  return { status: res.status, body: (await res.json()) as never };
}
const gridState = () => server.prisma.sessionSlot.findUniqueOrThrow({ where: { id: ids.slot }, select: { gridStatus: true, signingRound: true } });

describe("reopening a commission grid in signature", () => {
  it("is not offered in the closed commission's room, which says why", async () => {
    const res = await fetch(`${server.baseUrl}/sessions/${ids.session}?candidat=${ids.slot}`, { headers: { Cookie: president } });
    const page = decodeHtml(await res.text());
    expect(res.status).toBe(200);
    expect(page).toContain("La commission est close : sa grille ne peut plus être rouverte, seulement signée.");
    expect(page).not.toContain("Rouvrir la grille (annule les signatures déjà données)");
  });

  it("is refused once the commission is closed: the grid stays in signature", async () => {
    const refused = await reopen();
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe("La commission est close : sa grille ne peut plus être rouverte, seulement signée. Rien n'a été annulé.");
    expect(await gridState()).toEqual({ gridStatus: "SIGNING", signingRound: 0 });
  });

  it("is refused once a jury decided on the grid's dossier, even while the commission sits", async () => {
    await server.prisma.session.update({ where: { id: ids.session }, data: { status: "OPEN" } });
    await server.prisma.sessionSlot.update({ where: { id: ids.slot }, data: { dossierId: ids.decidedDossier } });
    const refused = await reopen();
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe(
      "Le jury a déjà rendu sa décision pour ce candidat sur la base de cette grille : elle ne peut plus être rouverte. Rien n'a été annulé.",
    );
    expect(await gridState()).toEqual({ gridStatus: "SIGNING", signingRound: 0 });
  });

  it("is still possible while the commission sits and no jury decided on it", async () => {
    await server.prisma.sessionSlot.update({ where: { id: ids.slot }, data: { dossierId: ids.undecidedDossier } });
    const reopened = await reopen();
    expect(reopened.status).toBe(200);
    expect(reopened.body.state).toMatchObject({ gridStatus: "OPEN", round: 1 });
  });
});
