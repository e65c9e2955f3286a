/**
 * CPNE validation and decision notices on a real database (PGlite, or PostgreSQL in the postgres tier):
 * - the demo's past jury has its records issued (a parchemin, an attestation de blocs) and a candidate whose
 *   partial validation expires within 90 days;
 * - with the scheme's `jury.cpneValidation`, records are refused until an authorised user validates the session's
 *   decisions in one signed act; a return to the jury needs a reason, is audited, and keeps records refused;
 *   a member (not secretariat) cannot validate; a wrong password validates nothing;
 * - the notice: one e-mail per candidate in the outbox with the verification link, the préconisations and the
 *   appeal deadline; sent once; its sealed letter PDF says the same.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedJuryWithPartialDecision as partialDecisionFixture, setCpneValidation as setCpneValidationOf } from "../support/jury-fixtures";
import { openSeededDatabase } from "../support/prisma";

let prisma: import("~/platform/db/db.server").PrismaClient;
let close: () => Promise<void>;
const dataDir = mkdtempSync(path.join(tmpdir(), "quorum-validation-"));
const PASSWORD = "quorum-demo";
const ports = { realtime: {} as import("~/live/realtime-port").RealtimePort };

beforeAll(async () => {
  ({ prisma, close } = await openSeededDatabase({ PUBLIC_URL: "https://quorum.example.org" }));
}, 240_000);

afterAll(async () => {
  await close?.();
});

function pdfText(bytes: Uint8Array): string {
  const file = path.join(dataDir, `doc-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}

async function actorOf(email: string) {
  const user = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
  return { userId: user.id, organisationId: user.memberships[0]!.organisationId, ip: null, userAgent: null };
}

/** A closed jury session of the CQP Assistant(e) de formation with one partial decision for a candidate with an e-mail. */
const closedJuryWithPartialDecision = () =>
  partialDecisionFixture(prisma, {
    title: "Jury à valider par la CPNE",
    candidate: { birthName: "VALIDE", givenNames: "Camille", email: "camille.valide@example.org" },
  });

const setCpneValidation = (certificationId: string, on: boolean) =>
  setCpneValidationOf(prisma, certificationId, on, { appealsAllowed: true, appealDeadlineDays: 30 });

describe("demo delivery", () => {
  it("the past jury's records are issued, and a partial validation expires within 90 days", async () => {
    const past = await prisma.session.findFirstOrThrow({ where: { title: "Jury paritaire de délivrance — session passée" }, include: { juryDecisions: true } });
    const records = await prisma.deliveryRecord.findMany({ where: { decisionId: { in: past.juryDecisions.map((d) => d.id) } } });
    expect(records.map((r) => r.kind).sort()).toEqual(["ATTESTATION", "PARCHEMIN"]);
    const jobs = await prisma.renderJob.findMany({ where: { documentId: { in: records.map((r) => r.id) } } });
    expect(jobs.map((j) => j.documentKind).sort()).toEqual(["attestation", "parchemin"]);

    const none = past.juryDecisions.find((d) => d.overall === "NONE")!;
    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: none.dossierId } });
    const { acquiredFor } = await import("~/delivery/acquired-for.server");
    const summary = await acquiredFor(dossier.candidateId, dossier.certificationId);
    expect(summary.status).toBe("PARTIAL");
    expect(summary.expiringSoon).toHaveLength(1);
    // The candidate's earlier record for this certification (not one the past jury's decisions issued).
    const old = await prisma.deliveryRecord.findFirstOrThrow({
      where: { candidateId: dossier.candidateId, certificationId: dossier.certificationId, decisionId: { notIn: past.juryDecisions.map((d) => d.id) } },
      orderBy: { issuedAt: "asc" },
    });
    expect(old.kind).toBe("ATTESTATION");
    expect(old.validUntil!.getTime() - Date.now()).toBeLessThan(90 * 86_400_000);
  });
});

