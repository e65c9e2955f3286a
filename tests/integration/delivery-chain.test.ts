/**
 * A delivery record and its duplicates through the real HTTP routes (production server, demo seed), as the
 * secretariat's record cards post them:
 * - revoking any record of a chain (here a duplicate in the middle of it) revokes the original and every duplicate,
 *   at any depth: /verifier says « Révoqué » for each, each credential's status bit is set in the organisation's
 *   status list, and no further duplicate of any of them is issued (409);
 * - once records were issued for a jury's decisions, the CPNE validation switched on afterwards cannot return those
 *   decisions to the jury (409, saying why), the records stay valid, and no duplicate is issued while the decisions
 *   are not final;
 * - a duplicate (and a duplicate of it) names the original it replaces, its number and issue date, on its sealed PDF
 *   (read with pdftotext) and on its public /verifier page;
 * - dates of issue and revocation are the day in Paris (22:30 UTC on 1 July is 2 July) on /verifier, on the record
 *   cards and in a duplicate's mention of its original (PDF and /verifier);
 * - the record commands answer their refusals with the refusal's HTTP status (400, 404, 409), to a plain form post as
 *   to the card's fetcher (`.data`), and the délivrance page refuses an unknown action (400);
 * - after « Révoquer » (a material error in the name), « Délivrer un document rectifié » issues one new record for the
 *   same decision (the next number of the year, the holder's corrected name, « remplace le n° … révoqué le … » on its
 *   PDF and on /verifier, with a link to the revoked one's page, which says « Ce document a été remplacé le … par le
 *   document n° … » and links the new one's), once for a double submit, audited; refused while the chain is valid, once a valid record
 *   exists for the decision, and to a member;
 * - the status list served to wallets marks a record revoked in the database even when its bit never reached the
 *   list's file (the write after the revocation's commit failed).
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeList } from "@digitalbazaar/vc-bitstring-status-list";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUBMISSION_KEY_FIELD } from "~/platform/http/submission-key-field";
import { until } from "../support/clients";
import { decodeHtml, postForm, readPage } from "../support/html";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, withServerPrisma, type TestDatabase, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
let secretariat = "";

const get = (path: string, cookie = secretariat) => fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });
const page = async (path: string) => {
  const { status, text } = await readPage(server.baseUrl, secretariat, path);
  expect(status, path).toBe(200);
  return text;
};
/**
 * A plain form post (no JavaScript), or the fetcher's single-fetch post with `.data`, with the submission key a freshly
 * loaded page's form carries; `bare`: the same without it (a form stripped of its key).
 */
const post = (path: string, body: Record<string, string>) => postForm(server.baseUrl, secretariat, path, { [SUBMISSION_KEY_FIELD]: randomUUID(), ...body });
const bare = (path: string, body: Record<string, string>) => postForm(server.baseUrl, secretariat, path, body);

type Card = { id: string | null; number: string; code: string; duplicate: boolean; rectify: string | null };

/**
 * The record cards of a candidate's page: number, verification code, (while it can be managed: duplicata, revocation)
 * id, whether it is a duplicate, and (a revoked record that can be rectified) its id for « Délivrer un document
 * rectifié ».
 */
async function cards(candidatePath: string): Promise<Card[]> {
  const html = await page(candidatePath);
  return html
    .split("data-record=")
    .slice(1)
    .map((part) => ({
      number: /^"([^"]+)"/.exec(part)![1]!,
      code: /href="\/verifier\/([a-z2-7]{26})"/.exec(part)![1]!,
      id: part.includes('value="duplicate"') ? (/action="\/delivrance\/documents\/([a-z0-9]+)"/.exec(part)?.[1] ?? null) : null,
      duplicate: />Duplicata</.test(part.split("</li>")[0]!),
      rectify: part.split("</li>")[0]!.includes('value="rectify"') ? (/action="\/delivrance\/documents\/([a-z0-9]+)"/.exec(part)?.[1] ?? null) : null,
    }));
}

async function verificationStatus(code: string): Promise<string> {
  const html = decodeHtml(await (await get(`/verifier/${code}`, "")).text());
  return /data-testid="verification-status"[^>]*>([^<]+)/.exec(html)?.[1]?.trim() ?? "";
}

