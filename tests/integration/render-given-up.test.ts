/**
 * The render runner gives up on a PDF, and the open rooms are told (app/signing/render-jobs.server.ts: after its last
 * attempt, FAILED, then `render:state` FAILED to the document's session and to the sessions showing it). On the real
 * production server with the demo, whose renders really fail: its PDF time limit is one millisecond
 * (QUORUM_RENDER_TIMEOUT_MS=1), so every render is interrupted in its worker thread (« rendu PDF interrompu après
 * 1 ms »). No PDF is stored, nothing is faked but the five earlier attempts.
 *
 * - The signed commission grid of a candidate on the planned jury's agenda loses its PDF and goes back to the queue
 *   having already failed five times (its sixth attempt is its last). Two seated members have the jury room open (its
 *   socket.io room joined): both receive `render:state` FAILED for that grid (never DONE), and the room then says in
 *   French « Le PDF n'a pas pu être produit (6 essais). … », with « Relancer la production du PDF » for the secretariat
 *   only; the job is FAILED with the time limit as its last error, and the log says « abandon ».
 * - The same for a signed fiche de décision of the desk's jury: its president's socket in that jury's room is told, and
 *   the sheet the room re-reads carries the failure (6 attempts), the relaunch offered to the secretariat only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientTracker, connectEvents, recordRenderStates, until, type EventsClient, type RenderState } from "../support/clients";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { decodeHtml } from "../support/html";
import { inDemoOrganisation } from "../support/demo-organisation";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
const ids = { jury: "", slot: "", deskJury: "", agendaItem: "" };

const FAILED_TEXT = "Le PDF n'a pas pu être produit (6 essais). Le secrétariat de l'organisme peut relancer sa production.";

type Grid = { slotId: string; status: string; pdfUrl: string | null; pdfFailure: { attempts: number } | null };
type Sheet = { status: string; pdfUrl: string | null; pdfFailure: { attempts: number } | null; viewer: { canRetry: boolean } };

const clients = clientTracker();
/** Someone's socket.io client in a session's room, with the `render:state` events it receives. */
async function watch(who: string, sessionId: string): Promise<{ client: EventsClient; received: RenderState[] }> {
  const client = clients.track(connectEvents(server.baseUrl, cookies[who]!));
  const received = recordRenderStates(client);
  expect(await client.join(sessionId)).toMatchObject({ ok: true });
  return { client, received };
}
/** The render states a watcher was told for one document in one session's room. */
const statesOf = (watcher: { received: RenderState[] }, sessionId: string, kind: string, documentId: string) =>
  watcher.received.filter((e) => e.sessionId === sessionId && e.kind === kind && e.documentId === documentId).map((e) => e.status);

const page = (who: string, path: string, json = false) =>
  fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookies[who]!, ...(json ? { Accept: "application/json" } : {}) } });
