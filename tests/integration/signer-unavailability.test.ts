/**
 * « Constater un empêchement de signer » (docs/decisions/0028-signer-unable-to-sign.md) against the real production
 * server on the demo: the grid of Camille MOREAU (a closed commission) awaits its signers; a member who will never sign
 * would hold it for ever. The administration records his empêchement from « Membres », with the reason and its own
 * password: he is no longer awaited (his signature is refused since), the grid completes with the president's
 * signature, and its sealed PDF names him as prevented, with the reason, never as a signer. Refused, in French and with
 * nothing written: a wrong password, a reason of no words, anyone but the administration, the last signer who could
 * still sign, a completed document.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unavailabilityRefusal } from "~/domain/signer-unavailability";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestServer } from "../support/server";
import type { TestDatabase } from "../support/database";
import { decodeHtml, postForm, readPage } from "../support/html";
import { until } from "../support/clients";

describe("recording that a signer can no longer sign", () => {
  let database: TestDatabase;
  let server: TestServer;
  let admin: string;
  const grid = { sessionId: "", slotId: "", presidentId: "", paulId: "", sealedHash: "" };
  const dir = mkdtempSync(path.join(tmpdir(), "quorum-unavailable-"));

  beforeAll(async () => {
    database = await prepareDemoDatabase();
    server = await startServer({ database });
    admin = await login(server.baseUrl, DEMO_ACCOUNTS.admin);
    const slot = await server.prisma.sessionSlot.findFirstOrThrow({
      where: { gridStatus: "SIGNING", candidate: { birthName: "MOREAU" } },
      select: { id: true, sessionId: true, signingRound: true, session: { select: { members: { select: { userId: true, role: true } } } } },
    });
    const president = slot.session.members.find((m) => m.role === "PRESIDENT")!;
    // The demo's grid has its president for only scoring seat; Paul Paraphe (as in members.test.ts) joins it below.
    const { passwordHash } = await server.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ACCOUNTS.president } });
    const session = await server.prisma.session.findUniqueOrThrow({ where: { id: slot.sessionId }, select: { organisationId: true } });
    const paul = await server.prisma.user.create({
      data: {
        email: "paul.paraphe@quorum.test",
        displayName: "Paul Paraphe",
        passwordHash,
        memberships: { create: { organisationId: session.organisationId, role: "MEMBER" } },
      },
    });
    const { sealedHash } = await server.prisma.sessionSlot.findUniqueOrThrow({ where: { id: slot.id }, select: { sealedHash: true } });
    Object.assign(grid, { sessionId: slot.sessionId, slotId: slot.id, presidentId: president.userId, paulId: paul.id, sealedHash });
    expect(slot.session.members.filter((m) => m.role === "MEMBER")).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const record = (cookie: string, fields: Record<string, string>) =>
    postForm(server.baseUrl, cookie, "/membres", {
      intent: "unavailable",
      kind: "grid",
      documentId: grid.slotId,
      sessionId: grid.sessionId,
      reason: "Absent durablement pour raison de santé, ne pourra pas signer",
      password: "quorum-demo",
      ...fields,
    });
  const sign = (cookie: string) =>
    postForm(server.baseUrl, cookie, `/sessions/${grid.sessionId}/passages/${grid.slotId}`, {
      intent: "sign", password: "quorum-demo", consent: "on", contentHash: grid.sealedHash,
    });
  const recorded = () => server.prisma.signerUnavailability.count({ where: { documentId: grid.slotId } });
  const rowOf = (text: string, name: string) => decodeHtml(text.split('data-testid="member"').find((r) => r.includes(name)) ?? "");

  const offersForm = (row: string) => row.includes(`name="documentId" value="${grid.slotId}"`);
  const impossible = "est le dernier qui puisse encore le signer";

  it("does not offer it for the grid's only signer, and says why", async () => {
    const row = rowOf((await readPage(server.baseUrl, admin, "/membres")).text, "Pierre Président");
    expect(row).toContain("Doit encore signer");
    expect(offersForm(row)).toBe(false);
    expect(row).toContain(`grille d'évaluation de Camille Anne MOREAU (commission du`);
    expect(row).toContain(`Pierre Président ${impossible}`);
  });

  it("refuses it for the last signer who could still sign: a document nobody signs is not a signed document", async () => {
    const last = await record(admin, { userId: grid.presidentId });
    expect(last.status).toBe(409);
    expect(decodeHtml(await last.text())).toContain("est le dernier signataire possible");
    expect(await recorded()).toBe(0);
    // A second scoring member joins the commission (a signer of the grid, who will never sign it).
    await server.prisma.sessionMember.create({ data: { sessionId: grid.sessionId, userId: grid.paulId, role: "MEMBER", evaluatorProfile: "PROFESSIONAL" } });
    const page = (await readPage(server.baseUrl, admin, "/membres")).text;
    expect(rowOf(page, "Paul Paraphe")).toContain("grille d'évaluation de Camille Anne MOREAU");
    // Either of them may now be recorded as prevented: the form is offered on both rows.
    for (const name of ["Paul Paraphe", "Pierre Président"]) {
      expect(offersForm(rowOf(page, name)), name).toBe(true);
      expect(rowOf(page, name)).not.toContain(impossible);
    }
  });

  it("refuses in French, writing nothing: wrong password, no words, anyone but the administration", async () => {
    const wrong = await record(admin, { userId: grid.paulId, password: "pas-le-bon" });
    expect(wrong.status).toBe(400);
    expect(decodeHtml(await wrong.text())).toMatch(/mot de passe/i);
    const noWords = await record(admin, { userId: grid.paulId, reason: " -- " });
    expect(noWords.status).toBe(400);
    expect(decodeHtml(await noWords.text())).toContain("Motif trop court");
    const secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
    expect((await record(secretariat, { userId: grid.paulId })).status).toBe(403);
    expect(await recorded()).toBe(0);
  });

  it("takes the prevented member off the signers awaited, and refuses his signature since", async () => {
    const done = await record(admin, { userId: grid.paulId });
    expect(done.headers.get("location"), decodeHtml(await done.clone().text())).toBe("/membres?fait=empechement");
    // Sent again (a double click): recorded once.
    await record(admin, { userId: grid.paulId });
    expect(await recorded()).toBe(1);
    const page = await readPage(server.baseUrl, admin, "/membres");
    expect(rowOf(page.text, "Paul Paraphe")).not.toContain("Doit encore signer");
    expect(rowOf(page.text, "Pierre Président")).toContain("grille d'évaluation de Camille Anne MOREAU");
    // Now the last who can sign it: no form for him any more.
    expect(offersForm(rowOf(page.text, "Pierre Président"))).toBe(false);
    expect(rowOf(page.text, "Pierre Président")).toContain(impossible);
    // The commission room says so in the grid's list of signers (its president's page).
    const president = await login(server.baseUrl, DEMO_ACCOUNTS.president);
    const room = decodeHtml((await readPage(server.baseUrl, president, `/sessions/${grid.sessionId}?candidat=${grid.slotId}`)).text);
    const flat = room.replace(/<!-- -->/g, "").replace(/\s+/g, " ");
    expect(flat).toContain("Paul Paraphe — empêchement constaté par l'organisme (ne signe pas)");
    // Still awaiting its president: not complete.
    expect((await server.prisma.sessionSlot.findUniqueOrThrow({ where: { id: grid.slotId } })).gridStatus).toBe("SIGNING");
    const paul = await login(server.baseUrl, "paul.paraphe@quorum.test");
    const refused = await sign(paul);
    expect(refused.status).toBe(409);
    expect(decodeHtml(await refused.text())).toContain("Votre empêchement de signer ce document a été constaté");
    expect(await server.prisma.signature.count({ where: { documentId: grid.slotId, userId: grid.paulId } })).toBe(0);
  });

  it("completes with the president's signature; the PDF names the member as prevented, with the reason, never as a signer", async () => {
    const president = await login(server.baseUrl, DEMO_ACCOUNTS.president);
    const signed = await sign(president);
    expect(signed.status, decodeHtml(await signed.clone().text())).toBe(200);
    expect((await server.prisma.sessionSlot.findUniqueOrThrow({ where: { id: grid.slotId } })).gridStatus).toBe("SIGNED");
    const audit = await server.prisma.auditEvent.findMany({ where: { subjectId: grid.slotId, action: { in: ["grid.signer_unavailable", "grid.completed"] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["grid.completed", "grid.signer_unavailable"]);
    // Complete: nothing more to record on it.
    expect((await record(admin, { userId: grid.paulId })).status).toBe(409);

    let pdf: Response | undefined;
    await until(
      async () => {
        pdf = await fetch(`${server.baseUrl}/sessions/${grid.sessionId}/passages/${grid.slotId}/grille.pdf`, { headers: { Cookie: admin } });
        return pdf.status === 200;
      },
      "the grid's PDF rendered",
      { timeoutMs: 60_000 },
    );
    const file = path.join(dir, "grille.pdf");
    writeFileSync(file, Buffer.from(await pdf!.arrayBuffer()));
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    const certificate = text.slice(text.lastIndexOf("Certificat de signature"));
    const [signers, prevented = ""] = certificate.split("Signataires empêchés (n'ont pas signé)");
    expect(signers).toContain("Pierre Président");
    expect(signers).not.toContain("Paul Paraphe");
    expect(prevented).toMatch(/Paul Paraphe — \S+.*N'a pas signé : empêchement constaté le .* par .*Motif : Absent durablement pour raison de santé/);
  }, 90_000);

  it("never lets the last signer who could still sign be recorded as prevented", () => {
    const signers = [
      { userId: "p", displayName: "Pierre" },
      { userId: "m", displayName: "Marie" },
    ];
    expect(unavailabilityRefusal({ signers, signed: new Set(), unavailable: new Set(["m"]) }, "p")).toContain("dernier signataire possible");
    expect(unavailabilityRefusal({ signers, signed: new Set(), unavailable: new Set() }, "p")).toBeNull();
    expect(unavailabilityRefusal({ signers, signed: new Set(), unavailable: new Set() }, "x")).toContain("n'est pas signataire");
    expect(unavailabilityRefusal({ signers, signed: new Set(["m"]), unavailable: new Set() }, "m")).toContain("a déjà signé ce document");
  });
});
