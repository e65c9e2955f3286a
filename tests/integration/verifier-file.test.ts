/**
 * « Vérifier un fichier » on the public /verifier/<code> page, as a recruiter or an auditor would use it without an
 * account: the sealed PDF of the record is « intact »; the same PDF with one byte changed is reported modified; the
 * PDF of another record is an intact seal but not this document; a file that is not a PDF, and an unknown code, are
 * answered in French, never with a 500; the PDF of a revoked record is the document issued, but the answer says it was
 * revoked and on which day, as a warning, never « Fichier intact », and names the rectified document replacing it and
 * the day it did.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/clients";
import { decodeHtml, postForm } from "../support/html";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, type TestDatabase, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
let secretariat = "";
type Issued = { id: string; code: string; pdf: Uint8Array };
const issued: Issued[] = [];

const get = (path: string, cookie = secretariat) => fetch(`${server.baseUrl}${path}`, { redirect: "manual", headers: { Cookie: cookie } });

/** Posts a file to the verification page as its form does (multipart, no JavaScript, no account). */
async function checkFile(code: string, bytes: Uint8Array, name = "document.pdf"): Promise<{ status: number; text: string; html: string; tone: string }> {
  const form = new FormData();
  form.append("document", new File([new Uint8Array(bytes)], name, { type: "application/pdf" }));
  const res = await fetch(`${server.baseUrl}/verifier/${code}`, { method: "POST", redirect: "manual", headers: { Origin: server.baseUrl }, body: form });
  const html = decodeHtml(await res.text());
  return { status: res.status, html, tone: /data-testid="file-check" data-tone="([a-z]+)"/.exec(html)?.[1] ?? "", text: /data-testid="file-check"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() ?? html.slice(0, 300) };
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  server = await startServer({ database, env: { QUORUM_VERIFY_BURST: "1000", QUORUM_VERIFY_PER_MINUTE: "1000" } });
  secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  // Two demo records with their sealed PDFs, as the candidates' pages link them once the render jobs produced them.
  await until(async () => {
    issued.length = 0;
    const list = decodeHtml(await (await get("/candidates")).text());
    for (const [, id] of list.matchAll(/href="\/candidates\/(c[a-z0-9]+)"/g)) {
      if (issued.length >= 2) break;
      const page = decodeHtml(await (await get(`/candidates/${id}`)).text());
      const pdf = /href="(\/delivrance\/pdf\/(?:parchemin|attestation)\/([a-z0-9]+))"/.exec(page);
      const code = /href="\/verifier\/([a-z2-7]{26})"/.exec(page)?.[1];
      if (!pdf || !code) continue;
      const res = await get(pdf[1]!);
      if (res.status === 200) issued.push({ id: pdf[2]!, code, pdf: new Uint8Array(await res.arrayBuffer()) });
    }
    return issued.length >= 2;
  }, "two demo records with their sealed PDFs", { timeoutMs: 90_000 });
  expect(issued.length).toBe(2);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await database?.dispose();
});

