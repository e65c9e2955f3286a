/**
 * Delivery records on a real database (PGlite, or PostgreSQL with QUORUM_TEST_DATABASE_URL):
 * - ten records issued at the same instant get ten consecutive numbers, no gap, none reused;
 * - a record is numbered in the year of its issue in Paris (00:30 on 1 January there is the new year), gapless
 *   across the turn of the year;
 * - the PDF's « Délivré le » is the day of issue in Paris (22:30 UTC on 1 July is 2 July there), « 1er » the first;
 * - the attestation's PDF text says « uniquement » and names the bloc code; the parchemin holds the eight mentions;
 * - the verification lookup shows the record valid, then revoked after revocation, when the credential's status
 *   check fails too; an unknown code is « introuvable » (null).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSeededDatabase } from "../support/prisma";
import { inDemoOrganisation } from "../support/demo-organisation";

let prisma: import("~/platform/db/db.server").PrismaClient;
let close: () => Promise<void>;
let organisationId = "";
let candidateId = "";
let certificationId = "";
let userId = "";
const dataDir = mkdtempSync(path.join(tmpdir(), "quorum-delivery-"));

const snapshot = {
  holder: { birthName: "MARTIN", usageName: null, givenNames: "Léa", birthDate: "1990-05-04", birthPlace: "Lyon (69)", email: "lea@example.org" },
  certification: {
    kind: "CQP",
    code: "RNCP38544",
    title: "Technicien de maintenance industrielle",
    nationalLevel: 4,
    eqfLevel: 4,
    nsfCodes: ["250r"],
    decisionDate: "2024-01-25",
    certifierName: "Branche Démo (association paritaire)",
    signatory: "Claire DUPONT, présidente de la CPNE",
  },
  blocs: [{ code: "RNCP38544BC01", title: "Diagnostiquer une panne" }],
  missingBlocs: [{ code: "RNCP38544BC02", title: "Réaliser la maintenance préventive" }],
};

beforeAll(async () => {
  ({ prisma, close } = await openSeededDatabase({ PUBLIC_URL: "https://quorum.example.org" }));
  const candidate = await prisma.candidate.findFirstOrThrow({ where: inDemoOrganisation });
  const certification = await prisma.certification.findFirstOrThrow({ where: { organisationId: candidate.organisationId } });
  const membership = await prisma.membership.findFirstOrThrow({ where: { organisationId: candidate.organisationId } });
  organisationId = candidate.organisationId;
  candidateId = candidate.id;
  certificationId = certification.id;
  userId = membership.userId;
}, 240_000);

afterAll(async () => {
  await close?.();
});

async function issue(kind: "PARCHEMIN" | "ATTESTATION", issuedAt?: Date) {
  const { createDeliveryRecord } = await import("~/delivery/record-store.server");
  return prisma.$transaction((tx) =>
    createDeliveryRecord(tx, {
      organisationId,
      kind,
      candidateId,
      certificationId,
      decisionId: null,
      snapshot: kind === "PARCHEMIN" ? { ...snapshot, blocs: [...snapshot.blocs, ...snapshot.missingBlocs], missingBlocs: [] } : snapshot,
      preconisations: "Approfondir la maintenance préventive.",
      validUntil: kind === "PARCHEMIN" ? null : new Date("2031-03-10T00:00:00Z"),
      placeOfIssue: "Lyon",
      issuedById: userId,
      issuedAt,
    }),
  );
}

function pdfText(bytes: Uint8Array): string {
  const file = path.join(dataDir, `doc-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

describe("delivery records", () => {
  it("numbers ten concurrent issues consecutively, without gap or reuse", async () => {
    const before = await issue("ATTESTATION"); // the year's counter row exists: the ten race on its lock only
    const records = await Promise.all(Array.from({ length: 10 }, () => issue("ATTESTATION")));
    const sequences = records.map((r) => r.sequence).sort((a, b) => a - b);
    expect(sequences).toEqual(Array.from({ length: 10 }, (_, i) => before.sequence + 1 + i));
    expect(new Set(records.map((r) => r.number)).size).toBe(10);
    expect(records[0].number).toMatch(/^[A-Z0-9-]+-\d{4}-\d{6}$/);
    expect(new Set(records.map((r) => r.verificationCode)).size).toBe(10);
    expect(records[0].verificationCode).toMatch(/^[a-z2-7]{26}$/);
  }, 120_000);

  it("numbers a record in the year of its issue in Paris, consecutively across the turn of the year", async () => {
    const lastOfYear = await issue("ATTESTATION", new Date("2040-12-31T22:59:00Z")); // 23:59 on 31 December in Paris
    const firstOfYear = await issue("ATTESTATION", new Date("2040-12-31T23:30:00Z")); // 00:30 on 1 January 2041 there
    const next = await issue("ATTESTATION", new Date("2041-01-01T09:00:00Z"));
    expect(lastOfYear.year).toBe(2040);
    expect(lastOfYear.number).toMatch(/-2040-000001$/);
    expect([firstOfYear.year, firstOfYear.sequence]).toEqual([2041, 1]);
    expect(firstOfYear.number).toMatch(/-2041-000001$/);
    expect([next.year, next.sequence]).toEqual([2041, 2]);
    expect(next.number).toMatch(/-2041-000002$/);
  }, 120_000);

  it("seals an attestation that covers only its blocs, and a parchemin with the eight mentions", async () => {
    const { finishRecord } = await import("~/delivery/finish-record.server");
    const attestation = await issue("ATTESTATION");
    const attestationPdf = await finishRecord(attestation.id);
    const text = pdfText(attestationPdf.content);
    expect(attestationPdf.kind).toBe("attestation");
    expect(text).toContain("uniquement");
    expect(text).toContain("RNCP38544BC01");
    expect(text).toContain("RNCP38544BC02"); // still missing
    expect(text).toContain("Approfondir la maintenance préventive.");
    expect(text).toContain("10 mars 2031");

    const parchemin = await issue("PARCHEMIN");
    const parcheminPdf = await finishRecord(parchemin.id);
    const mentions = pdfText(parcheminPdf.content).replace(/\s+/g, " ");
    expect(parcheminPdf.kind).toBe("parchemin");
    expect(mentions).toContain("RNCP38544"); // registration
    expect(mentions).toContain("France Compétences du 25 janvier 2024");
    expect(mentions).toContain("Branche Démo (association paritaire)"); // certifier
    expect(mentions).toContain("Technicien de maintenance industrielle"); // exact title
    expect(mentions).toMatch(/niveau national 4 ; niveau européen \(CEC\/EQF\) 4/);
    expect(mentions).toContain("250r"); // NSF
    expect(mentions).toContain("Léa MARTIN"); // holder
    expect(mentions).toMatch(/Délivré le : \d{1,2}(er)? \S+ \d{4} à Lyon/); // date and place
    expect(mentions).toContain("Claire DUPONT, présidente de la CPNE"); // authorised signatory
    expect(mentions).toContain(`/verifier/${parchemin.verificationCode}`);
  }, 120_000);

  it("dates the PDF by the day of issue in Paris: 22:30 UTC on 1 July is « 2 juillet 2026 »", async () => {
    const { finishRecord } = await import("~/delivery/finish-record.server");
    const parchemin = await issue("PARCHEMIN", new Date("2026-07-01T22:30:00Z")); // 00:30 on 2 July in Paris
    const text = pdfText((await finishRecord(parchemin.id)).content).replace(/\s+/g, " ");
    expect(text).toContain("Délivré le : 2 juillet 2026 à Lyon");
    // Calendar days stay the days they are: birth and France Compétences' decision.
    expect(text).toContain("4 mai 1990");
    expect(text).toContain("France Compétences du 25 janvier 2024");
    // The first of a month is « 1er » (22:30 UTC on 30 June is 00:30 on 1 July in Paris).
    const first = await issue("PARCHEMIN", new Date("2026-06-30T22:30:00Z"));
    expect(pdfText((await finishRecord(first.id)).content).replace(/\s+/g, " ")).toContain("Délivré le : 1er juillet 2026 à Lyon");
  }, 120_000);

  it("verification shows valid, then revoked with a failing credential status; unknown is introuvable", async () => {
    const { finishRecord, credentialsContext } = await import("~/delivery/finish-record.server");
    const { findRecordForVerification } = await import("~/delivery/verify-record.server");
    const { revokeRecord } = await import("~/delivery/revoke-record.server");
    const { verifyOpenBadge } = await import("~/delivery/credentials/open-badge.server");
    const record = await issue("ATTESTATION");
    await finishRecord(record.id);
    const valid = await findRecordForVerification(record.verificationCode);
    expect(valid?.status).toBe("valid");
    expect(valid?.blocs.map((b) => b.code)).toEqual(["RNCP38544BC01"]);
    expect(valid?.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    const stored = await prisma.deliveryRecord.findUniqueOrThrow({ where: { id: record.id } });
    expect(await verifyOpenBadge(credentialsContext(), stored.credential as Record<string, unknown>)).toEqual({ verified: true });

    const actor = { userId, organisationId, ip: null, userAgent: null };
    // A reason that a bidirectional override would print reversed in the audit log and the register: refused at
    // its field, nothing revoked.
    const { UNSAFE_TEXT_MESSAGE } = await import("~/domain/safe-text");
    await expect(revokeRecord({ actor, recordId: record.id, reason: "Erreur de \u202Enoitacifitrec" })).rejects.toMatchObject({
      fieldErrors: { reason: [UNSAFE_TEXT_MESSAGE] },
    });
    expect((await findRecordForVerification(record.verificationCode))?.status).toBe("valid");
    // Nor a reason longer than the card's field allows (a script posting a megabyte): printed on every card.
    await expect(revokeRecord({ actor, recordId: record.id, reason: "Motif ".repeat(100) })).rejects.toMatchObject({
      fieldErrors: { reason: ["Le motif de la révocation tient en 500 caractères au plus."] },
    });
    expect((await findRecordForVerification(record.verificationCode))?.status).toBe("valid");
    await revokeRecord({ actor, recordId: record.id, reason: "Décision réformée en appel" });
    expect((await findRecordForVerification(record.verificationCode))?.status).toBe("revoked");
    const after = await verifyOpenBadge(credentialsContext(), stored.credential as Record<string, unknown>);
    expect(after.verified).toBe(false);

    expect(await findRecordForVerification("aaaaaaaaaaaaaaaaaaaaaaaaaa")).toBeNull();
    expect(await findRecordForVerification("not-a-code")).toBeNull();
  }, 120_000);
});