/** The credential's status entry, once its render job issued it. */
async function statusEntry(code: string): Promise<{ statusListIndex: string; statusListCredential: string }> {
  let entry: { statusListIndex: string; statusListCredential: string } | undefined;
  await until(async () => {
    const res = await get(`/verifier/${code}/credential.json`, "");
    if (res.status !== 200) return false;
    entry = ((await res.json()) as { credentialStatus: typeof entry }).credentialStatus;
    return true;
  }, `the credential of ${code}`, { timeoutMs: 60_000 });
  return entry!;
}

async function revokedBit(entry: { statusListIndex: string; statusListCredential: string }): Promise<boolean> {
  const path = new URL(entry.statusListCredential).pathname;
  const list = (await (await get(path, "")).json()) as { credentialSubject: { encodedList: string } };
  return (await decodeList({ encodedList: list.credentialSubject.encodedList })).getStatus(Number(entry.statusListIndex));
}

async function start() {
  server = await startServer({ database, env: { QUORUM_VERIFY_BURST: "1000", QUORUM_VERIFY_PER_MINUTE: "1000" } });
  secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  await start();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await database?.dispose();
});

/** A demo candidate holding a record that can be duplicated and revoked. */
async function holderWithRecord(): Promise<{ path: string; record: Card }> {
  const list = await page("/candidates");
  for (const [, id] of list.matchAll(/href="\/candidates\/(c[a-z0-9]+)"/g)) {
    const record = (await cards(`/candidates/${id}`)).find((card) => card.id);
    if (record) return { path: `/candidates/${id}`, record };
  }
  throw new Error("no demo candidate with a record to manage");
}

const duplicated = /Duplicata n° ([A-Z0-9-]+) émis/;
/** A record revoked by the first test (its commands are then refused). */
let revokedId = "";

/** A record's sealed PDF, once its render job produced it, as pdftotext reads it (spaces folded). */
async function recordPdfText(kind: "parchemin" | "attestation", card: Card): Promise<string> {
  let bytes = new Uint8Array();
  await until(async () => {
    const res = await get(`/delivrance/pdf/${kind}/${card.id}`);
    if (res.status !== 200) return false;
    bytes = new Uint8Array(await res.arrayBuffer());
    return true;
  }, `the sealed PDF of ${card.number}`, { timeoutMs: 60_000 });
  const file = path.join(mkdtempSync(path.join(tmpdir(), "quorum-duplicate-")), `${card.number}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}

describe("a duplicate", () => {
  it("names the original it replaces, its number and issue date, on its PDF and on /verifier", async () => {
    const { path: candidatePath, record: original } = await holderWithRecord();
    const originalPage = decodeHtml(await (await get(`/verifier/${original.code}`, "")).text());
    const kind = /(Parchemin|Attestation de blocs de compétences) n° /.exec(originalPage)![1]!;
    const issuedOn = /Délivré le<\/dt><dd[^>]*>([^<]+)</.exec(originalPage)![1]!;
    const mention =
      kind === "Parchemin"
        ? `Duplicata du parchemin n° ${original.number}, délivré le ${issuedOn}`
        : `Duplicata de l'attestation de blocs de compétences n° ${original.number}, délivrée le ${issuedOn}`;
    expect(originalPage).not.toContain("Duplicata d");

    const first = await post(`/delivrance/documents/${original.id}.data`, { intent: "duplicate" });
    expect(first.status).toBe(200);
    const firstNumber = duplicated.exec(await first.text())![1]!;
    const firstCard = (await cards(candidatePath)).find((card) => card.number === firstNumber)!;
    // A duplicate of the duplicate names the original too, not the duplicate it was made from.
    const second = await post(`/delivrance/documents/${firstCard.id}.data`, { intent: "duplicate" });
    const secondNumber = duplicated.exec(await second.text())![1]!;
    const secondCard = (await cards(candidatePath)).find((card) => card.number === secondNumber)!;

    for (const card of [firstCard, secondCard]) {
      const text = await recordPdfText(kind === "Parchemin" ? "parchemin" : "attestation", card);
      expect(text, card.number).toContain("DUPLICATA");
      expect(text, card.number).toContain(`${mention}.`);
      expect(text, card.number).toContain(`Numéro : ${card.number}`);
      const verifier = decodeHtml(await (await get(`/verifier/${card.code}`, "")).text());
      expect(/data-testid="duplicate-of"[^>]*>([^<]+)</.exec(verifier)?.[1], card.number).toBe(`${mention}.`);
    }
  }, 180_000);
});

