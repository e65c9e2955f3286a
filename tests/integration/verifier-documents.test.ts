/**
 * The public verification code of a decision notice letter and of a fiche de décision (docs/decisions/0029), as a
 * candidate's future employer would use it without an account: the demo's past jury notified its candidates and
 * signed their sheets; each sealed PDF prints « Vérifier ce document » and the address /verifier/<code> (pdftotext reads
 * it), and that page says « Valide », the kind of document, the certification and the candidate's name as printed —
 * nothing of the candidate's file (address, e-mail). The PDF itself is « intact » there, and the secretariat's
 * « Délivrance » page links the letter's public page. A letter re-issued is
 * « Remplacé par une version plus récente », with a link to the new letter's page, which names the letter it replaces.
 * An unknown code is answered in French, 404.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/clients";
import { decodeHtml } from "../support/html";
import { DEMO_ACCOUNTS, login, prepareDemoDatabase, startServer, withServerPrisma, type TestDatabase, type TestServer } from "../support/server";

let database: TestDatabase;
let server: TestServer;
let secretariat = "";
let tmp = "";

type Letter = { id: string; decisionId: string; documentId: string; verificationCode: string; candidateName: string; createdAt: Date };
type Sheet = { decisionId: string; verificationCode: string; sessionId: string; agendaItemId: string; candidate: string };
let letter: Letter;
let sheet: Sheet;

/** The public page, as anyone reaches it (no account). */
const verifier = async (code: string) => {
  const res = await fetch(`${server.baseUrl}/verifier/${code}`, { redirect: "manual" });
  const html = decodeHtml(await res.text());
  const text = html.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");
  return { status: res.status, html, text };
};

/** Downloads a PDF as the secretariat and returns its text as pdftotext reads it. */
async function pdfText(url: string, name: string): Promise<{ bytes: Uint8Array; text: string }> {
  const res = await fetch(`${server.baseUrl}${url}`, { headers: { Cookie: secretariat } });
  expect(res.status, url).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  return { bytes, text: execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }) };
}

/** Posts a file to the verification page as its form does. */
async function checkFile(code: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append("document", new File([new Uint8Array(bytes)], "document.pdf", { type: "application/pdf" }));
  const res = await fetch(`${server.baseUrl}/verifier/${code}`, { method: "POST", redirect: "manual", headers: { Origin: server.baseUrl }, body: form });
  const html = decodeHtml(await res.text());
  return /data-testid="file-check"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim() ?? html.slice(0, 300);
}

beforeAll(async () => {
  database = await prepareDemoDatabase();
  server = await startServer({ database, env: { QUORUM_VERIFY_BURST: "1000", QUORUM_VERIFY_PER_MINUTE: "1000" } });
  secretariat = await login(server.baseUrl, DEMO_ACCOUNTS.secretariat);
  tmp = mkdtempSync(path.join(os.tmpdir(), "quorum-verifier-documents-"));
  // A notified candidate's letter and a signed fiche de décision of the demo, once the render runner sealed their PDFs.
  await until(
    () =>
      withServerPrisma(server, async (prisma) => {
        const letters = (await prisma.noticeLetter.findMany({
          where: { verificationCode: { not: null }, supersededAt: null },
          orderBy: { createdAt: "asc" },
        })) as Letter[];
        const rendered = (await prisma.signedDocument.findMany({ where: { kind: { in: ["notice", "decision"] } }, select: { kind: true, documentId: true } })) as {
          kind: string;
          documentId: string;
        }[];
        const found = letters.find((l) => rendered.some((d) => d.kind === "notice" && d.documentId === l.documentId));
        const sheets = (await prisma.juryDecisionSheet.findMany({
          where: { verificationCode: { not: null }, status: "SIGNED" },
          select: { decisionId: true, verificationCode: true, decision: { select: { sessionId: true, agendaItemId: true } }, sealedContent: true },
        })) as { decisionId: string; verificationCode: string; decision: { sessionId: string; agendaItemId: string }; sealedContent: { sheet: { candidate: { name: string } } } }[];
        const signed = sheets.find((s) => rendered.some((d) => d.kind === "decision" && d.documentId === s.decision.agendaItemId));
        if (!found || !signed) return false;
        letter = found;
        sheet = { decisionId: signed.decisionId, verificationCode: signed.verificationCode, ...signed.decision, candidate: signed.sealedContent.sheet.candidate.name };
        return true;
      }),
    "a demo notice letter and a fiche de décision with their sealed PDFs",
    { timeoutMs: 120_000 },
  );
}, 240_000);

afterAll(async () => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  await server?.stop();
  await database?.dispose();
});

