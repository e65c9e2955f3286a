/**
 * A jury member recused for a candidate does not read the candidate's evaluation (decision 0020, « Recused members and
 * the evaluation »): the commission's signed grid PDF and the sealed fiche de décision are refused him in French (403),
 * and the jury room shows him why instead of the grids and their links. Before 2026-12-07 his pieces were refused but
 * both PDFs downloaded. On the demo's closed « Délibération du jury — CQP Assistant(e) de formation », whose two
 * candidates have signed commission grids and sealed sheets, and whose two members evaluated neither: Mehdi (membre2,
 * member) declares here a conflict of interest with the first candidate, Jeanne (membre3, its president) declared no
 * link; the secretariat reads everything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { until } from "../support/clients";
import { decodeHtml } from "../support/html";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
const ids = { jury: "", item: "", slot: "", otherItem: "", otherSlot: "" };
const WITHHELD = "Vous êtes récusé pour ce candidat (conflit d'intérêts déclaré) : son évaluation (grilles de la commission, issue calculée par le règlement, fiche de décision) ne vous est pas accessible.";

const MOTIVE = "Entretien probant : le jury s'écarte de la commission sur ce point.";
const REMARK = "Commentaire absent, le jury a entendu les évaluateurs.";

type Target = { id: string; commissionOutcome: string | null };
type Room = {
  agenda: Array<{
    agendaItemId: string;
    grids: Array<{ slotId: string; pdfUrl: string | null }>;
    evaluationWithheld: string | null;
    outcome: { outcome: string } | null;
    targets: Array<Target & { competences: Target[] }>;
    decision: { overall: string; items: Array<{ code: string; acquired: boolean; commissionOutcome: string | null; followed: boolean | null; reason: string | null }> } | null;
    conformity: { conform: boolean; items: Array<{ key: string; reason: string | null }> } | null;
    conformityAck: { at: string; remarks: Record<string, string> | null } | null;
  }>;
};

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const jury = await prisma.session.findFirstOrThrow({
      where: { title: "Délibération du jury — CQP Assistant(e) de formation", kind: "JURY" },
      include: { agenda: { orderBy: { position: "asc" }, include: { dossier: true } } },
    });
    ids.jury = jury.id;
    const [first, second] = jury.agenda;
    ids.item = first!.id;
    ids.otherItem = second!.id;
    const slotOf = async (dossierId: string) => (await prisma.sessionSlot.findFirstOrThrow({ where: { dossierId, gridStatus: "SIGNED" } })).id;
    ids.slot = await slotOf(first!.dossierId);
    ids.otherSlot = await slotOf(second!.dossierId);
    const user = (email: string) => prisma.user.findUniqueOrThrow({ where: { email } });
    const [mehdi, jeanne] = await Promise.all([user("membre2@quorum.test"), user("membre3@quorum.test")]);
    // Both seated by the demo, both declared no link with either candidate at the sitting.
    const seats = await prisma.sessionMember.findMany({ where: { sessionId: jury.id, userId: { in: [mehdi.id, jeanne.id] } } });
    expect(seats.map((m) => [m.userId, m.role]).sort()).toEqual(
      [
        [mehdi.id, "MEMBER"],
        [jeanne.id, "PRESIDENT"],
      ].sort(),
    );
    const declared = await prisma.juryConflictDeclaration.findMany({ where: { agendaItemId: first!.id, userId: { in: [mehdi.id, jeanne.id] } } });
    expect(declared.map((d) => d.conflict)).toEqual([false, false]);
    // Mehdi's link with the first candidate, declared since (a conflict recuses him for that candidate).
    await prisma.juryConflictDeclaration.update({
      where: { agendaItemId_userId: { agendaItemId: first!.id, userId: mehdi.id } },
      data: { conflict: true },
    });
    // The jury departed from the commission on one of the first candidate's items, with its motive, and examined a
    // non-conformity of its process with a remark.
    const decision = await prisma.juryDecision.findFirstOrThrow({ where: { agendaItemId: first!.id }, include: { items: { orderBy: { code: "asc" } } } });
    await prisma.juryDecisionItem.update({ where: { id: decision.items[0]!.id }, data: { reason: MOTIVE } });
    await prisma.juryAgendaItem.update({
      where: { id: first!.id },
      data: { conformityAckAt: new Date(), conformityAckById: jeanne.id, conformityRemarks: { comments: REMARK } },
    });
  });
  server = await startServer({ database });
  for (const who of ["membre2", "membre3", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  // The sheets and grids of a closed jury are sealed (PDF rendered) at start.
  await until(async () => (await get("secretariat", sheetPdf(ids.item))).status === 200, "the sheet's PDF rendered", { timeoutMs: 90_000 });
}, 240_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

const get = (who: string, path: string) => fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookies[who]! } });
const gridPdf = (slotId: string) => `/sessions/${ids.jury}/jury/grilles/${slotId}`;
const sheetPdf = (itemId: string) => `/sessions/${ids.jury}/decisions/${itemId}/fiche.pdf`;
async function room(who: string): Promise<Room> {
  return ((await (await get(who, `/sessions/${ids.jury}/jury`)).json()) as { room: Room }).room;
}

describe("a jury member recused for a candidate and the candidate's evaluation", () => {
  it("refuses him the commission's grid PDF and the fiche de décision PDF, in French", async () => {
    const grid = await get("membre2", gridPdf(ids.slot));
    expect(grid.status).toBe(403);
    expect(await grid.text()).toBe(WITHHELD);
    const sheet = await get("membre2", sheetPdf(ids.item));
    expect(sheet.status).toBe(403);
    const page = decodeHtml(await sheet.text());
    expect(page).toContain("Fiche de décision non accessible");
    expect(page).toContain(WITHHELD);
    expect(page).not.toContain("%PDF");
  });

  it("does not show him the grids nor the sheet's link, saying why; the other candidate's stay his", async () => {
    const agenda = (await room("membre2")).agenda;
    const mine = agenda.find((a) => a.agendaItemId === ids.item)!;
    expect(mine.evaluationWithheld).toBe(WITHHELD);
    expect(mine.grids).toEqual([]);
    const other = agenda.find((a) => a.agendaItemId === ids.otherItem)!;
    expect(other.evaluationWithheld).toBeNull();
    expect(other.grids.map((g) => g.slotId)).toContain(ids.otherSlot);
    const view = (await (await get("membre2", `/sessions/${ids.jury}/decisions/${ids.item}`)).json()) as { view: { sheet: { pdfUrl: string | null; pdfWithheld: string | null } } };
    expect(view.view.sheet.pdfUrl).toBeNull();
    expect(view.view.sheet.pdfWithheld).toBe(WITHHELD);
    expect((await get("membre2", gridPdf(ids.otherSlot))).status).toBe(200);
  });

  it("sends him nothing the commission concluded: no computed issue, no outcome per bloc or competence, the jury's decision without it", async () => {
    const agenda = (await room("membre2")).agenda;
    const mine = agenda.find((a) => a.agendaItemId === ids.item)!;
    // « Issue calculée par le règlement » and the outcomes it is computed from: not in what the room sends him.
    expect(mine.outcome).toBeNull();
    expect(mine.targets.length).toBeGreaterThan(0);
    expect(mine.targets.flatMap((b) => [b, ...b.competences]).map((t) => t.commissionOutcome)).toEqual(mine.targets.flatMap((b) => [null, ...b.competences.map(() => null)]));
    // The jury's decision stays his to read, but not which item followed the commission or what it had found.
    expect(mine.decision?.items.length).toBeGreaterThan(0);
    expect(mine.decision!.items.every((d) => d.commissionOutcome === null && d.followed === null)).toBe(true);
    expect(JSON.stringify(mine)).not.toMatch(/"(commissionOutcome|outcome)":"|"outcomes":/);
    // The other candidate's are his.
    const other = agenda.find((a) => a.agendaItemId === ids.otherItem)!;
    expect(other.conformity?.items.length).toBeGreaterThan(0);
    expect(other.outcome?.outcome).toMatch(/^(total|partial|none|pending)$/);
    expect(other.targets.every((b) => b.commissionOutcome !== null)).toBe(true);
  });

  it("sends him neither the conformity checklist (read on the evaluation) nor its examination, the panel says why", async () => {
    const mine = (await room("membre2")).agenda.find((a) => a.agendaItemId === ids.item)!;
    expect(mine.conformity).toBeNull();
    expect(mine.conformityAck).toBeNull();
    expect(JSON.stringify(mine)).not.toContain(REMARK);
  });

  it("sends him the jury's decision per item without the motive of departing from the commission", async () => {
    const mine = (await room("membre2")).agenda.find((a) => a.agendaItemId === ids.item)!;
    expect(mine.decision!.items.map((d) => d.reason)).toEqual(mine.decision!.items.map(() => null));
    expect(mine.decision!.items.every((d) => typeof d.acquired === "boolean")).toBe(true);
    expect(JSON.stringify(mine)).not.toContain(MOTIVE);
  });

  it("keeps them for a member who declared no link and for the secretariat", async () => {
    for (const who of ["membre3", "secretariat"]) {
      const grid = await get(who, gridPdf(ids.slot));
      expect(grid.status).toBe(200);
      expect(Buffer.from(await grid.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
      const sheet = await get(who, sheetPdf(ids.item));
      expect(sheet.status).toBe(200);
      const mine = (await room(who)).agenda.find((a) => a.agendaItemId === ids.item)!;
      expect(mine.evaluationWithheld).toBeNull();
      expect(mine.grids.find((g) => g.slotId === ids.slot)?.pdfUrl).toBe(gridPdf(ids.slot));
      expect(mine.outcome?.outcome).toMatch(/^(total|partial|none|pending)$/);
      expect(mine.targets.every((b) => b.commissionOutcome !== null)).toBe(true);
      expect(mine.decision!.items.every((d) => d.commissionOutcome !== null && d.followed !== null)).toBe(true);
      expect(mine.decision!.items.map((d) => d.reason)).toContain(MOTIVE);
      expect(mine.conformity?.items.length).toBeGreaterThan(0);
      expect(mine.conformityAck?.remarks).toEqual({ comments: REMARK });
    }
  });
});