describe("dates of issue and revocation", () => {
  it("are the day in Paris on /verifier, the record cards, and a duplicate's mention of its original (PDF too)", async () => {
    const { path: holderPath, record: original } = await holderWithRecord();
    // Issued at 00:30 on 2 July in Paris (22:30 UTC on 1 July); another holder's record revoked at 00:15 that day.
    const revoked = await withServerPrisma(server, async (prisma) => {
      // The sealed PDFs « a duplicate » downloaded are in the audit trail, as every signed document's download.
      const duplicates = await prisma.deliveryRecord.findMany({ where: { duplicateOfId: { not: null } }, select: { id: true } });
      const pdfs = await prisma.signedDocument.findMany({ where: { documentId: { in: duplicates.map((d) => d.id) } }, select: { id: true } });
      expect(pdfs.length).toBeGreaterThan(0);
      const downloads = await prisma.auditEvent.findMany({
        where: { action: "document.signed.downloaded", subjectType: "SignedDocument", subjectId: { in: pdfs.map((p) => p.id) } },
      });
      expect(downloads.length).toBeGreaterThan(0);
      const { id } = await prisma.deliveryRecord.findFirstOrThrow({ where: { number: original.number } });
      const issued = await prisma.deliveryRecord.update({ where: { id }, data: { issuedAt: new Date("2026-07-01T22:30:00Z") } });
      const other = await prisma.deliveryRecord.findFirstOrThrow({
        where: { candidateId: { not: issued.candidateId }, duplicateOfId: null, revokedAt: null },
        orderBy: { number: "asc" },
      });
      await prisma.deliveryRecord.update({
        where: { id: other.id },
        data: { revokedAt: new Date("2026-07-01T22:15:00Z"), revocationReason: "Erreur matérielle sur le nom." },
      });
      return { number: other.number, code: other.verificationCode, path: `/candidates/${other.candidateId}` };
    });

    const originalPage = decodeHtml(await (await get(`/verifier/${original.code}`, "")).text());
    expect(/Délivré le<\/dt><dd[^>]*>([^<]+)</.exec(originalPage)?.[1]).toBe("2 juillet 2026");
    const card = (path: string, number: string) => page(path).then((html) => html.split(`data-record="${number}"`)[1]!.split("</li>")[0]!);
    expect(await card(holderPath, original.number)).toContain("délivré le 2 juillet 2026");

    expect(await verificationStatus(revoked.code)).toBe("Révoqué le 2 juillet 2026");
    // « Révoqué » for a parchemin, « Révoquée » for an attestation.
    expect(await card(revoked.path, revoked.number)).toMatch(/Révoquée? le 2 juillet 2026 : Erreur matérielle sur le nom\./);

    const made = await post(`/delivrance/documents/${original.id}.data`, { intent: "duplicate" });
    expect(made.status, await made.clone().text()).toBe(200);
    const duplicateNumber = duplicated.exec(await made.text())![1]!;
    const duplicate = (await cards(holderPath)).find((c) => c.number === duplicateNumber)!;
    const kind = /(Parchemin|Attestation de blocs de compétences) n° /.exec(originalPage)![1]!;
    const mention = `${kind === "Parchemin" ? "délivré" : "délivrée"} le 2 juillet 2026.`;
    const verifier = decodeHtml(await (await get(`/verifier/${duplicate.code}`, "")).text());
    expect(/data-testid="duplicate-of"[^>]*>([^<]+)</.exec(verifier)?.[1]).toContain(`n° ${original.number}, ${mention}`);
    expect(await recordPdfText(kind === "Parchemin" ? "parchemin" : "attestation", duplicate)).toContain(`n° ${original.number}, ${mention}`);
  }, 180_000);
});

