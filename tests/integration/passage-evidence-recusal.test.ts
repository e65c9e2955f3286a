/**
 * The commission's own evidence route applies the jury's recusal rule, against the real production server: Emma sat in
 * the demo's past commission and declared, before a jury, a conflict of interest with its first candidate; the
 * commission's page no longer lists that candidate's pieces for her and their download is refused (a French 403,
 * recorded), while the other members and the secretariat still read them. The candidate's trainer, seated in the
 * commission, is refused his pieces too (the jury's « Formateur du candidat »).
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { decodeHtml, readPage } from "../support/html";

let database: TestDatabase;
let server: TestServer;
const ids = { live: "", liveSlot: "", marie: "", commission: "", firstSlot: "", firstIdentity: "", firstOther: "", secondSlot: "", secondPiece: "", emma: "", colleague: "", colleagueEmail: "" };
const cookies: Record<string, string> = {};
const EMMA = "evaluateur-externe@quorum.test";

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const commission = await prisma.session.findFirstOrThrow({
      where: { title: "Commission d'évaluation (passée) — CQP Assistant(e) de formation", status: "CLOSED" },
      include: { slots: { orderBy: { position: "asc" } }, members: { include: { user: true } } },
    });
    ids.commission = commission.id;
    const [first, second] = commission.slots;
    ids.firstSlot = first!.id;
    ids.secondSlot = second!.id;
    const emma = commission.members.find((m) => m.user.email === EMMA)!;
    const colleague = commission.members.find((m) => m.user.email !== EMMA && m.role !== "OBSERVER")!;
    ids.emma = emma.userId;
    ids.colleague = colleague.userId;
    ids.colleagueEmail = colleague.user.email;
    const piece = async (dossierId: string, kind: "IDENTITY" | "OTHER", fileName: string) => {
      const content = Buffer.from(`%PDF-1.4 ${fileName} (test)`);
      const sha256 = createHash("sha256").update(content).digest("hex");
      return (await prisma.evidence.create({ data: { dossierId, kind, fileName, mimeType: "application/pdf", size: content.byteLength, sha256, content } })).id;
    };
    ids.firstIdentity = await piece(first!.dossierId!, "IDENTITY", "identite-premier.pdf");
    ids.firstOther = await piece(first!.dossierId!, "OTHER", "preuve-premier.pdf");
    ids.secondPiece = await piece(second!.dossierId!, "OTHER", "preuve-second.pdf");

    // Before a later jury of the organisation, Emma declared a conflict of interest with the first candidate.
    await prisma.session.create({
      data: {
        organisationId: commission.organisationId,
        kind: "JURY",
        title: "Jury paritaire — déclaration de conflit (test)",
        startsAt: new Date(Date.now() + 86_400_000),
        endsAt: new Date(Date.now() + 90_000_000),
        referentialVersionId: commission.referentialVersionId,
        members: { create: [{ userId: emma.userId, role: "MEMBER", college: "EMPLOYEE" }] },
        agenda: { create: [{ dossierId: first!.dossierId!, position: 1, conflicts: { create: [{ userId: emma.userId, conflict: true }] } }] },
      },
    });
    // In the demo's live commission, Marie (membre1) evaluates its first candidate: she too declared, before a jury of
    // the organisation, a conflict of interest with him.
    const live = await prisma.session.findFirstOrThrow({
      where: { title: "Commission d'évaluation — CQP Assistant(e) de formation", kind: "COMMISSION", status: { not: "CLOSED" } },
      include: { slots: { orderBy: { position: "asc" }, include: { candidate: { include: { dossiers: true } } } } },
    });
    const liveSlot = live.slots[0]!;
    const marie = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.membre1 } });
    ids.live = live.id;
    ids.liveSlot = liveSlot.id;
    ids.marie = marie.id;
    await prisma.session.create({
      data: {
        organisationId: live.organisationId,
        kind: "JURY",
        title: "Jury paritaire — conflit déclaré par Marie (test)",
        startsAt: new Date(Date.now() + 86_400_000),
        endsAt: new Date(Date.now() + 90_000_000),
        referentialVersionId: live.referentialVersionId,
        members: { create: [{ userId: marie.id, role: "MEMBER", college: "EMPLOYEE" }] },
        agenda: { create: [{ dossierId: (liveSlot.dossierId ?? liveSlot.candidate.dossiers[0]!.id), position: 1, conflicts: { create: [{ userId: marie.id, conflict: true }] } }] },
      },
    });
    // Her colleague trained the second candidate.
    await prisma.candidate.update({ where: { id: second!.candidateId }, data: { trainerId: colleague.userId } });
  });
  server = await startServer({ database });
  cookies.emma = await login(server.baseUrl, EMMA);
  cookies.colleague = await login(server.baseUrl, ids.colleagueEmail);
  cookies.secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  cookies.marie = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
  cookies.mehdi = await login(server.baseUrl, DEMO_ACCOUNTS.membre2);
}, 240_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

const piecePath = (slotId: string, evidenceId: string) => `/sessions/${ids.commission}/passages/${slotId}/pieces/${evidenceId}`;

describe("the commission's evidence of a candidate a member is recused for", () => {
  it("refuses Emma the first candidate's pieces (identity and others) with why, and records the refusal", async () => {
    for (const evidenceId of [ids.firstIdentity, ids.firstOther]) {
      const res = await readPage(server.baseUrl, cookies.emma!, piecePath(ids.firstSlot, evidenceId));
      expect(res.status).toBe(403);
      expect(res.text).toContain("Vous êtes récusé pour ce candidat (conflit d'intérêts déclaré) : les pièces de son dossier ne vous sont pas accessibles.");
      expect(res.text).not.toContain("%PDF");
    }
    const refusals = await server.prisma.auditEvent.count({ where: { action: "access.refused", actorId: ids.emma, subjectId: { in: [ids.firstIdentity, ids.firstOther] } } });
    expect(refusals).toBe(2);
    // The second candidate's pieces are still hers.
    const other = await readPage(server.baseUrl, cookies.emma!, piecePath(ids.secondSlot, ids.secondPiece));
    expect(other.status).toBe(200);
    expect(other.text).toContain("%PDF-1.4 preuve-second.pdf");
  });

  it("lists none of them for her in the commission's page, saying why; her colleague and the secretariat keep them", async () => {
    const page = await readPage(server.baseUrl, cookies.emma!, `/sessions/${ids.commission}?candidat=${ids.firstSlot}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Vous êtes récusé pour ce candidat (conflit d'intérêts déclaré)");
    expect(page.text).not.toContain(piecePath(ids.firstSlot, ids.firstIdentity));
    expect(page.text).not.toContain("identite-premier.pdf");
    for (const cookie of [cookies.colleague!, cookies.secretariat!]) {
      const seen = await readPage(server.baseUrl, cookie, `/sessions/${ids.commission}?candidat=${ids.firstSlot}`);
      expect(decodeHtml(seen.text)).toContain(piecePath(ids.firstSlot, ids.firstIdentity));
      const res = await readPage(server.baseUrl, cookie, piecePath(ids.firstSlot, ids.firstIdentity));
      expect(res.status).toBe(200);
      expect(res.text).toContain("%PDF-1.4 identite-premier.pdf");
    }
  });

  it("refuses the candidate's trainer his pieces too, the secretariat still reads them", async () => {
    const refused = await readPage(server.baseUrl, cookies.colleague!, piecePath(ids.secondSlot, ids.secondPiece));
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Vous êtes récusé pour ce candidat (formateur du candidat)");
    expect((await readPage(server.baseUrl, cookies.secretariat!, piecePath(ids.secondSlot, ids.secondPiece))).status).toBe(200);
  });
});

describe("a commission member recused for a candidate", () => {
  const declare = (cookie: string) =>
    fetch(`${server.baseUrl}/sessions/${ids.live}/passages/${ids.liveSlot}`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: server.baseUrl },
      body: new URLSearchParams({ intent: "declare" }),
    });

  it("cannot declare « no conflict » for him after declaring a conflict: refused in French, nothing recorded, so she never scores his grid", async () => {
    // Her room says why she does not evaluate him, instead of offering the declaration; her colleague's offers it.
    const room = (cookie: string) => readPage(server.baseUrl, cookie, `/sessions/${ids.live}?candidat=${ids.liveSlot}`);
    const hers = decodeHtml((await room(cookies.marie!)).text);
    expect(hers).toContain("Lecture seule : vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury. Vous ne pouvez pas l'évaluer.");
    expect(hers).not.toContain("Je déclare n'avoir aucun conflit d'intérêts");
    const his = decodeHtml((await room(cookies.mehdi!)).text);
    expect(his).toContain("Je déclare n'avoir aucun conflit d'intérêts");
    expect(his).not.toContain("vous avez déclaré un conflit d'intérêts");

    const refused = await declare(cookies.marie!);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe(
      "Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne pouvez pas l'évaluer. Rien n'a été enregistré.",
    );
    expect(await server.prisma.conflictDeclaration.count({ where: { slotId: ids.liveSlot, userId: ids.marie } })).toBe(0);
    // Her colleague, with no link to him, declares as before.
    const colleague = await declare(cookies.mehdi!);
    expect(colleague.status).toBe(200);
  });
});
