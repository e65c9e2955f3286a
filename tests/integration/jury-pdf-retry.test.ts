/**
 * A PDF the render runner gave up on, as the jury sees it, on the real server: the demo with, made to have failed for
 * good while the server is stopped (six attempts), the signed commission grid of a candidate on the planned jury's
 * agenda and a signed fiche de décision of the desk's jury.
 * - The jury room (GET /sessions/:id/jury) and the decision sheet's panel say the render failed, not « en
 *   préparation »; they offer the relaunch to the organisation's secretariat only (`viewer.manages`,
 *   `viewer.canRetry`), never to a seated member who does not manage it.
 * - The relaunch's route refuses those members (403), the PDF still failed; the secretariat's relaunch shows it in
 *   preparation at once, then its link; a second relaunch changes nothing (idempotent); one audit event each.
 * - The rooms open meanwhile are told, over the session's socket.io room, by `render:state`: every seated member's
 *   socket (not only the relauncher's) receives the relaunch (PENDING), then the stored PDF (DONE) — their room re-reads
 *   then, instead of polling.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientTracker, connectEvents, recordRenderStates, until, type EventsClient, type RenderState } from "../support/clients";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { decodeHtml } from "../support/html";
import { withPrisma } from "../support/prisma";
import { inDemoOrganisation } from "../support/demo-organisation";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
/** The planned jury and its candidate's failed grid; the desk's jury and its failed decision sheet. */
const ids = { jury: "", slot: "", deskJury: "", agendaItem: "" };

const FAILED_TEXT = "Le PDF n'a pas pu être produit (6 essais). Le secrétariat de l'organisme peut relancer sa production.";

type Grid = { slotId: string; status: string; pdfUrl: string | null; pdfFailure: { attempts: number } | null };
type Room = { viewer: { manages: boolean }; agenda: Array<{ grids: Grid[] }> };
type Sheet = { status: string; pdfUrl: string | null; pdfFailure: { attempts: number } | null; viewer: { canRetry: boolean } };

const clients = clientTracker();
/** A seated member's socket.io client in a session's room, with the `render:state` events it receives. */
async function watch(who: string, sessionId: string): Promise<{ client: EventsClient; received: RenderState[] }> {
  const client = clients.track(connectEvents(server.baseUrl, cookies[who]!));
  const received = recordRenderStates(client);
  expect(await client.join(sessionId)).toMatchObject({ ok: true });
  return { client, received };
}
const told = (watcher: { received: RenderState[] }, sessionId: string, kind: string, documentId: string, status: string) =>
  watcher.received.some((e) => e.sessionId === sessionId && e.kind === kind && e.documentId === documentId && e.status === status);

