/**
 * Appeals on a real database (PGlite, or PostgreSQL in the postgres tier), on the demo: the past jury's partial
 * decision has its attestation; an appeal against it is refused after the scheme's deadline (and when the scheme
 * allows none), recorded within it (once, even submitted twice), put on the demo's planned jury from its planning,
 * and upheld by that jury with every bloc now acquired — once every member present declared no link with the
 * appellant —: the attestation is revoked with the reason, a parchemin is issued and sealed, and that jury's minutes
 * tell the appeal (not as a candidate deliberated). A second appeal is rejected: nothing is reissued, the minutes give
 * the reason. On the demo's appeals jury, an appeal is decided like any decision: never by a chair recused for the
 * appellant (an evaluator of his passages), with his quorum and the declarations; upheld, it only adds to the
 * contested decision (nothing withdrawn, nothing unknown, never unchanged: then the jury rejects it), and its revised
 * decision, taken « sur recours », has a fiche its presiding chair can sign.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RealtimePort } from "~/live/realtime-port";
import type { TestDatabase } from "../support/server";
import { openDemoInProcess } from "../support/demo-in-process";
import { signDecisionSheet } from "../support/jury-fixtures";
import { inDemoOrganisation } from "../support/demo-organisation";

let database: TestDatabase;
let prisma: import("~/platform/db/db.server").PrismaClient;
let disconnect: () => Promise<void>;
const ids = { organisationId: "", secretariat: "", president: "", membre1: "", membre2: "", membre3: "", pastJury: "", jury: "", certificationId: "" };
const decisions = { partial: "", none: "" };
const dossiers = { partial: "", none: "" };
const realtime = { notifySession() {}, refreshSessionAccess: async () => {}, refreshUserAccess: async () => {} } as unknown as RealtimePort;
const meta = { ip: "203.0.113.7", userAgent: "vitest" };
const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());

beforeAll(async () => {
  ({ database, prisma, disconnect } = await openDemoInProcess("appeals"));
  await prisma.appeal.deleteMany(); // the demo's pending appeal is set aside: this test records its own
  const user = async (email: string) => (await prisma.user.findUniqueOrThrow({ where: { email } })).id;
  ids.secretariat = await user("secretariat@quorum.test");
  ids.president = await user("president@quorum.test");
  ids.membre1 = await user("membre1@quorum.test");
  ids.membre2 = await user("membre2@quorum.test");
  ids.membre3 = await user("membre3@quorum.test");
  // The demo's deliberated jury (a partial delivery and a non-delivery among its decisions).
  const past = await prisma.session.findFirstOrThrow({
    where: {
      ...inDemoOrganisation,
      kind: "JURY",
      status: "CLOSED",
      AND: [{ juryDecisions: { some: { overall: "PARTIAL" } } }, { juryDecisions: { some: { overall: "NONE" } } }],
    },
    include: { referentialVersion: true },
  });
  ids.pastJury = past.id;
  ids.organisationId = past.organisationId;
  ids.certificationId = past.referentialVersion!.certificationId;
  // A later jury of the same certification: the demo's planned jury's seats, on the past jury's référentiel version.
  const planned = await prisma.session.findFirstOrThrow({ where: { ...inDemoOrganisation, kind: "JURY", status: "PLANNED", agenda: { some: {} } }, include: { members: true } });
  const later = await prisma.session.create({
    data: {
      organisationId: planned.organisationId,
      kind: "JURY",
      title: "Jury des recours",
      startsAt: planned.startsAt,
      endsAt: planned.endsAt,
      remote: planned.remote,
      remoteMeans: planned.remoteMeans,
      referentialVersionId: past.referentialVersionId,
      members: { create: planned.members.map((m) => ({ userId: m.userId, role: m.role, college: m.college })) },
    },
  });
  ids.jury = later.id;
  const partial = await prisma.juryDecision.findFirstOrThrow({ where: { sessionId: past.id, overall: "PARTIAL" } });
  // The demo's référentiel has a single bloc: a second one, not acquired in the partial decision, makes it partial.
  const bloc = await prisma.bloc.create({
    data: { versionId: past.referentialVersionId!, code: "RNCP38544BC02", title: "Accompagner les apprenants", position: 2 },
  });
  await prisma.juryDecisionItem.create({
    data: { decisionId: partial.id, target: "BLOC", targetId: bloc.id, code: bloc.code, commissionOutcome: "notAcquired", acquired: false, followed: true },
  });
  const none = await prisma.juryDecision.findFirstOrThrow({ where: { sessionId: past.id, overall: "NONE" } });
  decisions.partial = partial.id;
  decisions.none = none.id;
  dossiers.partial = partial.dossierId;
  dossiers.none = none.dossierId;
}, 120_000);

afterAll(async () => {
  await disconnect?.();
  await database?.dispose();
});

const secretariat = () => ({ userId: ids.secretariat, organisationId: ids.organisationId, ...meta });
const command = (actorId: string) => ({ sessionId: ids.jury, actorId, meta, realtime });

async function setAppealRules(jury: { appealsAllowed?: boolean; appealDeadlineDays?: number | null }) {
  const certification = await prisma.certification.findUniqueOrThrow({ where: { id: ids.certificationId } });
  const scheme = certification.scheme as { jury?: Record<string, unknown> };
  await prisma.certification.update({ where: { id: ids.certificationId }, data: { scheme: { ...scheme, jury: { ...(scheme.jury ?? {}), ...jury } } } });
}

async function setJuryRules(jury: Record<string, number | boolean>) {
  const certification = await prisma.certification.findUniqueOrThrow({ where: { id: ids.certificationId } });
  const scheme = certification.scheme as { jury?: Record<string, unknown> };
  await prisma.certification.update({ where: { id: ids.certificationId }, data: { scheme: JSON.parse(JSON.stringify({ ...scheme, jury: { ...(scheme.jury ?? {}), ...jury } })) } });
}

async function refusal(run: () => Promise<unknown>) {
  const { refusalOf } = await import("~/platform/app-error");
  try {
    await run();
  } catch (error) {
    return refusalOf(error);
  }
  throw new Error("expected a refusal");
}

describe("appeals", () => {
  it("refuses an appeal after the deadline or when the scheme allows none, and records one within the deadline once", async () => {
    const { recordAppeal } = await import("~/back-office/appeals/record-appeal.server");
    const { issueRecordsForDecision } = await import("~/delivery/issue-records.server");
    const attestation = await issueRecordsForDecision({ actor: secretariat(), decisionId: decisions.partial, placeOfIssue: "Paris" });
    expect(attestation?.kind).toBe("ATTESTATION");

    const input = { actor: secretariat(), dossierId: dossiers.partial, decisionId: decisions.partial, receivedAt: today(), grounds: "Le bloc 2 a été évalué sans tenir compte de l'avis de l'entreprise." };
    await setAppealRules({ appealDeadlineDays: 10 }); // the past jury sat 30 days ago, its candidates notified 28 days ago
    const late = await refusal(() => recordAppeal(input));
    expect(late.fieldErrors.receivedAt?.[0]).toMatch(/^Recours hors délai : le délai de 10 jours courant à compter du .+ a expiré le .+\.$/);
    await setAppealRules({ appealsAllowed: false, appealDeadlineDays: 60 });
    expect((await refusal(() => recordAppeal(input))).fieldErrors.decisionId?.[0]).toMatch(/ne prévoit pas de recours/);
    await setAppealRules({ appealsAllowed: true, appealDeadlineDays: 60 });
    expect((await refusal(() => recordAppeal({ ...input, grounds: "court" }))).fieldErrors.grounds?.[0]).toMatch(/motifs/);
    // Printed in the minutes of the jury that hears it: only what the PDFs' fonts have.
    expect((await refusal(() => recordAppeal({ ...input, grounds: "Évaluation bâclée 👎, à reprendre." }))).fieldErrors.grounds?.[0]).toBe(
      "Le caractère « 👎 » (U+1F44E) ne peut pas figurer dans les documents signés (leur police ne l'a pas) : retirez-le.",
    );
    expect(await prisma.appeal.count()).toBe(0); // nothing half written

    const [first, second] = await Promise.all([recordAppeal(input), recordAppeal(input)]);
    expect(first.appealId).toBe(second.appealId);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const other = await refusal(() => recordAppeal({ ...input, grounds: "D'autres motifs, tout aussi sérieux." }));
    expect(other.fieldErrors.decisionId?.[0]).toBe("Un recours contre cette décision est déjà en attente d'un jury.");
    expect(await prisma.auditEvent.count({ where: { action: "appeal.recorded" } })).toBe(1);

    const { listDossierAppeals } = await import("~/back-office/appeals/list-dossier-appeals.server");
    const view = await listDossierAppeals(ids.organisationId, dossiers.partial);
    expect(view?.appeals).toMatchObject([{ status: "RECEIVED", grounds: input.grounds, jury: null }]);
  });

  it("puts appeals on a later jury's agenda from its planning, never on the jury that decided", async () => {
    const { recordAppeal } = await import("~/back-office/appeals/record-appeal.server");
    const { scheduleAppeal } = await import("~/back-office/planning/schedule-appeal.server");
    const { listSessionAppeals } = await import("~/back-office/planning/list-session-appeals.server");
    const noneInput = {
      actor: secretariat(),
      dossierId: dossiers.none,
      decisionId: decisions.none,
      receivedAt: today(),
      grounds: "La candidate conteste la conduite de son évaluation.",
    };
    // The deadline runs from the notification: ten days after the demo's notice of 28 days ago is past; a notice sent
    // three days ago opens it again (its letter's job is dated when the notice is sent).
    await setAppealRules({ appealDeadlineDays: 10 });
    expect((await refusal(() => recordAppeal(noneInput))).fieldErrors.receivedAt?.[0]).toMatch(/^Recours hors délai/);
    const notifiedAt = new Date(Date.now() - 3 * 86_400_000);
    await prisma.renderJob.upsert({
      where: { documentKind_documentId_round: { documentKind: "notice", documentId: decisions.none, round: 0 } },
      create: { documentKind: "notice", documentId: decisions.none, round: 0, status: "DONE", createdAt: notifiedAt },
      update: { createdAt: notifiedAt },
    });
    // The dossier's « Recours » section gives the same last day.
    const { listDossierAppeals } = await import("~/back-office/appeals/list-dossier-appeals.server");
    const { addDays, parisDay } = await import("~/domain/appeal");
    const listed = await listDossierAppeals(ids.organisationId, dossiers.none);
    expect(listed!.decisions.find((d) => d.id === decisions.none)!.deadline).toBe(addDays(parisDay(new Date(Date.now() - 3 * 86_400_000)), 10));
    const { appealId: noneAppeal } = await recordAppeal(noneInput);
    await setAppealRules({ appealDeadlineDays: 60 });
    // The jury as its planning page reads it.
    const jury = await prisma.session.findUniqueOrThrow({
      where: { id: ids.jury },
      select: { id: true, kind: true, startsAt: true, referentialVersion: { select: { certificationId: true } } },
    });
    const juryFacts = { id: jury.id, kind: jury.kind, startsAt: jury.startsAt, certificationId: jury.referentialVersion?.certificationId ?? null };
    const before = await listSessionAppeals(ids.organisationId, juryFacts);
    expect(before.scheduled).toEqual([]);
    expect(before.awaiting).toHaveLength(2);
    const partialAppeal = before.awaiting.find((a) => a.dossierId === dossiers.partial)!.id;

    const onPast = await scheduleAppeal(ids.pastJury, partialAppeal, secretariat());
    expect(onPast.ok).toBe(false);
    // First put on another planned jury, where Jeanne declares a conflict with the appellant; then taken off it and
    // put on the jury that examines it: her declaration stays with the first jury — the new one asks its members afresh
    // (it would otherwise recuse her there, and spare the others' declarations).
    const { unscheduleAppeal } = await import("~/back-office/planning/unschedule-appeal.server");
    const { declareAppealConflict } = await import("~/live/jury/declare-appeal-conflict.server");
    const first = await prisma.session.create({
      data: {
        organisationId: ids.organisationId,
        kind: "JURY",
        title: "Jury des recours (premier calendrier)",
        startsAt: jury.startsAt,
        endsAt: new Date(jury.startsAt.getTime() + 3_600_000),
        referentialVersionId: (await prisma.session.findUniqueOrThrow({ where: { id: ids.jury } })).referentialVersionId,
        members: { create: (await prisma.sessionMember.findMany({ where: { sessionId: ids.jury } })).map((m) => ({ userId: m.userId, role: m.role, college: m.college })) },
      },
    });
    expect((await scheduleAppeal(first.id, partialAppeal, secretariat())).ok).toBe(true);
    await declareAppealConflict({ sessionId: first.id, actorId: ids.membre3, meta, realtime, appealId: partialAppeal, conflict: true, note: "Ancienne collègue." });
    expect(await prisma.juryAppealDeclaration.count({ where: { appealId: partialAppeal } })).toBe(1);
    expect((await unscheduleAppeal(first.id, partialAppeal, secretariat())).ok).toBe(true);
    expect(await prisma.juryAppealDeclaration.count({ where: { appealId: partialAppeal } })).toBe(0);
    const off = await prisma.auditEvent.findFirstOrThrow({ where: { action: "appeal.unscheduled", subjectId: partialAppeal } });
    expect(off.data).toMatchObject({ sessionId: first.id, declarationsCleared: [{ userId: ids.membre3, conflict: true }] });
    await prisma.session.delete({ where: { id: first.id } });
    for (const id of [partialAppeal, noneAppeal]) {
      expect((await scheduleAppeal(ids.jury, id, secretariat())).ok).toBe(true);
      expect((await scheduleAppeal(ids.jury, id, secretariat())).ok).toBe(true); // idempotent
    }
    const after = await listSessionAppeals(ids.organisationId, juryFacts);
    expect(after.scheduled.map((a) => a.status)).toEqual(["SCHEDULED", "SCHEDULED"]);
    expect(after.awaiting).toEqual([]);
    expect(await prisma.auditEvent.count({ where: { action: "appeal.scheduled" } })).toBe(3); // one on the first jury
  });

  it("the jury upholds one appeal (the attestation is revoked, a parchemin issued) and rejects the other; its minutes tell both", async () => {
    const { recordArrival } = await import("~/live/jury/record-arrival.server");
    const { startJurySession } = await import("~/live/jury/start-jury-session.server");
    const { decideAppeal } = await import("~/live/jury/decide-appeal.server");
    const appeals = await prisma.appeal.findMany({ where: { sessionId: ids.jury } });
    const upheld = appeals.find((a) => a.decisionId === decisions.partial)!;
    const rejected = appeals.find((a) => a.decisionId === decisions.none)!;
    const contested = await prisma.juryDecision.findUniqueOrThrow({ where: { id: decisions.partial }, include: { items: true } });

    await recordArrival(command(ids.president));
    await startJurySession(command(ids.president));
    const decide = (actorId: string, appealId: string, outcome: string, reason: string) =>
      decideAppeal({ ...command(actorId), appealId, outcome, reason, acquiredTargetIds: contested.items.map((i) => i.targetId) });
    const noQuorum = await refusal(() => decide(ids.president, upheld.id, "UPHELD", "Avis de l'entreprise produit."));
    expect(noQuorum.formErrors[0]).toMatch(/^Quorum non atteint/);
    for (const who of [ids.membre1, ids.membre2, ids.membre3]) await recordArrival(command(who));
    const notPresiding = await refusal(() => decide(ids.membre2, upheld.id, "UPHELD", "Avis de l'entreprise produit."));
    expect(notPresiding.status).toBe(403);
    expect((await refusal(() => decide(ids.president, upheld.id, "UPHELD", ""))).fieldErrors.reason).toBeDefined();
    // A sign is no motive.
    for (const sign of [".", "-", " ok "]) {
      expect((await refusal(() => decide(ids.president, upheld.id, "UPHELD", sign))).fieldErrors.reason).toEqual([
        "Indiquez le motif de la décision du jury sur ce recours : un motif s'écrit en quelques mots (au moins 3 lettres).",
      ]);
    }
    // Ruled without a vote: as for a consensus, every member present declares first that he has no link with the
    // appellant (« Je n'ai aucun lien avec ce candidat »).
    const undeclared = await refusal(() => decide(ids.president, upheld.id, "UPHELD", "Avis de l'entreprise produit."));
    expect(undeclared.status).toBe(409);
    expect(undeclared.formErrors).toEqual([
      "Des membres présents n'ont pas encore déclaré l'absence de lien avec ce candidat (Pierre Président, Marie Membre, Mehdi Membre, Jeanne Jurée) : un consensus ne se constate qu'entre membres qui l'ont fait.",
    ]);
    const { declareAppealConflict } = await import("~/live/jury/declare-appeal-conflict.server");
    for (const appeal of [upheld, rejected]) {
      for (const who of [ids.president, ids.membre1, ids.membre2, ids.membre3]) {
        expect((await declareAppealConflict({ ...command(who), appealId: appeal.id, conflict: false })).changed).toBe(true);
      }
    }
    expect((await declareAppealConflict({ ...command(ids.membre3), appealId: upheld.id, conflict: false })).changed).toBe(false); // the same, twice
    const observer = await refusal(() => declareAppealConflict({ ...command(ids.secretariat), appealId: upheld.id, conflict: false }));
    expect(observer.status).toBe(403);

    const result = await decide(ids.president, upheld.id, "UPHELD", "L'avis favorable de l'entreprise, produit en séance, établit le bloc 2");
    expect(result.changed).toBe(true);
    // The revised decision is delivered once this jury's decisions are final: until then the candidate keeps the
    // contested attestation, valid.
    expect(result.reissued).toEqual({ issued: null, revoked: [], deferred: true });
    expect((await prisma.deliveryRecord.findFirstOrThrow({ where: { decisionId: decisions.partial } })).revokedAt).toBeNull();
    const again = await decide(ids.president, upheld.id, "UPHELD", "double clic");
    expect(again.changed).toBe(false);

    const revised = await prisma.juryDecision.findUniqueOrThrow({ where: { id: result.newDecisionId! }, include: { items: true } });
    expect(revised.overall).toBe("TOTAL");
    expect(revised.sessionId).toBe(ids.jury);
    // Taken on the appeal, not by a consensus; the declarations made on the appeal are the revised decision's.
    expect(revised.method).toBe("APPEAL");
    expect(await prisma.juryConflictDeclaration.count({ where: { agendaItemId: revised.agendaItemId, conflict: false } })).toBe(4);
    // Once ruled, a declaration on it is refused.
    expect((await refusal(() => declareAppealConflict({ ...command(ids.membre2), appealId: upheld.id, conflict: true }))).formErrors).toEqual([
      "Le jury a déjà statué sur ce recours.",
    ]);
    // The other appeal on its agenda is not decided yet: the sitting cannot be closed, and the refusal names its candidate.
    const { closeJurySession } = await import("~/live/jury/close-jury-session.server");
    const notDecided = await refusal(() => closeJurySession(command(ids.president)));
    expect(notDecided.status).toBe(409);
    expect(notDecided.formErrors[0]).toBe(
      "Un recours inscrit à l'ordre du jour n'a pas encore été tranché : la séance ne peut être close. Statuez sur ce recours (« Recours examinés ») avant de lever la séance.",
    );
    const noneCandidate = (await prisma.dossier.findUniqueOrThrow({ where: { id: dossiers.none }, include: { candidate: true } })).candidate;
    const { candidateName } = await import("~/domain/identity");
    expect(notDecided.formErrors.slice(1)).toEqual([`Recours de ${candidateName(noneCandidate)}`]);
    expect((await prisma.session.findUniqueOrThrow({ where: { id: ids.jury } })).status).toBe("OPEN");
    await decideAppeal({ ...command(ids.president), appealId: rejected.id, outcome: "REJECTED", reason: "Les conditions d'évaluation étaient régulières." });
    expect(await prisma.deliveryRecord.count({ where: { decisionId: decisions.none } })).toBe(0);
    expect((await prisma.appeal.findUniqueOrThrow({ where: { id: rejected.id } })).status).toBe("REJECTED");
    const changeMind = await refusal(() => decideAppeal({ ...command(ids.president), appealId: rejected.id, outcome: "UPHELD", reason: "Revirement" }));
    expect(changeMind.formErrors[0]).toBe("Le jury a déjà statué sur ce recours.");
    expect(await prisma.auditEvent.count({ where: { action: "appeal.decided" } })).toBe(2);

    // The sitting closed, the secretariat delivers: the revised decision's parchemin — once its fiche de décision is
    // signed (docs/decisions/0019) —, and the contested attestation revoked with the reason and the new number.
    const { issueSessionRecords } = await import("~/delivery/issue-session-records.server");
    expect((await closeJurySession({ ...command(ids.president), confirmed: true })).changed).toBe(true);
    await expect(issueSessionRecords({ actor: secretariat(), sessionId: ids.jury, placeOfIssue: "Paris" })).rejects.toThrow(/n'est pas signée/);
    expect((await prisma.deliveryRecord.findFirstOrThrow({ where: { decisionId: decisions.partial } })).revokedAt).toBeNull();
    await signDecisionSheet(prisma, revised.agendaItemId);
    expect((await issueSessionRecords({ actor: secretariat(), sessionId: ids.jury, placeOfIssue: "Paris" })).issued).toBe(1);
    const old = await prisma.deliveryRecord.findFirstOrThrow({ where: { decisionId: decisions.partial } });
    expect(old.revokedAt).not.toBeNull();
    const parchemin = await prisma.deliveryRecord.findFirstOrThrow({ where: { decisionId: revised.id } });
    expect(old.revocationReason).toMatch(/^Décision remplacée à la suite du recours accueilli par le jury le .+ : L'avis favorable de l'entreprise.+ \(nouveau document n° .+\)$/);
    expect(old.revocationReason!.endsWith(`(nouveau document n° ${parchemin.number})`)).toBe(true);
    expect(parchemin.kind).toBe("PARCHEMIN");
    expect(parchemin.revokedAt).toBeNull();
    // Public verification (/verifier): the contested attestation names the parchemin that replaces it — its day, its
    // verification code (the page links it) —, the parchemin the attestation it replaces.
    const { findRecordForVerification } = await import("~/delivery/verify-record.server");
    const { verificationHeadline } = await import("~/domain/delivery-record");
    const replacement = { kind: "PARCHEMIN", number: parchemin.number, verificationCode: parchemin.verificationCode, issuedAt: parchemin.issuedAt, cause: "appeal" };
    const oldView = (await findRecordForVerification(old.verificationCode))!;
    expect(oldView.replacedBy).toEqual(replacement);
    expect(verificationHeadline(oldView.status, oldView.replacedBy !== null)).toEqual({ label: "Révoqué", valid: false });
    const newView = (await findRecordForVerification(parchemin.verificationCode))!;
    expect(newView.replaces).toEqual({ kind: "ATTESTATION", number: old.number, verificationCode: old.verificationCode, revokedAt: old.revokedAt, cause: "appeal" });
    expect(newView.replacedBy).toBeNull();
    expect(verificationHeadline(newView.status, false)).toEqual({ label: "Valide", valid: true });
    // Between the parchemin's issue and the attestation's revocation (two steps, the second after the first's commit),
    // the attestation is already replaced: never shown valid.
    await prisma.deliveryRecord.update({ where: { id: old.id }, data: { revokedAt: null } });
    const between = (await findRecordForVerification(old.verificationCode))!;
    expect(between.replacedBy).toEqual(replacement);
    expect(verificationHeadline(between.status, between.replacedBy !== null)).toEqual({ label: "Remplacé", valid: false });
    await prisma.deliveryRecord.update({ where: { id: old.id }, data: { revokedAt: old.revokedAt } });

    const { currentMinutes } = await import("~/live/sessions/minutes-facts.server");
    const { minutesText } = await import("~/domain/minutes");
    const minutes = (await currentMinutes(prisma, ids.jury))!;
    const section = minutes.generated.sections.find((s) => s.key === "appeals")!;
    expect(section.paragraphs).toHaveLength(2);
    expect(section.paragraphs.join("\n")).toMatch(/Recours accueilli : L'avis favorable de l'entreprise, produit en séance, établit le bloc 2\. Nouvelle décision : délivrance totale/);
    expect(section.paragraphs.join("\n")).toMatch(/Recours rejeté : Les conditions d'évaluation étaient régulières\./);
    // Each appeal's line names who declared no link with the appellant before the jury ruled.
    for (const line of section.paragraphs) {
      expect(line).toContain("Absence de lien avec le candidat déclarée par : Pierre Président, Marie Membre, Mehdi Membre, Jeanne Jurée.");
    }
    const appellant = minutes.facts.candidates.map((c) => c.name);
    expect(appellant).toEqual([]); // an appeals-only jury: the revised decision is not told as one more candidate
    expect(minutesText(minutes.generated)).toContain("Recours");
  }, 180_000);

  it("on the demo's appeals jury: a chair who evaluated the appellant does not preside; an appeal upheld only adds, and its revised decision is signed", async () => {
    const { recordAppeal } = await import("~/back-office/appeals/record-appeal.server");
    const { scheduleAppeal } = await import("~/back-office/planning/schedule-appeal.server");
    const { recordArrival } = await import("~/live/jury/record-arrival.server");
    const { startJurySession } = await import("~/live/jury/start-jury-session.server");
    const { decideAppeal } = await import("~/live/jury/decide-appeal.server");
    const { declareAppealConflict } = await import("~/live/jury/declare-appeal-conflict.server");
    const { getJuryAppeals } = await import("~/live/jury/get-jury-appeals.server");
    // The catch-up jury's newcomer: BC01 acquis, BC02 non acquis (« Délivrance partielle »).
    const contested = await prisma.juryDecision.findFirstOrThrow({
      where: { session: { title: "Jury paritaire — session de rattrapage" }, dossier: { candidate: { givenNames: "Linh" } } },
      include: { items: { orderBy: { code: "asc" } }, dossier: true },
    });
    expect(contested.items.map((i) => [i.code, i.acquired])).toEqual([
      ["BC01", true],
      ["BC02", false],
    ]);
    const [bc01, bc02] = contested.items as [(typeof contested.items)[number], (typeof contested.items)[number]];
    const jury = await prisma.session.findFirstOrThrow({ where: { title: "Jury paritaire — examen des recours" } });
    const sitting = (actorId: string) => ({ sessionId: jury.id, actorId, meta, realtime });
    const { appealId } = await recordAppeal({
      actor: secretariat(),
      dossierId: contested.dossierId,
      decisionId: contested.id,
      receivedAt: today(),
      grounds: "La candidate conteste la non-validation du bloc BC02 : sa mise en situation a été interrompue par une panne.",
    });
    expect((await scheduleAppeal(jury.id, appealId, secretariat())).ok).toBe(true);
    // And one against a total delivery (« the other way »).
    const total = await prisma.juryDecision.findFirstOrThrow({ where: { sessionId: ids.pastJury, overall: "TOTAL" }, include: { items: true } });
    const { appealId: againstTotal } = await recordAppeal({
      actor: secretariat(),
      dossierId: total.dossierId,
      decisionId: total.id,
      receivedAt: today(),
      grounds: "Le ministère conteste la délivrance : le bloc BC02 a été évalué sans mise en situation.",
    });
    expect((await scheduleAppeal(jury.id, againstTotal, secretariat())).ok).toBe(true);
    // Pierre (president) and Marie (vice-president) evaluated her: a commission of the CQPM whose grid was sealed.
    const commission = await prisma.session.create({
      data: {
        organisationId: ids.organisationId,
        kind: "COMMISSION",
        title: "Commission d'évaluation — CQPM (recours)",
        startsAt: contested.decidedAt,
        endsAt: contested.decidedAt,
        referentialVersionId: jury.referentialVersionId,
        members: { create: [{ userId: ids.president, role: "PRESIDENT" }, { userId: ids.membre1, role: "MEMBER" }] },
        slots: {
          create: { candidateId: contested.dossier.candidateId, dossierId: contested.dossierId, position: 1, startsAt: contested.decidedAt, endsAt: contested.decidedAt, sealedHash: "f".repeat(64) },
        },
      },
    });
    await recordArrival(sitting(ids.president));
    await startJurySession(sitting(ids.president));
    for (const who of [ids.membre1, ids.membre2, ids.membre3]) await recordArrival(sitting(who));
    // Pierre and Marie evaluated her: recused, they have nothing to declare (« aucun lien » would be false).
    for (const who of [ids.president, ids.membre1]) {
      await expect(declareAppealConflict({ ...sitting(who), appealId, conflict: false })).rejects.toThrow(
        "Vous êtes récusé·e pour ce candidat (évaluateur du candidat) : vous ne votez pas sur lui et n'avez pas de déclaration à faire.",
      );
    }
    for (const who of [ids.membre2, ids.membre3]) await declareAppealConflict({ ...sitting(who), appealId, conflict: false });

    // The appeals page tells who conducts on her: nobody.
    const page = async (viewer: string) => (await getJuryAppeals(jury.id, viewer)).appeals.find((a) => a.id === appealId)!;
    expect((await page(ids.president)).ruling).toMatchObject({
      presidingId: null,
      chairsRecused: ["PRESIDENT", "VICE_PRESIDENT"],
      recused: [
        { userId: ids.president, reason: "Évaluateur du candidat" },
        { userId: ids.membre1, reason: "Évaluateur du candidat" },
      ],
    });
    const upheld = (actorId: string, acquiredTargetIds: string[], reason = "La panne a interrompu la mise en situation : le bloc BC02 est établi par la reprise.") =>
      decideAppeal({ ...sitting(actorId), appealId, outcome: "UPHELD", reason, acquiredTargetIds });
    const both = [bc01.targetId, bc02.targetId];
    const chairRecused = await refusal(() => upheld(ids.president, both));
    expect(chairRecused.status).toBe(403);
    expect(chairRecused.formErrors).toEqual([
      "Vous êtes récusé pour ce candidat, et aucun président ni vice-président non récusé n'est présent : la délibération sur ce candidat ne peut avoir lieu.",
    ]);
    expect((await refusal(() => upheld(ids.membre1, both))).status).toBe(403);
    expect((await refusal(() => upheld(ids.membre2, both))).formErrors).toEqual([
      "Aucun président ni vice-président non récusé pour ce candidat n'est présent : la délibération sur ce candidat ne peut avoir lieu.",
    ]);
    expect((await refusal(() => decideAppeal({ ...sitting(ids.president), appealId, outcome: "REJECTED", reason: "Les conditions d'évaluation étaient régulières." }))).status).toBe(403);
    expect((await prisma.appeal.findUniqueOrThrow({ where: { id: appealId } })).status).toBe("SCHEDULED");

    // Marie did not evaluate her after all: she conducts, Pierre recused. The CQPM's quorum (two per college, four in
    // all) is the sitting's, not this candidate's: without Pierre, the employers have Jeanne alone.
    await prisma.sessionMember.deleteMany({ where: { sessionId: commission.id, userId: ids.membre1 } });
    // No longer recused, she has a declaration to make before ruling.
    await declareAppealConflict({ ...sitting(ids.membre1), appealId, conflict: false });
    expect((await page(ids.membre1)).ruling).toMatchObject({
      presidingId: ids.membre1,
      chairsRecused: ["PRESIDENT"],
      quorum: { met: false, reasons: ["Collège employeurs : 1 membre présent ou représenté non récusé, 2 requis.", "3 membres présents ou représentés non récusés en tout, 4 requis."] },
    });
    const noQuorum = await refusal(() => upheld(ids.membre1, both));
    expect(noQuorum.status).toBe(409);
    expect(noQuorum.formErrors[0]).toBe("Quorum non atteint pour ce candidat (membres récusés non comptés) : impossible de statuer sur un recours.");
    // One per college, two in all: Marie may rule with Mehdi and Jeanne; Pierre, recused, may not.
    await setJuryRules({ minPerCollege: 1, minTotal: 2 });
    expect((await page(ids.membre1)).ruling?.quorum.met).toBe(true);
    expect((await refusal(() => upheld(ids.president, both))).formErrors).toEqual([
      "Vous êtes récusé pour ce candidat : la délibération sur ce candidat est conduite par le vice-président (ou le président) non récusé.",
    ]);
    // Jeanne leaves: the employers' college has nobody but Pierre, recused.
    const { recordDeparture } = await import("~/live/jury/record-departure.server");
    await recordDeparture(sitting(ids.membre3));
    expect((await refusal(() => upheld(ids.membre1, both))).formErrors[0]).toBe(
      "Quorum non atteint pour ce candidat (membres récusés non comptés) : impossible de statuer sur un recours.",
    );
    await recordArrival(sitting(ids.membre3));

    // Upheld, it only adds: an unknown id is refused (never ignored), nothing acquired is withdrawn, and an appeal
    // upheld that changes nothing is rejected instead.
    const unknown = await refusal(() => upheld(ids.membre1, ["bogus-id"]));
    expect(unknown.fieldErrors.acquired).toEqual([
      "Bloc ou compétence hors de la décision contestée : le jury n'accorde sur recours que ce que cette décision n'avait pas acquis.",
    ]);
    expect((await refusal(() => upheld(ids.membre1, [bc02.targetId]))).fieldErrors.acquired).toEqual([
      "Un recours ne peut pas aggraver la situation du candidat : BC01, acquis par la décision contestée, reste acquis.",
    ]);
    expect((await refusal(() => upheld(ids.membre1, [bc01.targetId]))).fieldErrors.outcome).toEqual([
      "Le recours accueilli ne change rien à la décision contestée : cochez ce que le jury accorde sur recours, ou choisissez « Recours rejeté ».",
    ]);
    expect(await prisma.juryDecision.count({ where: { sessionId: jury.id } })).toBe(0);

    const result = await upheld(ids.membre1, both);
    const revised = await prisma.juryDecision.findUniqueOrThrow({ where: { id: result.newDecisionId! }, include: { items: { orderBy: { code: "asc" } } } });
    expect(revised).toMatchObject({ overall: "TOTAL", method: "APPEAL", decidedById: ids.membre1 });
    expect(revised.items.map((i) => [i.code, i.acquired])).toEqual([
      ["BC01", true],
      ["BC02", true],
    ]);
    // The room: the revised decision said taken on the appeal; Marie conducts on it.
    const { getJuryRoom } = await import("~/live/jury/get-jury-room.server");
    const entry = (await getJuryRoom(jury.id, ids.membre1)).agenda.find((a) => a.agendaItemId === revised.agendaItemId)!;
    expect(entry).toMatchObject({ presidingId: ids.membre1, chairsRecused: ["PRESIDENT"], decision: { method: "APPEAL" } });
    // Its fiche de décision: Marie submits and signs it; Pierre, recused, neither.
    const { decisionKind } = await import("~/signing/kinds/decision/decision-kind.server");
    const sheet = await decisionKind.load(prisma, { documentId: revised.agendaItemId });
    expect(sheet.signers.map((s) => s.userId)).toEqual([ids.membre1]);
    expect(() => decisionKind.requireManager(sheet, ids.membre1, "open")).not.toThrow();
    expect(() => decisionKind.requireManager(sheet, ids.president, "open")).toThrow(/Vous êtes récusé pour ce candidat \(évaluateur du candidat\)/);
    const { gatherDecisionSheet } = await import("~/live/jury/decision-sheet-facts.server");
    const { decisionSheetSections } = await import("~/domain/decision-sheet");
    const text = decisionSheetSections({ sheet: await gatherDecisionSheet(prisma, revised.agendaItemId), preconisations: "" })
      .sections.flatMap((s) => s.paragraphs)
      .join("\n");
    expect(text).toContain("Décision d'ensemble : Délivrance totale, sur recours accueilli par le jury.");
    expect(text).not.toContain("par consensus");

    // The appeal against a decision that acquired everything has nothing to grant: the jury can only reject it.
    for (const who of [ids.president, ids.membre1, ids.membre2, ids.membre3]) await declareAppealConflict({ ...sitting(who), appealId: againstTotal, conflict: false });
    const worse = await refusal(() =>
      decideAppeal({ ...sitting(ids.president), appealId: againstTotal, outcome: "UPHELD", reason: "Le bloc BC02 n'a pas été évalué en situation.", acquiredTargetIds: [total.items[0]!.targetId] }),
    );
    expect(worse.fieldErrors.outcome).toEqual(["La décision contestée ne laisse rien à accorder sur recours : choisissez « Recours rejeté »."]);
    const rejected = await decideAppeal({ ...sitting(ids.president), appealId: againstTotal, outcome: "REJECTED", reason: "Un recours ne peut aggraver la situation du titulaire." });
    expect(rejected).toMatchObject({ changed: true, status: "REJECTED", newDecisionId: null });
    await setJuryRules({ minPerCollege: 2, minTotal: 4 });
  }, 180_000);
});
