/**
 * The desk's « Grilles et procès-verbaux en attente de signatures » says which of them can never complete as they stand:
 * a grid awaiting a signer who may no longer sign it (`gridSigningRefusal`: a conflict of interest declared before a
 * jury) and whose empêchement is not recorded (decision 0028). The secretariat read « 2 grilles » and waited for ever.
 * Once the administration records the empêchement (« Membres »), the grid is no longer blocked: the person is no longer
 * awaited, the others' signatures complete it. The demo has no such grid: the state is built here, on the demo's live
 * commission, whose candidate Yasmine MARTIN is also on the demo jury's agenda (as grid-conflict-after-commission.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectGrid, until, type GridClient } from "../support/clients";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { demoSharedPassageIds } from "../support/jury-fixtures";
import { decodeHtml, postForm, readPage } from "../support/html";
import { candidateName } from "~/domain/identity";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
let ids: Awaited<ReturnType<typeof demoSharedPassageIds>> & { candidate: string };
const clients: GridClient[] = [];

beforeAll(async () => {
  database = await prepareDemoDatabase();
  ids = await withPrisma(database, async (prisma) => {
    const shared = await demoSharedPassageIds(prisma);
    return { ...shared, candidate: candidateName(await prisma.candidate.findUniqueOrThrow({ where: { id: shared.candidateId } })) };
  });
  // Counting each request's SQL statements (x-quorum-statements): the desk keeps its budget.
  server = await startServer({ database, env: { QUORUM_BENCH_STATS: "1" } });
  for (const who of ["president", "membre1", "membre2", "admin", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 180_000);

afterAll(async () => {
  closeAll(...clients);
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

const post = async (who: string, path: string, fields: Record<string, string>) => {
  const res = await postForm(server.baseUrl, cookies[who]!, path, fields);
  return { status: res.status, text: await res.text() };
};
const passage = (who: string, fields: Record<string, string>) => post(who, `/sessions/${ids.commission}/passages/${ids.slot}`, fields);

/** The desk's to-do « en attente de signatures » as `who` reads it: its count, detail and links. */
async function signaturesTodo(who: string) {
  const res = await fetch(`${server.baseUrl}/`, { redirect: "manual", headers: { Cookie: cookies[who]! } });
  expect(res.status).toBe(200);
  const text = decodeHtml(await res.text());
  const start = text.indexOf('data-testid="todo-signatures"');
  expect(start).toBeGreaterThan(0);
  const item = text.slice(start, text.indexOf("</li>", start));
  const links = /data-testid="todo-links">(.*?)<\/p>/s.exec(item)?.[1] ?? "";
  return {
    count: Number(/data-testid="todo-count">(\d+)</.exec(item)?.[1]),
    detail: (/<p class="mt-1 text-sm text-slate-600">([^<]*)<\/p>/.exec(item)?.[1] ?? "").trim(),
    statements: Number(res.headers.get("x-quorum-statements")),
    links: [...links.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!, label: m[2]! })),
  };
}

describe("the desk's grids awaiting signatures", () => {
  let before = 0;
  let beforeStatements = 0;

  it("says a grid is blocked while a signer who may no longer sign it is not recorded as prevented, and links to it", async () => {
    await signaturesTodo("secretariat"); // the first request of a session reads more (its plans, its organisation)
    const demo = await signaturesTodo("secretariat");
    ({ count: before, statements: beforeStatements } = demo);
    expect(demo.detail).not.toContain("bloquée"); // the demo's grid in signature: every signer may sign it
    expect(beforeStatements).toBeGreaterThan(0);
    expect(beforeStatements).toBeLessThanOrEqual(8);
    // Marie scores, then declares before the jury a conflict of interest with the candidate (before the grid is sealed:
    // sealed, it recuses its evaluators at the jury): she may no longer sign it.
    expect((await passage("membre1", { intent: "declare" })).status).toBe(200);
    for (const to of ["PRESENTATION", "EVALUATION"]) expect((await passage("president", { intent: "phase", to })).status).toBe(200);
    const grid = connectGrid(server.baseUrl, `grid:${ids.commission}:${ids.slot}`, cookies.membre1!);
    clients.push(grid);
    await until(() => grid.synced, "Marie synced");
    grid.assessments.set(`${ids.marie}|${ids.competence}`, "ACQUIS");
    await until(() => grid.acked > 0, "her score stored");
    const declared = await post("membre1", `/sessions/${ids.jury}/jury`, { intent: "declare", agendaItemId: ids.item, conflict: "true" });
    expect(declared.status, declared.text).toBe(200);
    // The others declare, the president fills the commission's results and synthesis, and opens signing.
    for (const who of ["president", "membre2"]) expect((await passage(who, { intent: "declare" })).status).toBe(200);
    const president = connectGrid(server.baseUrl, `grid:${ids.commission}:${ids.slot}`, cookies.president!);
    clients.push(president);
    await until(() => president.synced, "the president synced");
    president.doc.transact(() => {
      for (const id of ids.competences) president.results.set(id, "ACQUIS");
      president.doc.getText("synthesis").insert(0, "Candidate rigoureuse.");
    });
    await until(() => president.acked > 0, "the grid filled");
    const opened = await passage("president", { intent: "open-signing" });
    expect(opened.status, opened.text).toBe(200);

    const todo = await signaturesTodo("secretariat");
    expect(todo.count).toBe(before + 1); // counted as before: one more grid awaiting signatures
    expect(todo.detail).toContain(
      ", dont 1 grille bloquée : signataire qui ne peut plus signer, empêchement non constaté (à constater par l'administration, page « Membres »)",
    );
    expect(todo.detail).not.toContain("conflit"); // never why (her declaration stays with the jury)
    // Within the page's budget (crawl.test.ts: ten): its signatures and empêchements read only for such a grid.
    expect(todo.statements).toBeLessThanOrEqual(10);
    // The grid itself (its signers' list says who, and links to « Membres »); « Membres » is the administration's page.
    expect(todo.links).toEqual([{ href: `/sessions/${ids.commission}?candidat=${ids.slot}`, label: `Grille de ${ids.candidate} (bloquée)` }]);
    const admin = await signaturesTodo("admin");
    expect(admin.detail).toContain("dont 1 grille bloquée");
    expect(admin.links.map((l) => l.href)).toEqual([`/sessions/${ids.commission}?candidat=${ids.slot}`, "/membres"]);
    expect(admin.links[1]!.label).toBe("Constater l'empêchement (Membres)");
    // Both links open for whom they are shown.
    expect((await readPage(server.baseUrl, cookies.secretariat!, todo.links[0]!.href)).status).toBe(200);
    expect((await readPage(server.baseUrl, cookies.admin!, "/membres")).text).toContain("(ne peut pas la signer : constatez son empêchement ci-dessous)");
  });

  it("no longer says it once the administration records her empêchement, the grid still awaiting the others", async () => {
    const recorded = await postForm(server.baseUrl, cookies.admin!, "/membres", {
      intent: "unavailable",
      userId: ids.marie,
      kind: "grid",
      documentId: ids.slot,
      sessionId: ids.commission,
      reason: "Conflit d'intérêts déclaré devant le jury, ne peut plus signer la grille",
      password: "quorum-demo",
    });
    expect(recorded.status).toBeLessThan(400);
    expect(await server.prisma.signerUnavailability.count({ where: { documentId: ids.slot, userId: ids.marie } })).toBe(1);

    const todo = await signaturesTodo("secretariat");
    expect(todo.count).toBe(before + 1); // the president and Mehdi have not signed yet
    expect(todo.detail).not.toContain("bloquée");
    expect(todo.links).toEqual([]);
  });
});