describe("a record's chain of duplicates", () => {
  it("revoking a duplicate revokes the original and every duplicate, their credentials' bits, and refuses more duplicates", async () => {
    const { path, record: original } = await holderWithRecord();
    const first = await post(`/delivrance/documents/${original.id}.data`, { intent: "duplicate" });
    expect(first.status).toBe(200);
    const firstNumber = duplicated.exec(await first.text())![1]!;
    const firstCard = (await cards(path)).find((card) => card.number === firstNumber)!;
    // A duplicate of the duplicate.
    const second = await post(`/delivrance/documents/${firstCard.id}.data`, { intent: "duplicate" });
    expect(second.status).toBe(200);
    const secondNumber = duplicated.exec(await second.text())![1]!;
    const chain = (await cards(path)).filter((card) => [original.number, firstNumber, secondNumber].includes(card.number));
    expect(chain).toHaveLength(3);
    const entries = await Promise.all(chain.map((card) => statusEntry(card.code)));
    for (const card of chain) expect(await verificationStatus(card.code)).toBe("Valide");

    const revoked = await post(`/delivrance/documents/${firstCard.id}`, { intent: "revoke", reason: "Duplicata remis à un tiers par erreur." });
    expect(revoked.status).toBe(200);
    revokedId = firstCard.id!;

    for (const card of chain) expect(await verificationStatus(card.code), card.number).toMatch(/^Révoqué/);
    for (const [i, entry] of entries.entries()) expect(await revokedBit(entry), chain[i]!.number).toBe(true);
    // No card of the chain offers its commands any more, and a duplicate of any of them is refused.
    expect((await cards(path)).filter((card) => card.id && chain.some((c) => c.number === card.number))).toEqual([]);
    const before = (await cards(path)).length;
    for (const card of chain) {
      const refused = await post(`/delivrance/documents/${card.id}.data`, { intent: "duplicate" });
      expect(refused.status, card.number).toBe(409);
      expect(await refused.text()).toMatch(/révoqué : pas de duplicata/);
    }
    expect((await cards(path)).length).toBe(before);
  }, 180_000);
});

