/**
 * Decision notices through the real HTTP routes (production server, demo seed): the demo's catch-up jury
 * (« session de rattrapage ») validated Mamadou DIALLO's remaining bloc, BC01 having been acquired earlier; « Délivrer »
 * issues him a parchemin, and « Notifier » tells him the certification is delivered — both blocs acquired, none
 * left, no validity limit — consistently with that parchemin. Linh NGUYEN, of the same jury, without e-mail: her letter
 * is posted, so the page says when her postal address is missing, and her sealed letter prints it in the window.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/clients";
import { SUBMISSION_KEY_FIELD } from "~/platform/http/submission-key-field";
import { postForm, readPage } from "../support/html";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, withServerPrisma, type TestDatabase, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
let secretariat = "";
let tmp = "";
let delivery = "";
/** Linh NGUYEN's decision, once notified (its letter's document id). */
let noticeDecisionId = "";

const page = async (path: string) => {
  const { status, text } = await readPage(server.baseUrl, secretariat, path);
  expect(status, path).toBe(200);
  return text;
};
const post = (path: string, body: Record<string, string>) => postForm(server.baseUrl, secretariat, path, body);

beforeAll(async () => {
  database = await prepareDemoDatabase();
  server = await startServer({ database });
  secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  tmp = mkdtempSync(path.join(os.tmpdir(), "quorum-notice-"));
  const sessions = await page("/sessions?filtre=delivrances");
  const sessionId = /href="\/sessions\/([a-z0-9]+)[^"]*"[^>]*>[^<]*session de rattrapage/.exec(sessions)?.[1];
  expect(sessionId, "the demo's catch-up jury").toBeTruthy();
  delivery = `/sessions/${sessionId}/delivrance`;
}, 120_000);

afterAll(async () => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  await server?.stop();
  await database?.dispose();
});

/** Linh NGUYEN's identity as the demo registered it, and the contact this test changes. */
const linh = { birthName: "NGUYEN", givenNames: "Linh", sex: "F", birthDate: "1996-04-18", birthCommune: "Lyon", birthDepartment: "69" };
/** Mamadou DIALLO's identity and e-mail as the demo registered them. */
const mamadou = { birthName: "DIALLO", givenNames: "Mamadou", sex: "M", birthDate: "1992-08-23", birthCountry: "Sénégal", email: "mamadou.diallo@example.fr" };
/** Her row of the delivery page (up to the next candidate's). */
const rowOf = (html: string, name: string) => html.slice(html.indexOf(`>${name}</a>`)).split('class="py-4"')[0]!;

