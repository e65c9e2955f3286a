/**
 * The fiche de décision before the documents (docs/decisions/0019), on a real database (PGlite, or PostgreSQL in the
 * postgres tier):
 * - a decision whose fiche is not signed gets no parchemin or attestation: the issuance is refused in French, naming
 *   the candidate and where the president signs it, and nothing is written (no number taken, no audit event);
 * - once signed, the same act issues it, once;
 * - a session issues the candidates whose fiche is signed and names the others, whom the notice waits for too;
 * - the desk counts only the records that can be issued, and lists the fiches to sign;
 * - where the CPNE validates, it validates a jury whose fiches are all signed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedJuryWithPartialDecision, setCpneValidation, signDecisionSheet } from "../support/jury-fixtures";
import { openSeededDatabase } from "../support/prisma";

let prisma: import("~/platform/db/db.server").PrismaClient;
let close: () => Promise<void>;
const ports = { realtime: {} as import("~/live/realtime-port").RealtimePort };

beforeAll(async () => {
  ({ prisma, close } = await openSeededDatabase());
}, 240_000);

afterAll(async () => {
  await close?.();
});

async function secretariat() {
  const user = await prisma.user.findUniqueOrThrow({ where: { email: "secretariat@quorum.test" }, include: { memberships: true } });
  return { userId: user.id, organisationId: user.memberships[0]!.organisationId, ip: null, userAgent: null };
}

const todo = async (organisationId: string, key: string) => {
  const { getDeskTodos } = await import("~/back-office/desk/get-desk-todos.server");
  return (await getDeskTodos(organisationId)).find((t) => t.key === key)!;
};

describe("a document follows the signed fiche de décision", () => {
  it("refuses to issue while the fiche is not signed, writes nothing, then issues once it is", async () => {
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const { issueRecordsForDecision } = await import("~/delivery/issue-records.server");
    const actor = await secretariat();
    const { session, decision, agendaItemId, certificationId } = await closedJuryWithPartialDecision(prisma, {
      title: "Jury sans fiche signée",
      candidate: { birthName: "SANSFICHE", givenNames: "Maëlle" },
      sheetSigned: false,
    });
    await setCpneValidation(prisma, certificationId, false);
    // The same jury refused another candidate everything: a decision that gives no document does not hide the refusal.
    const dossier = await prisma.dossier.findUniqueOrThrow({ where: { id: decision.dossierId } });
    const other = await prisma.candidate.create({ data: { organisationId: actor.organisationId, birthName: "REFUS", givenNames: "Paul" } });
    const otherDossier = await prisma.dossier.create({
      data: { organisationId: actor.organisationId, candidateId: other.id, certificationId, referentialVersionId: dossier.referentialVersionId, route: "FORMATION", status: "DECIDED" },
    });
    const otherItem = await prisma.juryAgendaItem.create({ data: { sessionId: session.id, dossierId: otherDossier.id, position: 2, phase: "DECISION" } });
    await prisma.juryDecision.create({
      data: {
        sessionId: session.id,
        agendaItemId: otherItem.id,
        dossierId: otherDossier.id,
        overall: "NONE",
        granularity: "bloc",
        method: "CONSENSUS",
        preconisationsDoc: `preconisations:${session.id}:${otherItem.id}`,
        decidedById: decision.decidedById,
      },
    });
    const counters = await prisma.recordCounter.findMany();
    const audits = await prisma.auditEvent.count();

    const refused = issueSessionRecords({ actor, sessionId: session.id, placeOfIssue: "Paris" });
    await expect(refused).rejects.toThrow(/La fiche de décision de Maëlle SANSFICHE n'est pas signée par le président du jury/);
    await expect(refused).rejects.toThrow(/depuis la salle du jury ou depuis le dossier du candidat/);
    await expect(issueRecordsForDecision({ actor, decisionId: decision.id, preconisations: null })).rejects.toThrow(/n'est pas signée/);
    expect(await prisma.deliveryRecord.count({ where: { decisionId: decision.id } })).toBe(0);
    expect(await prisma.recordCounter.findMany()).toEqual(counters);
    expect(await prisma.auditEvent.count()).toBe(audits);
    // The desk: nothing to issue for her, her fiche to sign.
    const records = await todo(actor.organisationId, "records");
    expect(records.detail ?? "").not.toContain("Maëlle SANSFICHE");
    const sheets = await todo(actor.organisationId, "sheets");
    expect(sheets.count).toBe(1);
    expect(sheets.detail).toContain("Maëlle SANSFICHE");
    expect(sheets.href).toBe(`/sessions/${session.id}/delivrance`);

    await signDecisionSheet(prisma, agendaItemId);
    expect((await todo(actor.organisationId, "sheets")).count).toBe(0);
    expect((await todo(actor.organisationId, "records")).detail).toContain("Maëlle SANSFICHE");
    expect(await issueSessionRecords({ actor, sessionId: session.id, placeOfIssue: "Paris" })).toEqual({ issued: 1, awaitingSheet: [] });
    expect(await issueSessionRecords({ actor, sessionId: session.id, placeOfIssue: "Paris" })).toEqual({ issued: 0, awaitingSheet: [] });
    const record = await prisma.deliveryRecord.findFirstOrThrow({ where: { decisionId: decision.id } });
    expect(record.kind).toBe("ATTESTATION");
    expect((await issueRecordsForDecision({ actor, decisionId: decision.id, preconisations: null }))?.id).toBe(record.id);
  });

  it("issues a sitting's documents in one act: one date of issue, numbers that follow each other in agenda order", async () => {
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const actor = await secretariat();
    const { session, decision, others, certificationId } = await closedJuryWithPartialDecision(prisma, {
      title: "Jury délivré en un seul acte",
      candidate: { birthName: "PREMIER", givenNames: "Louise" },
      others: [
        { birthName: "DEUXIEME", givenNames: "Hugo" },
        { birthName: "TROISIEME", givenNames: "Inès" },
      ],
    });
    await setCpneValidation(prisma, certificationId, false);
    expect(await issueSessionRecords({ actor, sessionId: session.id, placeOfIssue: "Paris" })).toEqual({ issued: 3, awaitingSheet: [] });
    const inOrder = [decision.id, ...others.map((o) => o.decision.id)];
    const records = await prisma.deliveryRecord.findMany({ where: { decisionId: { in: inOrder } } });
    records.sort((a, b) => inOrder.indexOf(a.decisionId!) - inOrder.indexOf(b.decisionId!));
    expect(records).toHaveLength(3);
    // One act, one date: the three documents say they were issued the same instant, in Paris.
    expect(new Set(records.map((r) => r.issuedAt.toISOString())).size).toBe(1);
    expect(records.every((r) => r.placeOfIssue === "Paris")).toBe(true);
    // Numbered without a gap on the year's counter, in the agenda's order.
    const [first] = records;
    expect(records.map((r) => [r.year, r.sequence])).toEqual(records.map((_, i) => [first!.year, first!.sequence + i]));
  });

  it("issues the signed ones of a session, names the others, and notifies only those issued", async () => {
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    const { getSessionDelivery } = await import("~/delivery/get-session-delivery.server");
    const { sendDecisionNotices } = await import("~/delivery/send-decision-notice.server");
    const actor = await secretariat();
    // The demo's catch-up jury: two partial decisions, both fiches signed by the seed; the president has not signed
    // Linh NGUYEN's in this story.
    const jury = await prisma.session.findFirstOrThrow({
      where: { title: "Jury paritaire — session de rattrapage" },
      include: { juryDecisions: { include: { dossier: { include: { candidate: true } } } } },
    });
    const linh = jury.juryDecisions.find((d) => d.dossier.candidate.birthName === "NGUYEN")!;
    const before = (await todo(actor.organisationId, "records")).count;
    await prisma.signature.deleteMany({ where: { documentKind: "decision", documentId: linh.agendaItemId } });
    await prisma.juryDecisionSheet.update({ where: { decisionId: linh.id }, data: { status: "SIGNING", signedAt: null } });
    // The desk counts only what can be issued now.
    expect((await todo(actor.organisationId, "records")).count).toBe(before - 1);

    const delivery = await getSessionDelivery(actor.organisationId, jury.id);
    expect(delivery.decisions.find((d) => d.id === linh.id)!.sheetStatus).toBe("SIGNING");
    expect(await issueSessionRecords({ actor, sessionId: jury.id, placeOfIssue: "Lyon" })).toEqual({ issued: 1, awaitingSheet: ["Linh NGUYEN"] });
    expect(await prisma.deliveryRecord.count({ where: { decisionId: linh.id } })).toBe(0);
    expect((await todo(actor.organisationId, "records")).count).toBe(before - 2);
    expect((await todo(actor.organisationId, "sheets")).detail).toContain("Linh NGUYEN");
    // Again: nothing more to issue, and saying so is a refusal naming her, where her fiche stands.
    await expect(issueSessionRecords({ actor, sessionId: jury.id })).rejects.toMatchObject({
      message: expect.stringMatching(/Linh NGUYEN n'est pas signée/),
      details: ["Linh NGUYEN : sa fiche de décision est soumise à la signature et attend encore une signature."],
    });

    const notices = await sendDecisionNotices({ actor, sessionId: jury.id });
    expect(notices.emailed + notices.letterOnly).toBe(1);
    expect((await prisma.juryDecision.findUniqueOrThrow({ where: { id: linh.id } })).notifiedAt).toBeNull();

    await prisma.juryDecisionSheet.delete({ where: { decisionId: linh.id } });
    await signDecisionSheet(prisma, linh.agendaItemId);
    expect((await todo(actor.organisationId, "records")).count).toBe(before - 1);
    expect(await issueSessionRecords({ actor, sessionId: jury.id, placeOfIssue: "Lyon" })).toEqual({ issued: 1, awaitingSheet: [] });
    expect((await todo(actor.organisationId, "records")).count).toBe(before - 2);
  });

  it("the CPNE validates only a jury whose fiches are all signed", async () => {
    const { validateSessionDecisions } = await import("~/delivery/validate-session-decisions.server");
    const actor = await secretariat();
    const { session, agendaItemId, certificationId } = await closedJuryWithPartialDecision(prisma, {
      title: "Jury à valider sans fiche signée",
      candidate: { birthName: "AVALIDER", givenNames: "Noé" },
      sheetSigned: false,
    });
    await setCpneValidation(prisma, certificationId, true);
    try {
      // Refused before the password is even looked at: the reason is the fiche, not a mistyped password.
      await expect(validateSessionDecisions({ actor, sessionId: session.id, password: "pas le bon", consent: true, ports })).rejects.toThrow(
        /La fiche de décision de Noé AVALIDER n'est pas signée : la CPNE valide des décisions dont les fiches sont signées/,
      );
      expect(await prisma.sessionValidation.count({ where: { sessionId: session.id, status: "SIGNED" } })).toBe(0);
      expect((await todo(actor.organisationId, "sheets")).detail).toContain("Noé AVALIDER");
      await signDecisionSheet(prisma, agendaItemId);
      const result = await validateSessionDecisions({ actor, sessionId: session.id, password: "quorum-demo", consent: true, ports });
      expect(result.status).toBe("SIGNED");
    } finally {
      await setCpneValidation(prisma, certificationId, false);
    }
  });
});