const get = (who: string, path: string) => fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookies[who]!, Accept: "application/json" } });
async function room(who: string): Promise<Room> {
  const res = await get(who, `/sessions/${ids.jury}/jury`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { room: Room }).room;
}
async function grid(who: string): Promise<Grid> {
  return (await room(who)).agenda.flatMap((a) => a.grids).find((g) => g.slotId === ids.slot)!;
}
async function sheet(who: string): Promise<Sheet> {
  const res = await get(who, `/sessions/${ids.deskJury}/decisions/${ids.agendaItem}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { view: { sheet: Sheet } }).view.sheet;
}
const relaunch = (who: string, kind: string, documentId: string) =>
  fetch(`${server.baseUrl}/sessions/pdf/relancer`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ kind, documentId }),
  });

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const jury = await prisma.session.findFirstOrThrow({
      where: { ...inDemoOrganisation, kind: "JURY", status: "PLANNED", agenda: { some: {} } },
      select: { id: true, agenda: { select: { dossierId: true }, orderBy: { position: "asc" } } },
    });
    ids.jury = jury.id;
    const slot = await prisma.sessionSlot.findFirstOrThrow({
      where: { dossierId: { in: jury.agenda.map((a) => a.dossierId) }, gridStatus: "SIGNED", session: { kind: "COMMISSION" } },
      orderBy: { startsAt: "asc" },
    });
    ids.slot = slot.id;
    // The desk's jury: Jeanne (membre3) presides it and signed its fiches de décision; she evaluated none of its candidates.
    const signed = await prisma.juryDecisionSheet.findFirstOrThrow({
      where: { status: "SIGNED", decision: { session: { title: "Délibération du jury — CQP Assistant(e) de formation" } } },
      orderBy: { signedAt: "asc" },
      select: { decision: { select: { sessionId: true, agendaItemId: true } } },
    });
    ids.deskJury = signed.decision.sessionId;
    ids.agendaItem = signed.decision.agendaItemId;
    for (const [kind, documentId] of [
      ["grid", ids.slot],
      ["decision", ids.agendaItem],
    ] as const) {
      await prisma.signedDocument.delete({ where: { kind_documentId: { kind, documentId } } });
      const failed = await prisma.renderJob.updateMany({
        where: { documentKind: kind, documentId },
        data: { status: "FAILED", attempts: 6, lastError: "police introuvable", finishedAt: null },
      });
      expect(failed.count).toBe(1);
    }
  });
  server = await startServer({ database });
  for (const who of ["membre1", "membre3", "president", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
}, 240_000);

afterAll(async () => {
  clients.closeAll();
  if (server && server.exitCode === null) await server.stop();
  await database?.dispose();
});

describe("a commission grid's PDF given up on, in the jury room", () => {
  it("is said to have failed; only the secretariat relaunches it, once; the room then shows it in preparation, then its link", async () => {
    // A seated member: the failure and who can relaunch, no relaunch.
    expect(await grid("membre1")).toMatchObject({ status: "SIGNED", pdfUrl: null, pdfFailure: { attempts: 6 } });
    expect((await room("membre1")).viewer.manages).toBe(false);
    expect((await room("president")).viewer.manages).toBe(false);
    let html = decodeHtml(await (await get("membre1", `/sessions/${ids.jury}`)).text());
    expect(html).toContain(FAILED_TEXT);
    expect(html).not.toContain("Relancer la production du PDF");
    // The secretariat: the relaunch.
    expect((await room("secretariat")).viewer.manages).toBe(true);
    html = decodeHtml(await (await get("secretariat", `/sessions/${ids.jury}`)).text());
    expect(html).toContain(FAILED_TEXT);
    expect(html).toContain("Relancer la production du PDF");

    // Seated members who do not manage the organisation are refused; the PDF is still failed.
    for (const who of ["membre1", "president"]) expect((await relaunch(who, "grid", ids.slot)).status).toBe(403);
    expect(await grid("membre1")).toMatchObject({ pdfUrl: null, pdfFailure: { attempts: 6 } });
    expect((await relaunch("secretariat", "grid", "inconnu")).status).toBe(404);

    // Two other seated members have the jury room open (its socket.io room joined).
    const watchers = [await watch("membre1", ids.jury), await watch("membre3", ids.jury)];
    const retried = await relaunch("secretariat", "grid", ids.slot);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ ok: true, retried: true });
    // Each is told of the relaunch, then of the stored PDF, without reading the room.
    for (const w of watchers) await until(() => told(w, ids.jury, "grid", ids.slot, "PENDING"), "the relaunch announced to a seated member", { timeoutMs: 10_000 });
    for (const w of watchers) await until(() => told(w, ids.jury, "grid", ids.slot, "DONE"), "the stored grid PDF announced to a seated member", { timeoutMs: 60_000 });
    // No longer failed: in preparation (or already rendered), then its link, which downloads.
    expect((await grid("membre1")).pdfFailure).toBeNull();
    let shown = await grid("membre1");
    await until(async () => (shown = await grid("membre1")).pdfUrl !== null, "the relaunched grid's PDF in the jury room", { timeoutMs: 60_000 });
    const pdf = await get("membre1", shown.pdfUrl!);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const again = await relaunch("secretariat", "grid", ids.slot);
    expect(await again.json()).toMatchObject({ ok: true, retried: false, message: expect.stringContaining("rien à relancer") });
  }, 120_000);
});

describe("a fiche de décision's PDF given up on", () => {
  it("is said to have failed; its president cannot relaunch it, the secretariat does, once; its link follows", async () => {
    expect(await sheet("membre3")).toMatchObject({ status: "SIGNED", pdfUrl: null, pdfFailure: { attempts: 6 }, viewer: { canRetry: false } });
    expect(await sheet("secretariat")).toMatchObject({ pdfFailure: { attempts: 6 }, viewer: { canRetry: true } });
    expect((await relaunch("membre3", "decision", ids.agendaItem)).status).toBe(403);
    expect(await sheet("membre3")).toMatchObject({ pdfUrl: null, pdfFailure: { attempts: 6 } });

    // Its president has the jury room open: told of the relaunch, then of the sealed PDF.
    const watcher = await watch("membre3", ids.deskJury);
    const retried = await relaunch("secretariat", "decision", ids.agendaItem);
    expect(await retried.json()).toMatchObject({ ok: true, retried: true });
    await until(() => told(watcher, ids.deskJury, "decision", ids.agendaItem, "PENDING"), "the sheet's relaunch announced", { timeoutMs: 10_000 });
    await until(() => told(watcher, ids.deskJury, "decision", ids.agendaItem, "DONE"), "the sheet's stored PDF announced", { timeoutMs: 60_000 });
    let shown = await sheet("membre3");
    expect(shown.pdfFailure).toBeNull();
    expect(shown.viewer.canRetry).toBe(false);
    await until(async () => (shown = await sheet("membre3")).pdfUrl !== null, "the relaunched sheet's PDF", { timeoutMs: 60_000 });
    expect((await get("membre3", shown.pdfUrl!)).status).toBe(200);
    expect(await (await relaunch("secretariat", "decision", ids.agendaItem)).json()).toMatchObject({ ok: true, retried: false });
  }, 120_000);

  it("leaves one audit event per relaunch that reset a failed render, by the secretariat, and the jobs done", async () => {
    await server.stop();
    await withPrisma(database, async (prisma) => {
      const secretariat = await prisma.user.findUniqueOrThrow({ where: { email: "secretariat@quorum.test" } });
      for (const [kind, documentId] of [
        ["grid", ids.slot],
        ["decision", ids.agendaItem],
      ] as const) {
        const audited = await prisma.auditEvent.findMany({ where: { action: `${kind}.pdf_render_retried`, subjectId: documentId } });
        expect(audited.map((a) => [a.actorId, a.data])).toEqual([[secretariat.id, expect.objectContaining({ failedAttempts: 6, lastError: "police introuvable" })]]);
        expect(await prisma.renderJob.findFirstOrThrow({ where: { documentKind: kind, documentId } })).toMatchObject({ status: "DONE", attempts: 1 });
      }
    });
  }, 60_000);
});