describe("decision notice of a catch-up jury", () => {
  it("says, before notifying, that a letter to post has no postal address, with a link to the candidate's form; completed, the warning goes", async () => {
    let html = await page(delivery);
    const linhId = /href="\/candidates\/([a-z0-9]+)"[^>]*>Linh NGUYEN</.exec(html)?.[1];
    expect(linhId, "Linh NGUYEN on the catch-up jury's page").toBeTruthy();
    expect(html).not.toContain("Adresse postale manquante");

    // Registered without e-mail: her letter is to post, and she has no address.
    expect((await post(`/candidates/${linhId}/edit`, { ...linh, email: "" })).status).toBe(302);
    html = await page(delivery);
    const row = rowOf(html, "Linh NGUYEN");
    expect(row).toContain("Adresse postale manquante : la lettre ne pourra pas être postée");
    expect(row).toContain(`href="/candidates/${linhId}/edit"`);
    expect(rowOf(html, "Mamadou DIALLO")).not.toContain("Adresse postale manquante");
    expect(html).toContain("Un candidat sans e-mail n'a pas d'adresse postale : sa lettre ne pourra pas être postée.");

    const address = "Bâtiment C\r\n  8 rue   de la République \r\n\r\n69002 Lyon";
    expect((await post(`/candidates/${linhId}/edit`, { ...linh, email: "", postalAddress: address })).status).toBe(302);
    expect(await page(`/candidates/${linhId}`)).toContain("Bâtiment C\n8 rue de la République\n69002 Lyon");
    html = await page(delivery);
    expect(html).not.toContain("Adresse postale manquante");
    expect(html).not.toContain("n'a pas d'adresse postale");
  }, 120_000);

  it("tells a candidate whose partial decision completes earlier blocs that the certification is delivered", async () => {
    // The CQPM registered in the RNCP under a code of its own before the records are issued (entered on its page:
    // desk.test.ts); the parchemin names it (below).
    const cqpm = await server.prisma.certification.findFirstOrThrow({ where: { kind: "CQPM", organisation: { slug: "cpnef-demo" } } });
    await server.prisma.certification.update({ where: { id: cqpm.id }, data: { registrationCode: "RNCP38123" } });
    expect((await post(`${delivery}.data`, { intent: "issue", placeOfIssue: "Lyon" })).status).toBe(200);
    const issued = await page(delivery);
    const parchemin = /Parchemin n° ([A-Z0-9-]+)/.exec(issued)?.[1];
    expect(parchemin, "a parchemin issued on cumulation").toBeTruthy();
    // His file has no postal address when he is notified: his letter is sealed without one (he reads the e-mail).
    const mamadouId = /href="\/candidates\/([a-z0-9]+)"[^>]*>Mamadou DIALLO</.exec(issued)![1]!;
    expect((await post(`/candidates/${mamadouId}/edit`, { ...mamadou, postalAddress: "" })).status).toBe(302);
    expect((await post(`${delivery}.data`, { intent: "notify" })).status).toBe(200);

    // His e-mail is the one this jury's page links to (the demo also notified him of the past jury's partial decision).
    const notified = await page(delivery);
    const row = notified.slice(notified.indexOf("Mamadou DIALLO"));
    const link = /<a[^>]*data-testid="notice-email"[^>]*>/.exec(row)?.[0] ?? "";
    const emailId = /href="\/outbox\/([a-z0-9]+)"/.exec(link)?.[1];
    expect(emailId, "his notice's e-mail on the delivery page").toBeTruthy();
    const email = await page(`/outbox/${emailId}`);
    expect(email).toContain("mamadou.diallo@example.fr");
    const text = /data-testid="email-text"[^>]*>([\s\S]*?)<\/pre>/.exec(email)?.[1] ?? "";
    expect(text, "the notice e-mailed to Mamadou DIALLO").toContain("Monsieur,\n");
    expect(text).toContain("il vous délivre la certification");
    expect(text).not.toContain("une partie des blocs");
    expect(text).toMatch(/BC01 — [^\n]*\(acquis le /);
    expect(text).toMatch(/BC02 — [^\n]*\(validé par ce jury\)/);
    expect(text).not.toContain("Ces acquis sont valables");
    expect(text).not.toContain("Blocs restant à acquérir");
    expect(text).toContain(`Parchemin n° ${parchemin}`);
  }, 180_000);

  it("names on the parchemin of a branch certification both its branch number and its RNCP registration, and aligns its badge on it", async () => {
    let html = "";
    await until(async () => {
      html = await page(delivery);
      return /href="\/delivrance\/pdf\/parchemin\/[a-z0-9]+"/.test(rowOf(html, "Mamadou DIALLO"));
    }, "Mamadou DIALLO's parchemin rendered", { timeoutMs: 60_000 });
    const recordId = /href="\/delivrance\/pdf\/parchemin\/([a-z0-9]+)"/.exec(rowOf(html, "Mamadou DIALLO"))![1]!;
    const res = await fetch(`${server.baseUrl}/delivrance/pdf/parchemin/${recordId}`, { headers: { Cookie: secretariat } });
    expect(res.status).toBe(200);
    const file = path.join(tmp, "parchemin.pdf");
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toContain("Code de la certification : MQ 2017 10 69 0312 (numéro attribué par la branche professionnelle) ");
    expect(text).toContain("Enregistrement : RNCP38123, Répertoire national des certifications professionnelles, décision de France Compétences du 12 octobre 2017");
    // Its Open Badge: aligned on the registration's public page at France Compétences.
    const credential = await fetch(`${server.baseUrl}/delivrance/documents/${recordId}/credential.json`, { headers: { Cookie: secretariat } });
    expect(credential.status).toBe(200);
    const alignment = ((await credential.json()) as { credentialSubject: { achievement: { alignment: Array<{ targetUrl: string; targetFramework: string }> } } })
      .credentialSubject.achievement.alignment[0]!;
    expect(alignment).toMatchObject({
      targetUrl: "https://www.francecompetences.fr/recherche/rncp/38123/",
      targetFramework: "Certification de branche professionnelle, enregistrée sous RNCP38123 (Répertoire national des certifications professionnelles)",
    });
  }, 120_000);

  it("prints the recipient's name and postal address in the sealed letter's window block", async () => {
    let html = "";
    await until(async () => {
      html = await page(delivery);
      return /href="\/delivrance\/pdf\/notice\/[a-z0-9]+"/.test(rowOf(html, "Linh NGUYEN"));
    }, "Linh NGUYEN's letter rendered", { timeoutMs: 60_000 });
    const row = rowOf(html, "Linh NGUYEN");
    expect(row).toContain("(sans e-mail : lettre à poster)");
    const letter = /href="(\/delivrance\/pdf\/notice\/[a-z0-9]+)"/.exec(row)![1]!;
    const res = await fetch(`${server.baseUrl}${letter}`, { headers: { Cookie: secretariat } });
    expect(res.status).toBe(200);
    const file = path.join(tmp, "notice.pdf");
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    // The window of a DL envelope: from 110 mm from the left edge, 50 mm from the top (points: 312, 142).
    const window = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-x", "300", "-y", "130", "-W", "250", "-H", "110", file, "-"], { encoding: "utf8" });
    expect(window.trim().split(/\n+/)).toEqual(["Madame Linh NGUYEN", "Bâtiment C", "8 rue de la République", "69002 Lyon"]);
    expect(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" })).toContain("Notification de la décision du jury");
    noticeDecisionId = /\/delivrance\/pdf\/notice\/([a-z0-9]+)/.exec(letter)![1]!;
  }, 120_000);

  it("says when a letter could not be produced, and the secretariat relaunches it from the row", async () => {
    // Her letter's render made to have failed for good (six attempts), its PDF gone.
    await withServerPrisma(server, async (prisma) => {
      await prisma.signedDocument.deleteMany({ where: { kind: "notice", documentId: noticeDecisionId } });
      const failed = await prisma.renderJob.updateMany({
        where: { documentKind: "notice", documentId: noticeDecisionId },
        data: { status: "FAILED", attempts: 6, lastError: "police introuvable" },
      });
      expect(failed.count).toBe(1);
    });
    const row = rowOf(await page(delivery), "Linh NGUYEN");
    expect(row).toContain("La lettre n'a pas pu être produite (6 essais).");
    expect(row).not.toContain("lettre en préparation");
    expect(row).toContain("Relancer la production du PDF");
    const retried = await post("/sessions/pdf/relancer", { kind: "notice", documentId: noticeDecisionId });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ ok: true, retried: true });
    await until(async () => rowOf(await page(delivery), "Linh NGUYEN").includes(`href="/delivrance/pdf/notice/${noticeDecisionId}"`), "the letter rendered again", {
      timeoutMs: 60_000,
    });
  }, 120_000);
  it("re-issues a letter sealed before the postal address was filled: a new sealed letter with the address, the first kept, superseded", async () => {
    const download = async (href: string, name: string) => {
      const res = await fetch(`${server.baseUrl}${href}`, { headers: { Cookie: secretariat } });
      expect(res.status, href).toBe(200);
      const file = path.join(tmp, name);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const window = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-x", "300", "-y", "130", "-W", "250", "-H", "110", file, "-"], { encoding: "utf8" });
      return { window: window.trim().split(/\n+/), text: execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }) };
    };
    let html = "";
    await until(async () => {
      html = await page(delivery);
      return /href="\/delivrance\/pdf\/notice\/[a-z0-9]+"/.test(rowOf(html, "Mamadou DIALLO"));
    }, "Mamadou DIALLO's first letter rendered", { timeoutMs: 60_000 });
    // Sealed without an address, and his file has none: nothing to say yet.
    expect(rowOf(html, "Mamadou DIALLO")).not.toContain('data-testid="notice-address"');
    const first = /href="(\/delivrance\/pdf\/notice\/([a-z0-9]+))"/.exec(rowOf(html, "Mamadou DIALLO"))!;
    const decisionId = first[2]!;
    expect((await download(first[1]!, "first.pdf")).window).toEqual(["Monsieur Mamadou DIALLO"]);

    // The secretariat fills his address afterwards: his row says the letter cannot be posted, and offers a new one.
    const mamadouId = /href="\/candidates\/([a-z0-9]+)"[^>]*>Mamadou DIALLO</.exec(html)![1]!;
    expect((await post(`/candidates/${mamadouId}/edit`, { ...mamadou, postalAddress: "5 rue Nationale\n37000 Tours" })).status).toBe(302);
    let row = rowOf(await page(delivery), "Mamadou DIALLO");
    expect(row).toContain("La lettre scellée ne porte pas d'adresse postale : elle ne peut pas être postée.");
    expect(row).toContain("Réémettre la lettre avec l'adresse de la fiche");
    const key = new RegExp(`name="${SUBMISSION_KEY_FIELD}" value="([0-9a-f-]+)"`).exec(row.slice(row.indexOf('value="reissue-notice"')))![1]!;
    const reissue = { intent: "reissue-notice", decisionId, [SUBMISSION_KEY_FIELD]: key };

    // Manager-only: a member is refused, nothing written.
    const membre = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
    expect((await postForm(server.baseUrl, membre, `${delivery}.data`, reissue)).status).toBe(403);
    expect(rowOf(await page(delivery), "Mamadou DIALLO")).not.toContain('data-testid="notice-superseded"');

    // A double click (the same submission twice at once) writes one letter.
    const answers = await Promise.all([post(`${delivery}.data`, reissue), post(`${delivery}.data`, reissue)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    row = rowOf(await page(delivery), "Mamadou DIALLO");
    expect(row).not.toContain('data-testid="notice-address"');
    const superseded = /data-testid="notice-superseded"[^>]*>([\s\S]*?)<\/ul>/.exec(row)?.[1] ?? "";
    expect(superseded.match(/<li/g)).toHaveLength(1);
    expect(superseded).toMatch(/Lettre du [^<]+ \(PDF\)<\/a> : remplacée le [^<]+, à ne plus envoyer\./);
    // Clicked again later (a new page, a new key): the letter already prints his address, nothing more is written.
    const freshKey = new RegExp(`name="${SUBMISSION_KEY_FIELD}" value="([0-9a-f-]+)"`).exec(await page(delivery))![1]!;
    const again = await post(`${delivery}.data`, { ...reissue, [SUBMISSION_KEY_FIELD]: freshKey });
    expect(again.status).toBe(200);
    expect(JSON.stringify(await again.json())).toContain("La lettre porte déjà l'adresse de la fiche du candidat : rien à réémettre.");

    // The new letter, rendered off the request by the render runner, prints his address in the window.
    let letter = "";
    await until(async () => {
      row = rowOf(await page(delivery), "Mamadou DIALLO");
      letter = /href="(\/delivrance\/pdf\/notice\/([a-z0-9]+))"[^>]*>Lettre réémise le/.exec(row)?.[1] ?? "";
      return letter !== "";
    }, "the re-issued letter rendered", { timeoutMs: 60_000 });
    expect(letter).not.toContain(decisionId);
    const reissued = await download(letter, "reissued.pdf");
    expect(reissued.window).toEqual(["Monsieur Mamadou DIALLO", "5 rue Nationale", "37000 Tours"]);
    expect(reissued.text).toMatch(/Lettre réémise le \d+ \S+ \d{4} : elle remplace la lettre du \d+ \S+ \d{4}\./);
    expect(reissued.text).toContain("Notification de la décision du jury");
    // The first letter is kept as it was sealed, still downloadable from the row.
    expect(superseded).toContain(`href="/delivrance/pdf/notice/${decisionId}"`);
    expect((await download(`/delivrance/pdf/notice/${decisionId}`, "first-again.pdf")).window).toEqual(["Monsieur Mamadou DIALLO"]);

    // Both letters are in the archive; the re-issue is audited once, the notification not repeated (no new e-mail).
    await withServerPrisma(server, async (prisma) => {
      const letters = await prisma.noticeLetter.findMany({ where: { decisionId }, orderBy: { sequence: "asc" } });
      expect(letters.map((l) => [l.sequence, l.postalAddress, l.supersededById])).toEqual([
        [0, null, letters[1]?.id],
        [1, "5 rue Nationale\n37000 Tours", null],
      ]);
      const archived = await prisma.signedDocument.findMany({ where: { kind: "notice", documentId: { in: letters.map((l) => l.documentId) } } });
      expect(archived.map((d) => d.candidateId)).toEqual([mamadouId, mamadouId]);
      const audits = await prisma.auditEvent.findMany({ where: { action: "delivery.notice.reissued", subjectId: decisionId } });
      expect(audits).toHaveLength(1);
      expect(audits[0]!.data).toMatchObject({ letterId: letters[1]!.id, sequence: 1, supersedes: decisionId, reason: "missing" });
      expect(await prisma.outboxEmail.count({ where: { to: mamadou.email, createdAt: { gte: letters[1]!.createdAt } } })).toBe(0);
    });
  }, 240_000);
});