async function grid(who: string): Promise<Grid> {
  const res = await page(who, `/sessions/${ids.jury}/jury`, true);
  expect(res.status).toBe(200);
  const { room } = (await res.json()) as { room: { agenda: Array<{ grids: Grid[] }> } };
  return room.agenda.flatMap((a) => a.grids).find((g) => g.slotId === ids.slot)!;
}
async function sheet(who: string): Promise<Sheet> {
  const res = await page(who, `/sessions/${ids.deskJury}/decisions/${ids.agendaItem}`, true);
  expect(res.status).toBe(200);
  return ((await res.json()) as { view: { sheet: Sheet } }).view.sheet;
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  server = await startServer({ database, env: { QUORUM_RENDER_TIMEOUT_MS: "1" } });
  // The planned jury with an agenda, and the signed commission grid of one of its candidates.
  const jury = await server.prisma.session.findFirstOrThrow({
    where: { ...inDemoOrganisation, kind: "JURY", status: "PLANNED", agenda: { some: {} } },
    select: { id: true, agenda: { select: { dossierId: true }, orderBy: { position: "asc" } } },
  });
  ids.jury = jury.id;
  const slot = await server.prisma.sessionSlot.findFirstOrThrow({
    where: { dossierId: { in: jury.agenda.map((a) => a.dossierId) }, gridStatus: "SIGNED", session: { kind: "COMMISSION" } },
    orderBy: { startsAt: "asc" },
  });
  ids.slot = slot.id;
  // The desk's jury: Jeanne (membre3) presides it and signed its fiches de décision; she evaluated none of its candidates.
  const signed = await server.prisma.juryDecisionSheet.findFirstOrThrow({
    where: { status: "SIGNED", decision: { session: { title: "Délibération du jury — CQP Assistant(e) de formation" } } },
    orderBy: { signedAt: "asc" },
    select: { decision: { select: { sessionId: true, agendaItemId: true } } },
  });
  ids.deskJury = signed.decision.sessionId;
  ids.agendaItem = signed.decision.agendaItemId;
  for (const who of ["membre1", "membre3", "president", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 240_000);

afterAll(async () => {
  clients.closeAll();
  if (server && server.exitCode === null) await server.stop();
  await database?.dispose();
});

/** The document's PDF removed and its job queued again after five failed attempts: the runner's next one is its last. */
async function failedFiveTimes(kind: string, documentId: string) {
  await server.prisma.signedDocument.delete({ where: { kind_documentId: { kind, documentId } } });
  const queued = await server.prisma.renderJob.updateMany({
    where: { documentKind: kind, documentId },
    data: { status: "PENDING", attempts: 5, nextAttemptAt: new Date(), lastError: "rendu PDF interrompu après 1 ms", finishedAt: null },
  });
  expect(queued.count).toBe(1);
}

/** Waits until each watcher was told the document's render was given up on — and never that it was stored. */
async function toldGivenUp(watchers: Array<{ received: RenderState[] }>, sessionId: string, kind: string, documentId: string) {
  for (const w of watchers) {
    await until(() => statesOf(w, sessionId, kind, documentId).includes("FAILED"), `${kind} ${documentId} given up, announced in the room`, {
      // The runner looks at its queue every five seconds.
      timeoutMs: 30_000,
      details: () => ({ received: w.received, logs: server.logs().slice(-3000) }),
    });
    expect(statesOf(w, sessionId, kind, documentId)).toEqual(["FAILED"]);
  }
  const job = await server.prisma.renderJob.findFirstOrThrow({ where: { documentKind: kind, documentId } });
  expect(job).toMatchObject({ status: "FAILED", attempts: 6, lastError: "rendu PDF interrompu après 1 ms" });
  expect(await server.prisma.signedDocument.count({ where: { kind, documentId } })).toBe(0);
  expect(server.logs()).toContain(`[pdf] ${kind} ${documentId} : rendu échoué (essai 6, abandon)`);
}

describe("a PDF the runner gives up on after its last attempt", () => {
  it("a commission grid on the jury's agenda: the jury room's sockets are told, the room says so in French", async () => {
    expect((await grid("membre1")).pdfUrl).not.toBeNull();
    const watchers = [await watch("membre1", ids.jury), await watch("membre3", ids.jury)];
    await failedFiveTimes("grid", ids.slot);
    await toldGivenUp(watchers, ids.jury, "grid", ids.slot);

    expect(await grid("membre1")).toMatchObject({ status: "SIGNED", pdfUrl: null, pdfFailure: { attempts: 6 } });
    const member = decodeHtml(await (await page("membre1", `/sessions/${ids.jury}`)).text());
    expect(member).toContain(FAILED_TEXT);
    expect(member).not.toContain("Relancer la production du PDF");
    const secretariat = decodeHtml(await (await page("secretariat", `/sessions/${ids.jury}`)).text());
    expect(secretariat).toContain(FAILED_TEXT);
    expect(secretariat).toContain("Relancer la production du PDF");
  }, 90_000);

  it("a fiche de décision: its jury's room is told, the sheet it re-reads carries the failure", async () => {
    expect((await sheet("membre3")).pdfUrl).not.toBeNull();
    const watcher = await watch("membre3", ids.deskJury);
    await failedFiveTimes("decision", ids.agendaItem);
    await toldGivenUp([watcher], ids.deskJury, "decision", ids.agendaItem);

    expect(await sheet("membre3")).toMatchObject({ status: "SIGNED", pdfUrl: null, pdfFailure: { attempts: 6 }, viewer: { canRetry: false } });
    expect(await sheet("secretariat")).toMatchObject({ pdfUrl: null, pdfFailure: { attempts: 6 }, viewer: { canRetry: true } });
  }, 90_000);
});