describe("a corrected record after a revocation", () => {
  it("issues one new record for the same decision with the holder's corrected name, naming the one it replaces", async () => {
    // A holder with a valid original record (not a duplicate) whose chain is all valid.
    const list = await page("/candidates");
    let holder: { path: string; id: string; record: Card } | null = null;
    for (const [, id] of list.matchAll(/href="\/candidates\/(c[a-z0-9]+)"/g)) {
      const all = await cards(`/candidates/${id}`);
      const record = all.find((card) => card.id && !card.duplicate && !all.some((other) => other.duplicate && !other.id));
      if (record) {
        holder = { path: `/candidates/${id}`, id: id!, record };
        break;
      }
    }
    expect(holder, "a demo holder with a valid original record").toBeTruthy();
    const { path: holderPath, id: candidateId, record: original } = holder!;
    const originalPage = decodeHtml(await (await get(`/verifier/${original.code}`, "")).text());
    const kind = /(Parchemin|Attestation de blocs de compétences) n° /.exec(originalPage)![1]!;
    const card = (number: string) => page(holderPath).then((html) => html.split(`data-record="${number}"`)[1]!.split("</li>")[0]!);
    expect(await card(original.number)).not.toContain("Délivrer un document rectifié");

    // While the record is valid: a duplicata, not a rectified record.
    const early = await post(`/delivrance/documents/${original.id}`, { intent: "rectify" });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { formErrors: string[] }).formErrors[0]).toContain(`Le document n° ${original.number} n'est pas révoqué`);

    // The secretariat corrects the name on the candidate's file (a letter typed wrong), then revokes the record.
    const before = await withServerPrisma(server, async (prisma) => {
      const candidate = await prisma.candidate.findUniqueOrThrow({ where: { id: candidateId } });
      await prisma.candidate.update({ where: { id: candidateId }, data: { birthName: "LEFÈVRE-MARTIN" } });
      return candidate;
    });
    const revoked = await post(`/delivrance/documents/${original.id}`, { intent: "revoke", reason: "Erreur matérielle sur le nom" });
    expect(revoked.status).toBe(200);
    const revokedCard = await card(original.number);
    expect(revokedCard).toContain("Délivrer un document rectifié");
    expect((await cards(holderPath)).find((c) => c.number === original.number)?.rectify).toBe(original.id);

    // A member cannot; the secretariat's double submit issues one record.
    const member = await login(server.baseUrl, DEMO_ACCOUNTS.membre1);
    expect((await postForm(server.baseUrl, member, `/delivrance/documents/${original.id}`, { intent: "rectify" })).status).toBe(403);
    const count = (await cards(holderPath)).length;
    const key = "6f1c1e0a-3b1d-4c8e-9a51-2f0d7c9b4e21";
    const answers = await Promise.all([1, 2].map(() => post(`/delivrance/documents/${original.id}`, { intent: "rectify", submissionKey: key })));
    const bodies = await Promise.all(answers.map(async (res) => ({ status: res.status, body: (await res.json()) as { message?: string } })));
    const issued = /Document rectifié n° ([A-Z0-9-]+) délivré/;
    expect(bodies.map((b) => b.status)).toEqual([200, 200]);
    const number = issued.exec(bodies[0]!.body.message ?? "")?.[1];
    expect(number, JSON.stringify(bodies)).toBeTruthy();
    expect(issued.exec(bodies[1]!.body.message ?? "")?.[1]).toBe(number);
    const after = await cards(holderPath);
    expect(after).toHaveLength(count + 1);
    const corrected = after.find((c) => c.number === number)!;
    expect(corrected.id, "the new record is valid and managed").toBeTruthy();
    expect(corrected.duplicate).toBe(false);
    const revokedOn = /Révoquée? le ([^:]+) :/.exec(revokedCard)![1]!.trim();
    expect(await card(number!)).toMatch(new RegExp(`Remplace le n° ${original.number}, révoquée? le ${revokedOn}\\.`));
    expect(await card(original.number)).toMatch(new RegExp(`Remplacée? par le document rectifié n° ${number}\\.`));
    // The action is gone from the revoked card once the decision has its valid record again.
    expect(await card(original.number)).not.toContain("Délivrer un document rectifié");

    // Its PDF, sealed by the render job: the corrected name, and what it replaces.
    const text = await recordPdfText(kind === "Parchemin" ? "parchemin" : "attestation", corrected);
    const article = kind === "Parchemin" ? "le parchemin" : "l'attestation de blocs de compétences";
    const revokedWord = kind === "Parchemin" ? "révoqué" : "révoquée";
    expect(text).toContain(`Titulaire : ${before.givenNames} LEFÈVRE-MARTIN`);
    expect(text).not.toContain(`${before.givenNames} ${before.birthName}`);
    expect(text).toContain(`Document rectifié : remplace ${article} n° ${original.number}, ${revokedWord} le ${revokedOn}.`);
    expect(text).not.toContain("DUPLICATA");
    // /verifier: the new one valid, naming the one it replaces; the revoked one names its replacement.
    const verifierNew = decodeHtml(await (await get(`/verifier/${corrected.code}`, "")).text());
    expect(await verificationStatus(corrected.code)).toBe("Valide");
    expect(/data-testid="replaces"[^>]*>([^<]+)</.exec(verifierNew)?.[1]).toBe(
      `Document rectifié : remplace ${article} n° ${original.number}, ${revokedWord} le ${revokedOn}.`,
    );
    expect(verifierNew).toContain("LEFÈVRE-MARTIN");
    const hrefOf = (tag: string | undefined) => /href="([^"]+)"/.exec(tag ?? "")?.[1];
    expect(hrefOf(/<a [^>]*data-testid="replaces-link"[^>]*>/.exec(verifierNew)?.[0])).toBe(`/verifier/${original.code}`);
    // The revoked one says plainly when and by which document it was replaced, linking the replacement's page.
    const verifierOld = decodeHtml(await (await get(`/verifier/${original.code}`, "")).text());
    const replacedOn = /Délivré le<\/dt><dd>([^<]+)</.exec(verifierNew)?.[1];
    const replacedBy = /data-testid="replaced-by"[^>]*>([\s\S]*?)<\/p>/.exec(verifierOld)?.[1] ?? "";
    expect(replacedBy.replace(/<[^>]+>/g, "")).toBe(
      `Ce document a été remplacé le ${replacedOn} par le document n° ${number} (${kind.toLowerCase()}), délivré en rectification de celui-ci : il n'est plus valide.`,
    );
    expect(hrefOf(/<a [^>]*>(?=document n° )/.exec(replacedBy)?.[0])).toBe(`/verifier/${corrected.code}`);
    expect(await verificationStatus(original.code)).toMatch(/^Révoqué le /);

    // Once more, with a new submission: refused, a valid record exists for the decision.
    const again = await post(`/delivrance/documents/${original.id}`, { intent: "rectify" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { formErrors: string[] }).formErrors[0]).toContain(`Le document n° ${number}, délivré pour la même décision, est valide`);
    expect(await cards(holderPath)).toHaveLength(count + 1);

    // Audited once; the next number of its year.
    await withServerPrisma(server, async (prisma) => {
      const record = await prisma.deliveryRecord.findFirstOrThrow({ where: { number } });
      const old = await prisma.deliveryRecord.findFirstOrThrow({ where: { number: original.number } });
      expect([record.decisionId, record.replacesId, record.duplicateOfId]).toEqual([old.decisionId, old.id, null]);
      const previous = await prisma.deliveryRecord.aggregate({ where: { organisationId: record.organisationId, year: record.year, id: { not: record.id } }, _max: { sequence: true } });
      expect(record.sequence).toBe((previous._max.sequence ?? 0) + 1);
      const events = await prisma.auditEvent.findMany({ where: { action: "delivery.record.rectified", subjectId: record.id } });
      expect(events).toHaveLength(1);
      expect(events[0]!.data).toMatchObject({ number, replaces: original.number });
    });
  }, 240_000);
});