describe("/verifier for notice letters and fiches de décision", () => {
  it("reads the notice letter's code in its PDF, and its page says it is valid with what the letter prints", async () => {
    const { bytes, text } = await pdfText(`/delivrance/pdf/notice/${letter.documentId}`, "notice.pdf");
    expect(text).toContain("Vérifier ce document");
    // Its own address follows its « Vérifier ce document » (the records it announces have theirs in the body).
    const code = /\/verifier\/([a-z2-7]{26})/.exec(text.slice(text.lastIndexOf("Vérifier ce document")))?.[1];
    expect(code, "the letter's own verification address in its text").toBe(letter.verificationCode);

    const page = await verifier(code!);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/data-testid="verification-status"[^>]*>\s*Valide\s*</);
    expect(page.text).toContain("Lettre de notification de la décision du jury");
    expect(page.text).toContain(letter.candidateName);
    expect(page.text).toContain("Décision du jury du");
    // What the demo's certification is: the letter names it (its title and code).
    const { certification, candidate, sessionId } = await withServerPrisma(server, async (prisma) => {
      const decision = (await prisma.juryDecision.findUnique({
        where: { id: letter.decisionId },
        select: {
          sessionId: true,
          dossier: { select: { certification: { select: { title: true, code: true } }, candidate: { select: { email: true, postalAddress: true } } } },
        },
      })) as { sessionId: string; dossier: { certification: { title: string; code: string }; candidate: { email: string | null; postalAddress: string | null } } };
      return { ...decision.dossier, sessionId: decision.sessionId };
    });
    expect(page.text).toContain(`${certification.title} (${certification.code})`);
    // Nothing of the candidate's file beyond what the letter prints for a third party.
    if (candidate.email) expect(page.text).not.toContain(candidate.email);
    for (const line of (candidate.postalAddress ?? "").split("\n").filter((l) => l.trim().length > 4)) expect(page.text).not.toContain(line.trim());

    expect(await checkFile(code!, bytes)).toContain("Fichier intact : c'est exactement le document délivré sous ce code");

    // The secretariat's « Délivrance » page links the letter's public page beside its PDF.
    const delivery = await fetch(`${server.baseUrl}/sessions/${sessionId}/delivrance`, { headers: { Cookie: secretariat } });
    expect(delivery.status).toBe(200);
    expect(decodeHtml(await delivery.text())).toMatch(new RegExp(`href="/verifier/${code}"[^>]*data-testid="notice-verifier"[^>]*>\\s*Page de vérification publique`));
  }, 120_000);

  it("reads the fiche de décision's code in its PDF, and its page says it is valid with the name as signed", async () => {
    const { bytes, text } = await pdfText(`/sessions/${sheet.sessionId}/decisions/${sheet.agendaItemId}/fiche.pdf`, "fiche.pdf");
    expect(text).toContain("Vérifier ce document");
    expect(text).toContain(`/verifier/${sheet.verificationCode}`);

    const page = await verifier(sheet.verificationCode);
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/data-testid="verification-status"[^>]*>\s*Valide\s*</);
    expect(page.text).toContain("Fiche de décision du jury");
    expect(page.text).toContain(sheet.candidate);
    expect(page.text).toContain("Signée le");
    // Not the decision's content: no préconisations, no votes.
    expect(page.text).not.toContain("Préconisations");
    expect(await checkFile(sheet.verificationCode, bytes)).toContain("Fichier intact");
  }, 120_000);

  it("says a letter replaced by a re-issued one is no longer current, and links the new letter, which names it", async () => {
    // What « Réémettre la lettre » writes (app/delivery/reissue-decision-notice.server.ts): a new letter with its own
    // code, the previous one marked superseded by it.
    const newCode = "abcdefghijklmnopqrstuvwxyz";
    await withServerPrisma(server, async (prisma) => {
      const reissued = (await prisma.noticeLetter.create({
        data: {
          decisionId: letter.decisionId,
          sequence: 1,
          documentId: `reissued-${letter.id}`,
          candidateName: letter.candidateName,
          verificationCode: newCode,
          createdAt: new Date(letter.createdAt.getTime() + 3 * 86_400_000),
          reason: "changed",
        },
      })) as { id: string };
      await prisma.noticeLetter.update({ where: { id: letter.id }, data: { supersededAt: new Date(), supersededById: reissued.id } });
    });
    const old = await verifier(letter.verificationCode);
    expect(old.status).toBe(200);
    expect(old.html).toMatch(/data-testid="verification-status"[^>]*>\s*Remplacé par une version plus récente\s*</);
    expect(old.text).toMatch(/Cette lettre a été remplacée le \d+ \S+ \d{4} par une nouvelle lettre réémise par l'organisme : elle n'est plus en vigueur\./);
    expect(old.html).toContain(`href="/verifier/${newCode}"`);

    const current = await verifier(newCode);
    expect(current.html).toMatch(/data-testid="verification-status"[^>]*>\s*Valide\s*</);
    expect(current.text).toMatch(/Lettre réémise : elle remplace la lettre du \d+ \S+ \d{4}\./);
    expect(current.html).toContain(`href="/verifier/${letter.verificationCode}"`);
  }, 60_000);

  it("answers an unknown code in French, 404", async () => {
    const page = await verifier("zzzzzzzzzzzzzzzzzzzzzzzzzz");
    expect(page.status).toBe(404);
    expect(page.text).toContain("Document introuvable : aucun document délivré ne porte le code « zzzzzzzzzzzzzzzzzzzzzzzzzz ».");
  }, 30_000);
});
