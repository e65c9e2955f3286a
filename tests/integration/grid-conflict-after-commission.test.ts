/**
 * A commission member who declared « aucun conflit d'intérêts » for a candidate, then a conflict of interest with him
 * before a jury, no longer scores his grid (decision 0020, « One rule for who evaluates in a commission »): her open
 * grid connection turns read-only at once, and her room says why. Before 2026-12-07 only the reverse order was refused.
 * On the demo: Marie (membre1) evaluates in the live commission a candidate who is also on the demo jury's agenda.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectGrid, until, type GridClient } from "../support/clients";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { demoSharedPassageIds } from "../support/jury-fixtures";
import { decodeHtml, readPage } from "../support/html";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
let ids: Awaited<ReturnType<typeof demoSharedPassageIds>>;
const clients: GridClient[] = [];

beforeAll(async () => {
  database = await prepareDemoDatabase();
  ids = await withPrisma(database, demoSharedPassageIds);
  server = await startServer({ database });
  for (const who of ["president", "membre1", "membre2", "admin"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 180_000);

afterAll(async () => {
  closeAll(...clients);
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

const post = async (who: string, path: string, fields: Record<string, string>) => {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method: "POST",
    headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error?: string; formErrors?: string[]; details?: string[]; state?: { gridStatus: string; sealedHash: string | null; signatures: Array<{ userId: string }> } } };
};
const passage = (who: string, fields: Record<string, string>) => post(who, `/sessions/${ids.commission}/passages/${ids.slot}`, fields);

describe("a conflict declared before a jury after « aucun conflit » at the commission", () => {
  it("turns her grid read-only at once, and her room says why", async () => {
    expect((await passage("membre1", { intent: "declare" })).status).toBe(200);
    for (const to of ["PRESENTATION", "EVALUATION"]) expect((await passage("president", { intent: "phase", to })).status).toBe(200);
    const grid = connectGrid(server.baseUrl, `grid:${ids.commission}:${ids.slot}`, cookies.membre1!);
    clients.push(grid);
    await until(() => grid.synced, "Marie synced");
    grid.assessments.set(`${ids.marie}|${ids.competence}`, "ACQUIS");
    await until(() => grid.acked > 0, "her score stored");
    expect(grid.denied).toEqual([]);

    const declared = await post("membre1", `/sessions/${ids.jury}/jury`, { intent: "declare", agendaItemId: ids.item, conflict: "true" });
    expect(declared.status, JSON.stringify(declared.body)).toBe(200);
    // The same connection, no reconnection: her next score is refused.
    grid.assessments.set(`${ids.marie}|${ids.competence}`, "NON_ACQUIS");
    await until(() => grid.denied.length > 0, "her score refused");
    expect(grid.denied[0]).toMatch(/Lecture seule/);

    const room = decodeHtml((await readPage(server.baseUrl, cookies.membre1!, `/sessions/${ids.commission}?candidat=${ids.slot}`)).text);
    expect(room).toContain("Lecture seule : vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury. Vous ne pouvez pas l'évaluer.");
  });

  it("refuses her signature of the grid once in signature, in French, and her room says why instead of the form", async () => {
    // The other scorers declare, the president fills the commission's results and synthesis, and opens signing.
    for (const who of ["president", "membre2"]) expect((await passage(who, { intent: "declare" })).status).toBe(200);
    const president = connectGrid(server.baseUrl, `grid:${ids.commission}:${ids.slot}`, cookies.president!);
    clients.push(president);
    await until(() => president.synced, "the president synced");
    president.doc.transact(() => {
      for (const id of ids.competences) president.results.set(id, "ACQUIS");
      president.doc.getText("synthesis").insert(0, "Candidat rigoureux.");
    });
    await until(() => president.acked > 0, "the grid filled");
    const opened = await passage("president", { intent: "open-signing" });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const contentHash = opened.body.state!.sealedHash!;

    const refused = await passage("membre1", { intent: "sign", password: "quorum-demo", consent: "on", contentHash });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe(
      "Vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury : vous ne pouvez plus signer sa grille d'évaluation. L'organisme peut constater votre empêchement de signer. Rien n'a été signé.",
    );
    const room = decodeHtml((await readPage(server.baseUrl, cookies.membre1!, `/sessions/${ids.commission}?candidat=${ids.slot}`)).text);
    expect(room).toMatch(/data-testid="sign-refused"[^>]*>Vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury : vous ne pouvez plus signer sa grille/);
    expect(room).not.toContain("Signer la grille");
    // The others see next to her name, in the list of signers, that she cannot sign and that the organisation records
    // her empêchement (decision 0028) — not « en attente de signature » as if she still could; never why.
    const presidentRoom = decodeHtml((await readPage(server.baseUrl, cookies.president!, `/sessions/${ids.commission}?candidat=${ids.slot}`)).text);
    const barred = [...presidentRoom.matchAll(/<li[^>]*>((?:(?!<\/li>).)*?data-testid="signer-barred"(?:(?!<\/li>).)*)<\/li>/gs)].map((m) => m[1]!);
    expect(barred).toHaveLength(1);
    expect(barred[0]).toContain("Marie");
    expect(barred[0]).toContain("ne peut pas signer : l'organisme doit constater son empêchement de signer");
    expect(barred[0]).toContain('href="/membres"');
    expect(barred[0]).not.toContain("conflit");
    // On « Membres », the administration reads that the grid awaits her but she cannot sign it: her empêchement, below.
    const members = decodeHtml((await readPage(server.baseUrl, cookies.admin!, "/membres")).text);
    const awaited = [...members.matchAll(/data-testid="pending-signatures"[^>]*>((?:(?!<\/p>).)*)<\/p>/gs)].map((m) => m[1]!).filter((p) => p.includes("signing-barred"));
    expect(awaited).toHaveLength(1);
    expect(awaited[0]).toContain("(ne peut pas la signer : constatez son empêchement ci-dessous)");
    // A member with no conflict signs as before; hers is not among the signatures.
    const signed = await passage("membre2", { intent: "sign", password: "quorum-demo", consent: "on", contentHash });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.state!.signatures.map((s) => s.userId)).not.toContain(ids.marie);
  });
});