describe("a return to the jury after delivery", () => {
  it("is refused once records exist for the session; they stay valid, and no duplicate is issued while not final", async () => {
    const sessions = await page(`/sessions?q=${encodeURIComponent("session passée")}`);
    const sessionId = /href="\/sessions\/([a-z0-9]+)[^"]*"[^>]*>[^<]*session passée/.exec(sessions)?.[1];
    expect(sessionId, "the demo's past jury, its records issued").toBeTruthy();
    const delivery = `/sessions/${sessionId}/delivrance`;
    // The scheme now asks the CPNE to validate the decisions (switched on after the records were issued).
    await withServerPrisma(server, async (prisma) => {
      const session = await prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { referentialVersion: true } });
      const certification = await prisma.certification.findUniqueOrThrow({ where: { id: session.referentialVersion!.certificationId } });
      const scheme = certification.scheme as { jury?: Record<string, unknown> };
      await prisma.certification.update({ where: { id: certification.id }, data: { scheme: { ...scheme, jury: { ...scheme.jury, cpneValidation: true } } } });
    });
    const before = await page(delivery);
    const record = before
      .split("data-record=")
      .slice(1)
      .map((part) => ({ code: /href="\/verifier\/([a-z2-7]{26})"/.exec(part)?.[1], id: part.includes('value="duplicate"') ? /action="\/delivrance\/documents\/([a-z0-9]+)"/.exec(part)?.[1] : undefined }))
      .find((card) => card.id);
    expect(record, "a valid record of the past jury").toBeTruthy();
    const { code, id: recordId } = record!;
    expect(await verificationStatus(code!)).toBe("Valide");

    const returned = await post(`${delivery}.data`, { intent: "return", reason: "Avis de l'entreprise à vérifier." });
    expect(returned.status).toBe(409);
    expect(decodeHtml(await returned.text())).toContain(`Des documents ont déjà été délivrés pour les décisions de cette séance (n° `);
    expect(await page(delivery)).not.toContain("Renvoyées au jury le");
    expect(await verificationStatus(code!)).toBe("Valide");

    const duplicate = await post(`/delivrance/documents/${recordId}.data`, { intent: "duplicate" });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain("Pas de duplicata tant que la décision n'est pas définitive.");
    expect((await page(delivery)).split("data-record=").length).toBe(before.split("data-record=").length);
  }, 180_000);
});