describe("« Vérifier un fichier » on /verifier", () => {
  it("says the record's own PDF is intact, and offers the check on the page", async () => {
    const [record] = issued;
    const page = decodeHtml(await (await get(`/verifier/${record!.code}`, "")).text());
    expect(page).toContain("Vérifier un fichier");
    const result = await checkFile(record!.code, record!.pdf);
    expect(result.status).toBe(200);
    expect(result.text).toContain("Fichier intact : c'est exactement le document délivré sous ce code");
  });

  it("reports the same PDF with one byte changed as modified", async () => {
    const [record] = issued;
    const text = Buffer.from(record!.pdf).toString("latin1");
    const tampered = Buffer.from(record!.pdf);
    const at = text.indexOf("/Producer");
    tampered[at + 12] ^= 0x01;
    const result = await checkFile(record!.code, tampered);
    expect(result.status).toBe(200);
    expect(result.text).toContain("Ce fichier a été modifié ou n'est pas le document délivré sous ce code.");
    expect(result.text).toContain("modifié après le scellement");
  });

  it("says another record's PDF, validly sealed, is not this document", async () => {
    const [record, other] = issued;
    const result = await checkFile(record!.code, other!.pdf);
    expect(result.text).toContain("Ce fichier porte un cachet intact, mais ce n'est pas le document délivré sous ce code");
  });

  it("answers a file that is not a PDF, an empty form and an unknown code in French, never a 500", async () => {
    const [record] = issued;
    const notPdf = await checkFile(record!.code, new TextEncoder().encode("bonjour"), "lettre.txt");
    expect(notPdf.text).toContain("Ce fichier n'est pas un PDF");
    const unknown = await checkFile("aaaaaaaaaaaaaaaaaaaaaaaaaa", record!.pdf);
    expect(unknown.status).toBe(404);
    expect(unknown.html).toMatch(/data-testid="verification-status"[^>]*>Document introuvable/);
    // Someone who typed the address from the paper is told which code was not found and what to check: the page
    // said only « Document introuvable. ».
    const typoCode = `${record!.code.slice(0, -1)}${record!.code.endsWith("x") ? "y" : "x"}`;
    const typo = await fetch(`${server.baseUrl}/verifier/${typoCode}`);
    expect(typo.status).toBe(404);
    const typoText = decodeHtml(await typo.text());
    expect(typoText).toContain(`aucun document délivré ne porte le code « ${typoCode} »`);
    expect(typoText).toContain("Vérifiez l'adresse recopiée du document");
    const empty = await fetch(`${server.baseUrl}/verifier/${record!.code}`, { method: "POST", headers: { Origin: server.baseUrl }, body: new FormData() });
    expect(empty.status).toBe(400);
    expect(decodeHtml(await empty.text())).toContain("Choisissez le fichier PDF à vérifier.");
  });

  it("says the PDF of a revoked record is the document issued, revoked on its day, as a warning", async () => {
    const [record] = issued;
    expect((await checkFile(record!.code, record!.pdf)).tone).toBe("success");
    const revoked = await postForm(server.baseUrl, secretariat, `/delivrance/documents/${record!.id}`, { intent: "revoke", reason: "Erreur matérielle sur le nom" });
    expect(revoked.status).toBe(200);
    const page = decodeHtml(await (await get(`/verifier/${record!.code}`, "")).text());
    const day = /data-testid="verification-status"[^>]*>Révoqué le ([^<]+)</.exec(page)?.[1];
    expect(day, "the page's banner").toBeTruthy();
    const result = await checkFile(record!.code, record!.pdf);
    expect(result.status).toBe(200);
    expect(result.text).not.toContain("Fichier intact");
    expect(result.text).toContain(`Ce fichier est bien le document délivré sous ce code (même empreinte SHA-256), mais ce document a été révoqué le ${day} : il n'est plus valide.`);
    expect(result.tone).toBe("warning");
    // Once a rectified document replaces it, the answer names it, with the day it was replaced.
    const rectified = await postForm(server.baseUrl, secretariat, `/delivrance/documents/${record!.id}.data`, { intent: "rectify" });
    expect(rectified.status).toBe(200);
    const number = /Document rectifié n° ([A-Z0-9-]+) délivré/.exec(decodeHtml(await rectified.text()))?.[1];
    expect(number, "the rectified record's number").toBeTruthy();
    const replaced = await checkFile(record!.code, record!.pdf);
    expect(replaced.text).toMatch(
      new RegExp(`révoqué le ${day}\\. Ce document a été remplacé le \\d{1,2}(er)? [a-zéû]+ \\d{4} par le document n° ${number} \\((parchemin|attestation de blocs de compétences)\\), délivré en rectification de celui-ci : il n'est plus valide\\.`),
    );
    expect(replaced.tone).toBe("warning");
  });
});
