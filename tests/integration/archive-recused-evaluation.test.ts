/**
 * The archive follows the jury's recusal (decision 0020): a member recused for a candidate on a jury he sat on does
 * not find that jury's fiche de décision for the candidate in /archives — not listed, its PDF refused with the jury's
 * own sentence (403), its « Vérifier » refused, absent from the session's ZIP — as the jury's route refuses him its PDF
 * (jury-recused-evaluation.test.ts). Before 2026-12-07 the archive listed and served it to him. On the demo's closed
 * « Délibération du jury — CQP Assistant(e) de formation »: Mehdi (membre2, member) declares here a conflict of
 * interest with the first candidate; Jeanne (membre3, its president) declared no link and keeps it, as does the
 * secretariat; Mehdi keeps the other candidate's fiche.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strFromU8, unzipSync } from "fflate";
import { login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";
import { withPrisma } from "../support/prisma";
import { until } from "../support/clients";
import { decodeHtml } from "../support/html";

let database: TestDatabase;
let server: TestServer;
const cookies: Record<string, string> = {};
const ids = { jury: "", item: "", otherItem: "", sheet: "", otherSheet: "" };
const WITHHELD = "Vous êtes récusé pour ce candidat (conflit d'intérêts déclaré) : son évaluation (grilles de la commission, issue calculée par le règlement, fiche de décision) ne vous est pas accessible.";

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await withPrisma(database, async (prisma) => {
    const jury = await prisma.session.findFirstOrThrow({
      where: { title: "Délibération du jury — CQP Assistant(e) de formation", kind: "JURY" },
      include: { agenda: { orderBy: { position: "asc" } } },
    });
    ids.jury = jury.id;
    const [first, second] = jury.agenda;
    ids.item = first!.id;
    ids.otherItem = second!.id;
    const mehdi = await prisma.user.findUniqueOrThrow({ where: { email: "membre2@quorum.test" } });
    // Seated by the demo, he declared no link with the first candidate at the sitting; a conflict declared since.
    await prisma.juryConflictDeclaration.update({
      where: { agendaItemId_userId: { agendaItemId: first!.id, userId: mehdi.id } },
      data: { conflict: true },
    });
  });
  server = await startServer({ database });
  for (const who of ["membre2", "membre3", "secretariat"]) cookies[who] = await login(server.baseUrl, `${who}@quorum.test`);
  // The sheets of a closed jury are sealed (PDF rendered and archived) at start.
  const sheetOf = (itemId: string) => server.prisma.signedDocument.findFirst({ where: { kind: "decision", documentId: itemId, organisationId: { not: null } } });
  await until(async () => (await sheetOf(ids.item)) !== null && (await sheetOf(ids.otherItem)) !== null, "both sheets archived", { timeoutMs: 90_000 });
  ids.sheet = (await sheetOf(ids.item))!.id;
  ids.otherSheet = (await sheetOf(ids.otherItem))!.id;
}, 240_000);

afterAll(async () => {
  if (server && server.exitCode === null && server.exitSignal === null) await server.stop();
  await database?.dispose();
});

const get = (who: string, path: string) => fetch(`${server.baseUrl}${path}`, { headers: { Cookie: cookies[who]! } });
/** The documents the archive's page lists to its viewer (for this jury's fiches): their ids, from their download links. */
async function listed(who: string): Promise<string[]> {
  const res = await get(who, `/archives?session=${ids.jury}&type=decision`);
  expect(res.status).toBe(200);
  return [...(await res.text()).matchAll(/\/archives\/([^/"]+)\/document\.pdf/g)].map((m) => m[1]!);
}
/** The session's ZIP as its viewer downloads it: the SHA-256 of each file, from its manifest. */
async function zipped(who: string): Promise<string> {
  const res = await get(who, `/archives/sessions/${ids.jury}/dossier.zip`);
  expect(res.status).toBe(200);
  return strFromU8(unzipSync(new Uint8Array(await res.arrayBuffer()))["MANIFESTE-SHA256.txt"]!);
}
const hashOf = async (documentId: string) => (await server.prisma.signedDocument.findUniqueOrThrow({ where: { id: documentId } })).sha256;

describe("the archive and a member recused for a candidate on a jury he sat on", () => {
  it("does not list him the candidate's fiche de décision, and refuses him its PDF and its check with the jury's sentence", async () => {
    const mine = await listed("membre2");
    expect(mine).not.toContain(ids.sheet);
    expect(mine).toContain(ids.otherSheet);
    const pdf = await get("membre2", `/archives/${ids.sheet}/document.pdf`);
    expect(pdf.status).toBe(403);
    expect(((await pdf.json()) as { formErrors: string[] }).formErrors).toEqual([WITHHELD]);
    const check = await fetch(`${server.baseUrl}/archives`, {
      method: "POST",
      headers: { Cookie: cookies.membre2!, Origin: server.baseUrl },
      body: new URLSearchParams({ documentId: ids.sheet }),
    });
    expect(check.status).toBe(403);
    expect(decodeHtml(await check.text())).toContain(WITHHELD);
    expect((await get("membre2", `/archives/${ids.otherSheet}/document.pdf`)).status).toBe(200);
  });

  it("leaves the candidate's fiche out of the session's ZIP he downloads, the other candidate's in", async () => {
    const manifest = await zipped("membre2");
    expect(manifest).not.toContain(await hashOf(ids.sheet));
    expect(manifest).toContain(await hashOf(ids.otherSheet));
  });

  it("keeps it for a member of the same jury who declared no link, and for the secretariat", async () => {
    for (const who of ["membre3", "secretariat"]) {
      expect(await listed(who)).toEqual(expect.arrayContaining([ids.sheet, ids.otherSheet]));
      const pdf = await get(who, `/archives/${ids.sheet}/document.pdf`);
      expect(pdf.status).toBe(200);
      expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
      expect(await zipped(who)).toContain(await hashOf(ids.sheet));
    }
  });
});
