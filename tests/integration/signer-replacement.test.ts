/**
 * The vice-president who signs for a prevented president (docs/decisions/0028-signer-unable-to-sign.md, « Le
 * vice-président signe pour le président empêché »), against the real production server: a closed jury whose
 * procès-verbal only its president signs (the scheme has no member sign it). He will never sign: without a replacement
 * his empêchement is refused (the last who could sign). The administration records it from « Membres », naming the
 * session's vice-president, Marie Membre: she is awaited (the members page, the minutes page's list of signers), signs
 * with her password, the procès-verbal completes with her signature, and its sealed PDF's certificate page says « signé
 * par Marie Membre, vice-président(e), pour le président Pierre Président empêché » — never that he signed. Refused, in
 * French and with nothing written: anyone but the vice-president, a vice-president absent from the sitting, a
 * replacement on a grid. Reopening voids the replacement with the round. « Membres » offers the vice-president only
 * when she can sign (not absent, not recused for the fiche's candidate), and says why otherwise. On a fiche de décision
 * the same, its sealed PDF's certificate page (pdftotext) naming her signing « pour le président Pierre Président
 * empêché ».
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/clients";
import { decodeHtml, postForm, readPage } from "../support/html";
import { pastJuryWithOpenMinutes } from "../support/jury-fixtures";
import { withPrisma } from "../support/prisma";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";

describe("the vice-president signs for the prevented president", () => {
  let database: TestDatabase;
  let server: TestServer;
  const cookies: Record<string, string> = {};
  const ids = { juryId: "", presidentId: "", viceId: "", memberId: "", gridSlotId: "", gridSessionId: "" };
  const dir = mkdtempSync(path.join(tmpdir(), "quorum-replacement-"));

  beforeAll(async () => {
    database = await prepareDemoDatabase();
    await withPrisma(database, async (prisma) => {
      ids.juryId = (await pastJuryWithOpenMinutes(prisma)).juryId;
      // Only the president signs this scheme's procès-verbaux: he is its one signer.
      const session = await prisma.session.findUniqueOrThrow({ where: { id: ids.juryId }, include: { referentialVersion: { include: { certification: true } }, members: true } });
      const certification = session.referentialVersion!.certification;
      const scheme = certification.scheme as { jury?: Record<string, unknown> };
      await prisma.certification.update({ where: { id: certification.id }, data: { scheme: { ...scheme, jury: { ...(scheme.jury ?? {}), membersSignMinutes: false } } } });
      const seat = (role: string) => session.members.find((m) => m.role === role)!.userId;
      Object.assign(ids, { presidentId: seat("PRESIDENT"), viceId: seat("VICE_PRESIDENT"), memberId: seat("MEMBER") });
      const slot = await prisma.sessionSlot.findFirstOrThrow({ where: { gridStatus: "SIGNING", candidate: { birthName: "MOREAU" } } });
      Object.assign(ids, { gridSlotId: slot.id, gridSessionId: slot.sessionId });
    });
    server = await startServer({ database });
    for (const who of ["admin", "president", "membre1", "membre2", "secretariat"] as const) cookies[who] = await login(server.baseUrl, DEMO_ACCOUNTS[who]);
    expect((await command("secretariat", { intent: "finalise" })).status).toBe(200);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The sealed PDF at `url` once rendered, read with pdftotext: its certificate page names Marie signing for the
   * prevented Pierre, and Pierre as prevented with his reason, never as a signer.
   */
  async function expectSignedForPrevented(url: string, fileName: string) {
    let pdf: Response | undefined;
    await until(
      async () => {
        pdf = await fetch(`${server.baseUrl}${url}`, { headers: { Cookie: cookies.admin! } });
        return pdf.status === 200 && pdf.headers.get("content-type") === "application/pdf";
      },
      `${fileName} rendered`,
      { timeoutMs: 90_000 },
    );
    const file = path.join(dir, fileName);
    writeFileSync(file, Buffer.from(await pdf!.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    const certificate = text.slice(text.lastIndexOf("Certificat de signature"));
    const [signers, prevented = ""] = certificate.split("Signataires empêchés (n'ont pas signé)");
    expect(signers).toMatch(/Marie Membre — Vice-président\(e\) Qualité : signé par Marie Membre, vice-président\(e\), pour le président Pierre Président empêché Signé le/);
    expect(signers).not.toContain("Pierre Président — ");
    expect(prevented).toMatch(/Pierre Président — Président\(e\) N'a pas signé : empêchement constaté le .* Motif : Hospitalisé durablement.* À sa place : signé par Marie Membre, vice-président\(e\), pour le président Pierre Président empêché/);
  }

  /** A command of the procès-verbal, as its page posts it. */
  const command = (who: string, fields: Record<string, string>) =>
    fetch(`${server.baseUrl}/sessions/${ids.juryId}/proces-verbal/commande`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies[who]!, Origin: server.baseUrl, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
  const sealedHash = async () => (await server.prisma.sessionMinutes.findUniqueOrThrow({ where: { sessionId: ids.juryId } })).sealedHash ?? "";
  const sign = async (who: string) => command(who, { intent: "sign", password: "quorum-demo", consent: "on", contentHash: await sealedHash() });
  const record = (fields: Record<string, string>) =>
    postForm(server.baseUrl, cookies.admin!, "/membres", {
      intent: "unavailable",
      userId: ids.presidentId,
      kind: "minutes",
      documentId: ids.juryId,
      sessionId: ids.juryId,
      reason: "Hospitalisé durablement, ne pourra pas signer",
      password: "quorum-demo",
      ...fields,
    });
  const recorded = () => server.prisma.signerUnavailability.count({ where: { voidedAt: null, documentId: { in: [ids.juryId, ids.gridSlotId] } } });
  const rowOf = (text: string, name: string) => text.split('data-testid="member"').find((r) => r.includes(name)) ?? "";
  const flat = (html: string) => decodeHtml(html).replace(/<[^>]+>/g, "").replace(/\s+/g, " ");
  const minutesPage = async (who: string) => flat((await readPage(server.baseUrl, cookies[who]!, `/sessions/${ids.juryId}/proces-verbal`)).text);

  it("offers to name the vice-president for the president, the only signer, and refuses his empêchement without her", async () => {
    const row = rowOf((await readPage(server.baseUrl, cookies.admin!, "/membres")).text, "president@quorum.test");
    expect(row).toContain('data-testid="replacement-offer"');
    expect(flat(row)).toContain("Marie Membre, vice-président(e) de la séance, signe à sa place");
    const alone = await record({});
    expect(alone.status).toBe(409);
    expect(flat(await alone.text())).toContain("est le dernier signataire possible");
    expect(await recorded()).toBe(0);
  });

  it("refuses, in French, writing nothing: another member than the vice-president, a vice-president absent, a replacement on a grid", async () => {
    const member = await record({ replacementId: ids.memberId });
    expect(member.status).toBe(409);
    expect(flat(await member.text())).toContain("Seul(e) le ou la vice-président(e) de la séance, Marie Membre, peut signer à la place du président");
    // The vice-president never signed in at the sitting (her émargement taken away for this check).
    const arrivals = await server.prisma.juryAttendanceEvent.findMany({ where: { sessionId: ids.juryId, userId: ids.viceId } });
    await server.prisma.juryAttendanceEvent.deleteMany({ where: { id: { in: arrivals.map((a) => a.id) } } });
    const president = rowOf((await readPage(server.baseUrl, cookies.admin!, "/membres")).text, "president@quorum.test");
    const absent = await record({ replacementId: ids.viceId });
    await server.prisma.juryAttendanceEvent.createMany({ data: arrivals });
    // « Membres » did not offer her for the president: it said why, as the command does, before anything was tried.
    expect(president).not.toContain('data-testid="replacement-offer"');
    expect(president).toContain('data-testid="replacement-impossible"');
    expect(flat(president)).toContain("Marie Membre n'était pas présent(e) à la séance : il ou elle ne peut pas signer à la place du président ce qu'il ou elle n'a pas vu.");
    expect(flat(president)).not.toContain("Rien n'a été enregistré");
    expect(absent.status).toBe(409);
    expect(flat(await absent.text())).toContain("Marie Membre n'était pas présent(e) à la séance");
    const grid = await record({ kind: "grid", documentId: ids.gridSlotId, sessionId: ids.gridSessionId, replacementId: ids.viceId });
    expect(grid.status).toBe(409);
    expect(flat(await grid.text())).toContain("Un remplaçant ne peut être désigné que pour le président d'un procès-verbal ou d'une fiche de décision");
    expect(await recorded()).toBe(0);
  });

  it("records the empêchement with the vice-president named; reopening voids it with the round", async () => {
    const done = await record({ replacementId: ids.viceId });
    expect(done.headers.get("location"), flat(await done.clone().text())).toBe("/membres?fait=remplacement");
    const audit = await server.prisma.auditEvent.findFirstOrThrow({ where: { action: "minutes.signer_unavailable", subjectId: ids.juryId } });
    expect(audit.data).toMatchObject({ signerId: ids.presidentId, replacedById: ids.viceId });
    // A member asks for a change: the round goes, its empêchement and its replacement with it.
    const change = await command("membre2", { intent: "request-change", reason: "Corriger l'heure de levée de séance" });
    expect(change.status).toBe(200);
    expect(await recorded()).toBe(0);
    const pending = await server.prisma.signerUnavailability.findFirstOrThrow({ where: { documentId: ids.juryId } });
    expect(pending.voidedAt).not.toBeNull();
    expect(flat((await readPage(server.baseUrl, cookies.admin!, "/membres")).text)).not.toContain("(pour Pierre Président, empêché)");
    expect((await command("secretariat", { intent: "finalise" })).status).toBe(200);
    const again = await record({ replacementId: ids.viceId });
    expect(again.headers.get("location")).toBe("/membres?fait=remplacement");
    expect(await recorded()).toBe(1);
  });

  it("awaits the vice-president as a signer, and refuses the prevented president's own signature", async () => {
    const members = (await readPage(server.baseUrl, cookies.admin!, "/membres")).text;
    const marie = rowOf(members, "membre1@quorum.test");
    expect(flat(marie)).toMatch(/Doit encore signer : procès-verbal du jury du .* \(pour Pierre Président, empêché\)/);
    expect(marie).toContain(`/sessions/${ids.juryId}/proces-verbal`);
    // Her signature for him is not hers to be recorded as prevented: no form for it.
    expect(marie).not.toContain(`name="documentId" value="${ids.juryId}"`);
    // The president is no longer awaited for it (he still is for the demo's grid).
    expect(rowOf(members, "president@quorum.test")).not.toContain(`/sessions/${ids.juryId}/proces-verbal`);
    const page = await minutesPage("membre1");
    expect(page).toContain("Marie Membre — Vice-président(e) : à signer (pour Pierre Président, empêché)");
    expect(page).toContain("pour le président Pierre Président empêché.");
    expect(page).toContain("Signer le procès-verbal");
    const refused = await sign("president");
    expect(refused.status).toBe(409);
    expect(flat(await refused.text())).toContain("Votre empêchement de signer ce document a été constaté");
    expect((await server.prisma.sessionMinutes.findUniqueOrThrow({ where: { sessionId: ids.juryId } })).status).toBe("SIGNING");
  });

  it("completes with her signature, given for him and never as his; the pages and the PDF's certificate say so", async () => {
    const signed = await sign("membre1");
    expect(signed.status, flat(await signed.clone().text())).toBe(200);
    expect((await server.prisma.sessionMinutes.findUniqueOrThrow({ where: { sessionId: ids.juryId } })).status).toBe("SIGNED");
    // No signature of the president, nor of her in her own name (she is no signer of this scheme's minutes).
    expect(await server.prisma.signature.count({ where: { documentKind: "minutes", documentId: ids.juryId, voidedAt: null } })).toBe(0);
    const actions = (await server.prisma.auditEvent.findMany({ where: { subjectId: ids.juryId, action: { startsWith: "minutes." } }, orderBy: { seq: "asc" } })).map((a) => a.action);
    expect(actions.slice(-2)).toEqual(["minutes.signed_for_prevented", "minutes.completed"]);
    // Sent again (a double click): nothing more.
    expect((await sign("membre1")).status).toBe(200);
    expect(await server.prisma.auditEvent.count({ where: { subjectId: ids.juryId, action: "minutes.signed_for_prevented" } })).toBe(1);

    const page = await minutesPage("president");
    expect(page).toContain("Pierre Président — Président(e) : empêchement constaté (ne signe pas) — signé par Marie Membre, vice-président(e), pour le président Pierre Président empêché");
    expect(page).toContain("Marie Membre — Vice-président(e) : signé (pour Pierre Président, empêché)");

    await expectSignedForPrevented(`/sessions/${ids.juryId}/proces-verbal.pdf`, "proces-verbal.pdf");
  }, 120_000);
  describe("on a fiche de décision", () => {
    const fiche = (who: string, agendaItemId: string, fields?: Record<string, string>) =>
      fetch(`${server.baseUrl}/sessions/${ids.juryId}/decisions/${agendaItemId}`, {
        method: fields ? "POST" : "GET",
        redirect: "manual",
        headers: { Cookie: cookies[who]!, Origin: server.baseUrl, ...(fields ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
        ...(fields ? { body: new URLSearchParams(fields) } : {}),
      });
    const recordOn = (agendaItemId: string) =>
      record({ kind: "decision", documentId: agendaItemId, sessionId: ids.juryId, replacementId: ids.viceId });
    const items = () => server.prisma.juryAgendaItem.findMany({ where: { sessionId: ids.juryId }, orderBy: { position: "asc" }, select: { id: true } });

    it("refuses the vice-president recused for the candidate, nothing written", async () => {
      const [first] = await items();
      expect((await fiche("president", first!.id, { intent: "open" })).status).toBe(200);
      await server.prisma.juryConflictDeclaration.updateMany({ where: { agendaItemId: first!.id, userId: ids.viceId }, data: { conflict: true, note: "Ancienne collègue" } });
      // « Membres » does not offer her for this fiche: it says why (the fiche's only pending one, the grid has none).
      const president = rowOf((await readPage(server.baseUrl, cookies.admin!, "/membres")).text, "president@quorum.test");
      expect(president).not.toContain('data-testid="replacement-offer"');
      expect(flat(president)).toContain(
        "Marie Membre est récusé(e) pour ce candidat (conflit d'intérêts déclaré) : il ou elle ne peut pas signer sa fiche à la place du président.",
      );
      const refused = await recordOn(first!.id);
      expect(refused.status).toBe(409);
      expect(flat(await refused.text())).toContain("Marie Membre est récusé(e) pour ce candidat");
      expect(await server.prisma.signerUnavailability.count({ where: { documentId: first!.id } })).toBe(0);
    });

    it("completes with the vice-president's signature for the president", async () => {
      const [, second] = await items();
      expect((await fiche("president", second!.id, { intent: "open" })).status).toBe(200);
      // Not recused for this candidate, present at the decision: she is offered for this fiche.
      const president = rowOf((await readPage(server.baseUrl, cookies.admin!, "/membres")).text, "president@quorum.test");
      expect(president).toContain('data-testid="replacement-offer"');
      expect(flat(president)).toContain("Marie Membre, vice-président(e) de la séance, signe à sa place");
      const done = await recordOn(second!.id);
      expect(done.headers.get("location"), flat(await done.clone().text())).toBe("/membres?fait=remplacement");
      type Panel = { view: { sheet: { status: string; replacements: Array<{ displayName: string; words: string }>; viewer: { isSigner: boolean; hasSigned: boolean; signsFor: string[] } } } };
      const before = (await (await fiche("membre1", second!.id)).json()) as Panel;
      expect(before.view.sheet.replacements).toEqual([expect.objectContaining({ displayName: "Marie Membre", words: "à signer (pour Pierre Président, empêché)" })]);
      expect(before.view.sheet.viewer).toMatchObject({ isSigner: true, hasSigned: false, signsFor: ["Pierre Président"] });
      const { sealedHash } = await server.prisma.juryDecisionSheet.findFirstOrThrow({ where: { decision: { agendaItemId: second!.id } } });
      const signed = await fiche("membre1", second!.id, { intent: "sign", password: "quorum-demo", consent: "on", contentHash: sealedHash ?? "" });
      expect(signed.status, await signed.clone().text()).toBe(200);
      const after = (await (await fiche("membre1", second!.id)).json()) as Panel;
      expect(after.view.sheet.status).toBe("SIGNED");
      expect(await server.prisma.signature.count({ where: { documentKind: "decision", documentId: second!.id, voidedAt: null } })).toBe(0);
      expect(await server.prisma.auditEvent.count({ where: { subjectId: second!.id, action: "decision.signed_for_prevented" } })).toBe(1);

      // The fiche's sealed PDF: its certificate page names her signing for him, and him as prevented, never as a signer.
      await expectSignedForPrevented(`/sessions/${ids.juryId}/decisions/${second!.id}/fiche.pdf`, "fiche-decision.pdf");
    }, 120_000);
  });
});