describe("a duplicata asked without the form's key", () => {
  it("is issued once when the same request comes twice; the second is told which one was just issued", async () => {
    const { path, record } = await holderWithRecord();
    // A duplicata issued from the page (with its key), which nobody has duplicated yet.
    const made = await post(`/delivrance/documents/${record.id}.data`, { intent: "duplicate" });
    expect(made.status).toBe(200);
    const sourceNumber = duplicated.exec(await made.text())![1];
    const source = (await cards(path)).find((card) => card.number === sourceNumber)!;
    const before = (await cards(path)).length;

    const first = await bare(`/delivrance/documents/${source.id}.data`, { intent: "duplicate" });
    expect(first.status, await first.clone().text()).toBe(200);
    const number = duplicated.exec(await first.text())![1]!;
    const again = await bare(`/delivrance/documents/${source.id}`, { intent: "duplicate" });
    expect(again.status).toBe(409);
    const why = ((await again.json()) as { formErrors: string[] }).formErrors[0];
    expect(why).toMatch(new RegExp(`^Un duplicata de ce document vient d'être émis \\(n° ${number}, à \\d{1,2}\u00a0h\u00a0\\d{2}\\) : la même demande reçue une seconde fois n'en émet pas un autre\\.`));
    expect((await cards(path)).length).toBe(before + 1);
    // From the page (a new key: the page was loaded again), another one is issued as asked.
    expect((await post(`/delivrance/documents/${source.id}.data`, { intent: "duplicate" })).status).toBe(200);
    expect((await cards(path)).length).toBe(before + 2);
  }, 180_000);
});

describe("record commands' answers", () => {
  it("answer a refusal with its HTTP status and the refusal as JSON; the délivrance page refuses an unknown action", async () => {
    expect(revokedId, "the first test revoked a record").not.toBe("");
    const { record } = await holderWithRecord();
    const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as { ok: boolean; formErrors: string[]; fieldErrors: Record<string, string[]> } });

    const short = await json(await post(`/delivrance/documents/${record.id}`, { intent: "revoke", reason: "x" }));
    expect(short).toMatchObject({ status: 400, body: { ok: false, fieldErrors: { reason: ["Indiquez le motif de la révocation."] } } });
    expect(await json(await post(`/delivrance/documents/${record.id}`, { intent: "bogus" }))).toMatchObject({
      status: 400,
      body: { ok: false, formErrors: ["Commande inconnue."] },
    });
    expect((await post(`/delivrance/documents/unknown-record`, { intent: "duplicate" })).status).toBe(404);
    const refused = await json(await post(`/delivrance/documents/${revokedId}`, { intent: "duplicate" }));
    expect(refused.status).toBe(409);
    expect(refused.body.formErrors[0]).toMatch(/révoqué : pas de duplicata/);
    // As the record card's fetcher posts it: the same status, the refusal in the body it decodes.
    const viaFetcher = await post(`/delivrance/documents/${record.id}.data`, { intent: "revoke", reason: "x" });
    expect(viaFetcher.status).toBe(400);
    expect(await viaFetcher.text()).toContain("Indiquez le motif de la révocation.");

    const sessions = await page(`/sessions?q=${encodeURIComponent("session passée")}`);
    const sessionId = /href="\/sessions\/([a-z0-9]+)[^"]*"[^>]*>[^<]*session passée/.exec(sessions)?.[1];
    const unknown = await post(`/sessions/${sessionId}/delivrance.data`, { intent: "bogus" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Action inconnue.");
  }, 120_000);
});

describe("the published status list", () => {
  it("marks a record revoked in the database whose status bit was never written (the list's write failed)", async () => {
    const { record } = await holderWithRecord();
    const entry = await statusEntry(record.code);
    expect(await revokedBit(entry)).toBe(false);
    // The revocation committed, then its write of the status-list file failed (disk full, crash, file not writable):
    // the database says revoked, the file does not.
    await withServerPrisma(server, (prisma) =>
      prisma.deliveryRecord.update({ where: { id: record.id! }, data: { revokedAt: new Date(), revocationReason: "Décision réformée en appel" } }),
    );
    expect(await verificationStatus(record.code)).toMatch(/^Révoqué/);
    expect(await revokedBit(entry)).toBe(true);
  }, 180_000);
});