describe("CPNE validation", () => {
  it("refuses records before validation, returns with a reason, validates in one signed act, then issues", async () => {
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const { returnSessionDecisions } = await import("~/delivery/return-session-decisions.server");
    const { validateSessionDecisions } = await import("~/delivery/validate-session-decisions.server");
    const { session, certificationId } = await closedJuryWithPartialDecision();
    await setCpneValidation(certificationId, true);
    const secretariat = await actorOf("secretariat@quorum.test");
    const member = await actorOf("membre1@quorum.test");
    // The desk's « Décisions en attente de validation CPNE » lists the jury until its validation is signed.
    const { listDecisionsAwaitingValidation } = await import("~/back-office/desk/list-desk-items.server");
    const awaiting = async () => (await listDecisionsAwaitingValidation(secretariat.organisationId)).find((v) => v.sessionId === session.id);
    expect(await awaiting()).toEqual({ sessionId: session.id, title: "Jury à valider par la CPNE", decisions: 1, returned: false });

    await expect(issueSessionRecords({ actor: secretariat, sessionId: session.id })).rejects.toThrow(/validées par la CPNE/);

    await expect(returnSessionDecisions({ actor: secretariat, sessionId: session.id, reason: "  " })).rejects.toMatchObject({
      fieldErrors: { reason: [expect.stringContaining("motif")] },
    });
    await returnSessionDecisions({ actor: secretariat, sessionId: session.id, reason: "Conformité du dossier à vérifier (avis de l'entreprise)." });
    await expect(issueSessionRecords({ actor: secretariat, sessionId: session.id })).rejects.toThrow(/renvoyées au jury.*avis de l'entreprise/);
    expect((await awaiting())?.returned).toBe(true);
    const returned = await prisma.auditEvent.findFirst({ where: { action: "delivery.decisions.returned", subjectId: session.id } });
    expect(returned?.actorId).toBe(secretariat.userId);

    await expect(
      validateSessionDecisions({ actor: member, sessionId: session.id, password: PASSWORD, consent: true, ports }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      validateSessionDecisions({ actor: secretariat, sessionId: session.id, password: "wrong-password", consent: true, ports }),
    ).rejects.toMatchObject({ fieldErrors: { password: [expect.any(String)] } });
    await expect(issueSessionRecords({ actor: secretariat, sessionId: session.id })).rejects.toThrow(/renvoyées au jury/);

    const validated = await validateSessionDecisions({ actor: secretariat, sessionId: session.id, password: PASSWORD, consent: true, ports });
    expect(validated.status).toBe("SIGNED");
    expect(await awaiting()).toBeUndefined();
    const signature = await prisma.signature.findFirstOrThrow({ where: { documentKind: "validation", documentId: session.id } });
    const row = await prisma.sessionValidation.findUniqueOrThrow({ where: { sessionId: session.id } });
    expect(signature.userId).toBe(secretariat.userId);
    expect(signature.contentHash).toBe(row.sealedHash);
    const actions = (await prisma.auditEvent.findMany({ where: { subjectId: session.id } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["validation.sealed", "validation.signed", "validation.completed"]));
    expect(await prisma.renderJob.count({ where: { documentKind: "validation", documentId: session.id } })).toBe(1);
    // Validating again changes nothing.
    expect((await validateSessionDecisions({ actor: secretariat, sessionId: session.id, password: "", consent: false, ports })).status).toBe("SIGNED");

    expect(await issueSessionRecords({ actor: secretariat, sessionId: session.id })).toEqual({ issued: 1, awaitingSheet: [] });
    expect(await issueSessionRecords({ actor: secretariat, sessionId: session.id })).toEqual({ issued: 0, awaitingSheet: [] });
    await setCpneValidation(certificationId, false);
  }, 120_000);
});

describe("decision notice", () => {
  it("e-mails the candidate once with the verification link, préconisations and appeal deadline; the letter is sealed", async () => {
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const { sendDecisionNotices } = await import("~/delivery/send-decision-notice.server");
    const { noticeKind } = await import("~/delivery/notice-kind.server");
    const { renderNoticePdf } = await import("~/delivery/notice-pdf.server");
    const { session, candidate, certificationId, firstBloc } = await closedJuryWithPartialDecision();
    await setCpneValidation(certificationId, false);
    const secretariat = await actorOf("secretariat@quorum.test");

    await expect(sendDecisionNotices({ actor: secretariat, sessionId: session.id })).rejects.toThrow(/Délivrez d'abord/);
    await issueSessionRecords({ actor: secretariat, sessionId: session.id, placeOfIssue: "Paris" });
    const record = await prisma.deliveryRecord.findFirstOrThrow({ where: { candidateId: candidate.id } });
    await prisma.deliveryRecord.update({ where: { id: record.id }, data: { preconisations: "Suivre le module d'ingénierie." } });

    expect(await sendDecisionNotices({ actor: secretariat, sessionId: session.id })).toEqual({ emailed: 1, letterOnly: 0 });
    expect(await sendDecisionNotices({ actor: secretariat, sessionId: session.id })).toEqual({ emailed: 0, letterOnly: 0 });
    const emails = await prisma.outboxEmail.findMany({ where: { to: "camille.valide@example.org" } });
    expect(emails).toHaveLength(1);
    const text = emails[0]!.text;
    expect(text).toContain(`https://quorum.example.org/verifier/${record.verificationCode}`);
    expect(text).toContain(firstBloc.code);
    expect(text).toContain("Voies de recours");
    const deadline = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" });
    expect(text).toContain(`dans un délai de 30 jours à compter de la présente notification, soit au plus tard le ${deadline}`);
    expect(await prisma.auditEvent.count({ where: { action: "delivery.notice.sent" } })).toBeGreaterThanOrEqual(1);

    const decision = await prisma.juryDecision.findFirstOrThrow({ where: { sessionId: session.id } });
    const input = await noticeKind.pdf.input(prisma, { documentId: decision.id }, 0);
    const letter = pdfText((await renderNoticePdf(input as Parameters<typeof renderNoticePdf>[0])).pdf);
    expect(letter).toContain("Notification de la décision du jury");
    expect(letter).toContain(record.number);
    expect(letter).toContain(`soit au plus tard le ${deadline}`);
  }, 120_000);
});
