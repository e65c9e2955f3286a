/**
 * A past paritary jury of the demo organisation, fully deliberated: three candidates (total delivery by secret
 * vote, partial delivery by open vote per bloc, non-delivery by consensus), émargement, a loss and recovery of
 * quorum, one member's disconnection during a vote, the préconisations the jury wrote for each candidate (their
 * Yjs documents). With `signed`, its procès-verbal and its three fiches de décision are sealed and signed by the
 * president (the préconisations sealed with them), and render jobs are queued: the server renders and seals the
 * PDFs at its first start (render runner), so the secretariat sees a real archive. Without it (tests), the minutes
 * and the sheets are left open.
 * With `signed`, the records are issued too (one parchemin, one attestation de blocs; their credentials and sealed
 * PDFs are rendered by the runner at the first start), and the non-delivered candidate holds a partial validation
 * from a jury of almost five years ago, with its attestation, that expires within 90 days. A catch-up jury of three
 * days ago awaits délivrance: it validates the partially delivered candidate's missing bloc (→ parchemin by
 * cumulation) and one bloc of a new candidate (→ attestation de blocs). The past jury's three candidates were
 * notified two days after it (letters rendered by the runner, e-mails in the outbox), so the appeal deadline shows.
 */
import * as Y from "yjs";
import { canonicalDocumentJson, canonicalJson, sha256Hex } from "~/domain/canonical";
import type { SealedDecisionSheet } from "~/domain/decision-sheet";
import { buildMinutes } from "~/domain/minutes";
import type { Prisma } from "~/platform/db/db.server";
import { newVerificationCode } from "~/platform/security/verification-code.server";
import { gatherDecisionSheet } from "~/live/jury/decision-sheet-facts.server";
import { gatherMinutesFacts } from "~/live/sessions/minutes-facts.server";
import { issueRecordForDecisionTx } from "~/delivery/issue-records.server";
import { writeDecisionNotices } from "~/delivery/send-decision-notice.server";
import { searchKeyOf } from "~/domain/search";
import { seedSignedDecisionSheet } from "./decision-sheet";

/** What the past jury recommended to each candidate (total, partial, non-delivery). */
const PRECONISATIONS = [
  "Aucune préconisation : la certification est délivrée. Le jury encourage le ou la titulaire à transmettre son expérience en tutorat.",
  "Compléter la formation sur les compétences restant à acquérir, avec une nouvelle mise en situation professionnelle dans les cinq ans ; les compétences acquises restent valables cinq ans.",
  "Reprendre un parcours de formation sur l'ensemble du référentiel et présenter un nouveau dossier après une période de pratique encadrée d'au moins six mois.",
];

type Tx = Prisma.TransactionClient;

export type PastJuryInput = {
  organisationId: string;
  certificationId: string;
  versionId: string;
  candidateIds: [string, string, string];
  users: { president: string; vice: string; member: string; secretary: string };
  /** The session's day: days before today. */
  daysAgo: number;
  signed: boolean;
};

export async function seedPastJury(tx: Tx, input: PastJuryInput): Promise<string> {
  const day = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
  day.setUTCDate(day.getUTCDate() - input.daysAgo);
  const at = (hour: number, minute = 0, second = 0) => new Date(day.getTime() + ((hour * 60 + minute) * 60 + second) * 1000);
  const { users } = input;
  const blocs = await tx.bloc.findMany({ where: { versionId: input.versionId }, orderBy: { position: "asc" } });
  const session = await tx.session.create({
    data: {
      organisationId: input.organisationId,
      kind: "JURY",
      title: "Jury paritaire de délivrance — session passée",
      startsAt: at(8),
      endsAt: at(11),
      actualStartAt: at(8, 4),
      actualEndAt: at(10, 40),
      status: "CLOSED",
      remote: true,
      remoteMeans: "Quorum (visioconférence)",
      referentialVersionId: input.versionId,
      quorumMet: true,
      members: {
        create: [
          { userId: users.president, role: "PRESIDENT", college: "EMPLOYER" },
          { userId: users.vice, role: "VICE_PRESIDENT", college: "EMPLOYEE" },
          { userId: users.member, role: "MEMBER", college: "EMPLOYEE" },
          { userId: users.secretary, role: "SECRETARY" },
        ],
      },
    },
  });
  const sessionId = session.id;
  await tx.juryAttendanceEvent.createMany({
    data: [
      { sessionId, userId: users.secretary, kind: "ARRIVED", at: at(8, 0) },
      { sessionId, userId: users.president, kind: "ARRIVED", at: at(8, 1) },
      { sessionId, userId: users.vice, kind: "ARRIVED", at: at(8, 2) },
      { sessionId, userId: users.member, kind: "ARRIVED", at: at(8, 3) },
      { sessionId, userId: users.vice, kind: "LEFT", at: at(9, 10) },
      { sessionId, userId: users.vice, kind: "ARRIVED", at: at(9, 25) },
    ],
  });
  const quorum = (met: boolean, reasons: string[]) => ({ met, reasons }) as unknown as Prisma.InputJsonValue;
  await tx.juryQuorumEvent.createMany({
    data: [
      { sessionId, kind: "RECOVERED", at: at(8, 3), snapshot: quorum(true, []) },
      { sessionId, kind: "LOST", at: at(9, 10), snapshot: quorum(false, ["Collège salariés : 1 membre présent ou représenté, 2 requis."]) },
      { sessionId, kind: "RECOVERED", at: at(9, 25), snapshot: quorum(true, []) },
    ],
  });
  // Mehdi's connection dropped for four minutes while the first vote closed; a two-second blip later.
  await tx.connectionEvent.createMany({
    data: [
      { sessionId, userId: users.member, kind: "DISCONNECTED", at: at(8, 40) },
      { sessionId, userId: users.member, kind: "RECONNECTED", at: at(8, 44, 12) },
      { sessionId, userId: users.president, kind: "DISCONNECTED", at: at(10, 0) },
      { sessionId, userId: users.president, kind: "RECONNECTED", at: at(10, 0, 2) },
    ],
  });
  const plans = [
    { overall: "TOTAL" as const, method: "SECRET" as const, acquired: blocs.map(() => true), minute: 42 },
    { overall: "PARTIAL" as const, method: "OPEN" as const, acquired: blocs.map((_, i) => i === 0), minute: 60 + 35 },
    { overall: "NONE" as const, method: "CONSENSUS" as const, acquired: blocs.map(() => false), minute: 120 + 20 },
  ];
  const conformity = {
    conform: true,
    items: [
      { key: "dossierComplete", label: "Dossier complet", status: "ok", reason: null },
      { key: "evaluatorsHabilitated", label: "Évaluateurs habilités à la date de l'évaluation", status: "ok", reason: null },
      { key: "gridSigned", label: "Grille signée par tous les évaluateurs", status: "ok", reason: null },
    ],
    nonConformities: [],
  };
  const decisionIds: string[] = [];
  for (const [index, plan] of plans.entries()) {
    const decidedAt = at(8, plan.minute);
    const dossier = await tx.dossier.create({
      data: {
        organisationId: input.organisationId,
        candidateId: input.candidateIds[index]!,
        certificationId: input.certificationId,
        referentialVersionId: input.versionId,
        route: "FORMATION",
        status: "DECIDED",
        commissionOutcome: plan.overall === "TOTAL" ? "total" : plan.overall === "PARTIAL" ? "partial" : "none",
      },
    });
    const item = await tx.juryAgendaItem.create({
      data: {
        sessionId,
        dossierId: dossier.id,
        position: index + 1,
        phase: "DECISION",
        phaseStartedAt: at(8, plan.minute - 15),
        conformityAckAt: at(8, plan.minute - 10),
        conformityAckById: users.president,
        conformitySnapshot: conformity as unknown as Prisma.InputJsonValue,
      },
    });
    const voters = [users.president, users.vice, users.member];
    await declaredNoLink(tx, item.id, voters, at(8, plan.minute - 14));
    let pollId: string | null = null;
    let tallies: Record<string, number> | null = null;
    if (plan.method === "SECRET") {
      tallies = { TOTAL: 2, NONE: 1 };
      const poll = await tx.juryPoll.create({
        data: {
          sessionId,
          agendaItemId: item.id,
          subject: "OVERALL",
          question: "Décision globale",
          options: [
            { value: "TOTAL", label: "Délivrance totale" },
            { value: "PARTIAL", label: "Délivrance partielle" },
            { value: "NONE", label: "Non-délivrance" },
            { value: "ADJOURNED", label: "Ajournement" },
          ],
          mode: "SECRET",
          state: "FINISHED",
          majorityBase: "present",
          entitledVoterIds: voters,
          recusedUserIds: [],
          baseCount: 3,
          tallies,
          result: "TOTAL",
          createdById: users.president,
          createdAt: at(8, plan.minute - 4),
          startedAt: at(8, plan.minute - 4),
          finishedAt: at(8, plan.minute - 1),
        },
      });
      pollId = poll.id;
      await tx.juryPollVoter.createMany({ data: voters.map((userId) => ({ pollId: poll.id, userId, actingUserId: userId })) });
      // A secret vote keeps its totals only.
      await tx.jurySecretTally.createMany({ data: Object.entries(tallies).map(([choice, count]) => ({ pollId: poll.id, choice, count })) });
    } else if (plan.method === "OPEN") {
      for (const [b, bloc] of blocs.entries()) {
        const choices = b === 0 ? ["ACQUIRED", "ACQUIRED", "NOT_ACQUIRED"] : ["NOT_ACQUIRED", "NOT_ACQUIRED", "ACQUIRED"];
        const counts = { ACQUIRED: choices.filter((c) => c === "ACQUIRED").length, NOT_ACQUIRED: choices.filter((c) => c === "NOT_ACQUIRED").length };
        const poll = await tx.juryPoll.create({
          data: {
            sessionId,
            agendaItemId: item.id,
            subject: "BLOC",
            subjectId: bloc.id,
            question: `Bloc ${bloc.code}`,
            options: [
              { value: "ACQUIRED", label: "Acquis" },
              { value: "NOT_ACQUIRED", label: "Non acquis" },
            ],
            mode: "OPEN",
            state: "FINISHED",
            majorityBase: "present",
            entitledVoterIds: voters,
            recusedUserIds: [],
            baseCount: 3,
            tallies: counts,
            result: b === 0 ? "ACQUIRED" : "NOT_ACQUIRED",
            createdById: users.president,
            startedAt: at(8, plan.minute - 6 + b),
            finishedAt: at(8, plan.minute - 5 + b),
          },
        });
        await tx.juryOpenVote.createMany({
          data: voters.map((userId, v) => ({ pollId: poll.id, userId, actingUserId: userId, choice: choices[v]! })),
        });
      }
    }
    const preconisationsDoc = `preconisations:${sessionId}:${item.id}`;
    const text = new Y.Doc();
    text.getText("preconisations").insert(0, PRECONISATIONS[index]!);
    const state = Y.encodeStateAsUpdate(text);
    text.destroy();
    await tx.collabDocument.create({
      data: {
        name: preconisationsDoc,
        snapshot: Buffer.from(state),
        // Sealed with the signed fiche de décision.
        ...(input.signed ? { sealedAt: at(10, 30), sealedHash: sha256Hex(canonicalDocumentJson(state)) } : {}),
      },
    });
    const decision = await tx.juryDecision.create({
      data: {
        sessionId,
        agendaItemId: item.id,
        dossierId: dossier.id,
        overall: plan.overall,
        granularity: "bloc",
        method: plan.method,
        pollId,
        tallies: tallies ?? undefined,
        preconisationsDoc,
        decidedById: users.president,
        decidedAt,
        items: {
          create: blocs.map((bloc, b) => ({
            target: "BLOC" as const,
            targetId: bloc.id,
            code: bloc.code,
            commissionOutcome: plan.acquired[b] ? "acquired" : "notAcquired",
            acquired: plan.acquired[b]!,
            followed: true,
            reason: plan.acquired[b] ? null : "Compétences non démontrées lors de la mise en situation professionnelle.",
          })),
        },
      },
    });
    if (input.signed) {
      // The fiche de décision, sealed and signed by the president (the demo scheme has only the president sign).
      const canonical = canonicalJson({
        sheet: await gatherDecisionSheet(tx, item.id),
        preconisations: PRECONISATIONS[index]!,
      } satisfies SealedDecisionSheet);
      const hash = sha256Hex(canonical);
      await tx.juryDecisionSheet.create({
        data: {
          decisionId: decision.id,
          status: "SIGNED",
          sealedHash: hash,
          sealedContent: JSON.parse(canonical) as Prisma.InputJsonValue,
          signerIds: [users.president],
          sealedAt: at(10, 30),
          signedAt: at(10, 32 + index),
          verificationCode: newVerificationCode(),
        },
      });
      await tx.signature.create({
        data: { documentKind: "decision", documentId: item.id, round: 0, userId: users.president, contentHash: hash, signedAt: at(10, 32 + index) },
      });
      await tx.renderJob.create({ data: { documentKind: "decision", documentId: item.id, round: 0 } });
    }
    decisionIds.push(decision.id);
  }
  if (input.signed) {
    await seedRecords(tx, input, blocs, decisionIds, at(11));
    // The candidates were notified two days after the jury, the day after the records were issued: their letters and
    // e-mails give the appeal deadline, which runs from that day (60 days by default, so it is still open: the
    // appeal received last week, prisma/seed/demo.ts, was on time).
    const secretariat = { userId: users.secretary, organisationId: input.organisationId, ip: null, userAgent: null };
    await writeDecisionNotices(tx, sessionId, secretariat, new Date(day.getTime() + 2 * 86_400_000 + 9 * 3_600_000));
  }
  if (input.signed) {
    const facts = (await gatherMinutesFacts(tx, sessionId))!;
    const canonical = canonicalJson({
      generated: buildMinutes(facts),
      remarks: "Séance tenue dans de bonnes conditions. Les décisions seront notifiées aux candidats sous quinze jours.",
    });
    const hash = sha256Hex(canonical);
    await tx.sessionMinutes.create({
      data: {
        sessionId,
        status: "SIGNED",
        round: 0,
        sealedHash: hash,
        sealedContent: JSON.parse(canonical) as Prisma.InputJsonValue,
        sealedAt: at(10, 45),
        signedAt: at(10, 52),
      },
    });
    await tx.signature.create({
      data: { documentKind: "minutes", documentId: sessionId, round: 0, userId: users.president, contentHash: hash, signedAt: at(10, 52) },
    });
    // Rendered and sealed by the render runner at the server's start (off the event loop).
    await tx.renderJob.create({ data: { documentKind: "minutes", documentId: sessionId, round: 0 } });
  }
  return sessionId;
}

/**
 * The demo's delivery: the past jury's parchemin and attestation de blocs (issued the day after the jury), and for the
 * third candidate (not delivered this time) a partial validation by a jury of almost five years ago — its first bloc,
 * with its attestation — that expires within 90 days.
 */
async function seedRecords(
  tx: Tx,
  input: PastJuryInput,
  blocs: { id: string; code: string }[],
  decisionIds: string[],
  closedAt: Date,
) {
  const actor = { userId: input.users.secretary, organisationId: input.organisationId, ip: null, userAgent: null };
  const issuedAt = new Date(closedAt.getTime() + 86_400_000);
  // What the jury wrote for each (sealed with its decision sheet and in its notice): the attestation carries the same.
  const preconisations = [null, PRECONISATIONS[1]!];
  for (const [index, decisionId] of decisionIds.slice(0, 2).entries()) {
    await issueRecordForDecisionTx(tx, { actor, decisionId, preconisations: preconisations[index], placeOfIssue: "Paris", issuedAt });
  }
  const today = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
  const catchUpAt = new Date(today.getTime() - 3 * 86_400_000 + 9 * 3_600_000);
  const newcomer = await tx.candidate.create({
    data: {
      organisationId: input.organisationId,
      birthName: "NGUYEN",
      givenNames: "Linh",
      sex: "F",
      birthDate: new Date("1996-04-18T00:00:00Z"),
      birthPlace: "Lyon",
      email: "linh.nguyen@example.org",
      searchKey: searchKeyOf("NGUYEN", null, "Linh"),
    },
  });
  await closedJury(tx, input, blocs, {
    title: "Jury paritaire — session de rattrapage",
    at: catchUpAt,
    place: "Lyon",
    decisions: [
      { candidateId: input.candidateIds[1], acquired: blocs.map((_, b) => b !== 0), only: blocs.slice(1).map((b) => b.id) },
      {
        candidateId: newcomer.id,
        acquired: blocs.map((_, b) => b === 0),
        preconisations: "Préparer le bloc BC02 par une mise en situation accompagnée sur machine avant de se représenter.",
      },
    ],
  });
  const oldAt = new Date(today);
  oldAt.setUTCFullYear(oldAt.getUTCFullYear() - 5);
  oldAt.setUTCDate(oldAt.getUTCDate() + 60);
  oldAt.setUTCHours(9, 30, 0, 0);
  const old = await tx.session.create({
    data: {
      organisationId: input.organisationId,
      kind: "JURY",
      title: "Jury paritaire de délivrance — archives",
      searchKey: searchKeyOf("Jury paritaire de délivrance — archives", "Paris"),
      startsAt: oldAt,
      endsAt: new Date(oldAt.getTime() + 3 * 3_600_000),
      actualStartAt: oldAt,
      actualEndAt: new Date(oldAt.getTime() + 2 * 3_600_000),
      status: "CLOSED",
      remote: false,
      place: "Paris",
      referentialVersionId: input.versionId,
      quorumMet: true,
      members: {
        create: [
          { userId: input.users.president, role: "PRESIDENT", college: "EMPLOYER" },
          { userId: input.users.vice, role: "VICE_PRESIDENT", college: "EMPLOYEE" },
        ],
      },
    },
  });
  await seatedThroughout(tx, old.id, [input.users.president, input.users.vice], oldAt);
  const dossier = await tx.dossier.create({
    data: {
      organisationId: input.organisationId,
      candidateId: input.candidateIds[2],
      certificationId: input.certificationId,
      referentialVersionId: input.versionId,
      route: "FORMATION",
      status: "DECIDED",
      commissionOutcome: "partial",
      createdAt: new Date(oldAt.getTime() - 200 * 86_400_000),
    },
  });
  const item = await tx.juryAgendaItem.create({
    data: { sessionId: old.id, dossierId: dossier.id, position: 1, phase: "DECISION", phaseStartedAt: oldAt },
  });
  await declaredNoLink(tx, item.id, [input.users.president, input.users.vice], oldAt);
  const decision = await tx.juryDecision.create({
    data: {
      sessionId: old.id,
      agendaItemId: item.id,
      dossierId: dossier.id,
      overall: "PARTIAL",
      granularity: "bloc",
      method: "CONSENSUS",
      preconisationsDoc: `preconisations:${old.id}:${item.id}`,
      decidedById: input.users.president,
      decidedAt: new Date(oldAt.getTime() + 3_600_000),
      items: {
        create: blocs.map((bloc, b) => ({
          target: "BLOC" as const,
          targetId: bloc.id,
          code: bloc.code,
          commissionOutcome: b === 0 ? "acquired" : "notAcquired",
          acquired: b === 0,
          followed: true,
          reason: b === 0 ? null : "Compétences non démontrées.",
        })),
      },
    },
  });
  // Its fiche de décision signed by the president before the records (docs/decisions/0019).
  await seedSignedDecisionSheet(tx, { agendaItemId: item.id, signerId: input.users.president, at: new Date(oldAt.getTime() + 100 * 60_000), render: true });
  await issueRecordForDecisionTx(tx, {
    actor,
    decisionId: decision.id,
    preconisations: "Se présenter à nouveau sur les blocs manquants avant la fin de validité du bloc acquis.",
    placeOfIssue: "Paris",
    issuedAt: new Date(oldAt.getTime() + 2 * 86_400_000),
  });
}

/**
 * The voting members' declarations for one candidate before the deliberation: each declared « Je n'ai aucun lien avec
 * ce candidat » (a ballot or a consensus comes after it; decision 0020).
 */
export async function declaredNoLink(tx: Tx, agendaItemId: string, userIds: readonly string[], at: Date) {
  await tx.juryConflictDeclaration.createMany({ data: userIds.map((userId) => ({ agendaItemId, userId, conflict: false, declaredAt: at })) });
}

/** A jury session held at `at` (three hours planned, two actual), closed: the demo's past juries. */
export async function createClosedJury(
  tx: Tx,
  input: { organisationId: string; title: string; at: Date; place: string | null; versionId: string; members: Prisma.SessionMemberUncheckedCreateWithoutSessionInput[] },
) {
  const session = await tx.session.create({
    data: {
      organisationId: input.organisationId,
      kind: "JURY",
      title: input.title,
      searchKey: searchKeyOf(input.title, input.place),
      startsAt: input.at,
      endsAt: new Date(input.at.getTime() + 3 * 3_600_000),
      actualStartAt: input.at,
      actualEndAt: new Date(input.at.getTime() + 2 * 3_600_000),
      status: "CLOSED",
      ...(input.place ? { remote: false, place: input.place } : { remote: true, remoteMeans: "Quorum (visioconférence)" }),
      referentialVersionId: input.versionId,
      quorumMet: true,
      members: { create: input.members },
    },
  });
  await seatedThroughout(tx, session.id, input.members.map((m) => m.userId), input.at);
  return session;
}

/** Every member signed in five minutes before the opening and stayed: the quorum met from then (its record). */
async function seatedThroughout(tx: Tx, sessionId: string, userIds: string[], openedAt: Date) {
  const arrivedAt = new Date(openedAt.getTime() - 5 * 60_000);
  await tx.juryAttendanceEvent.createMany({ data: userIds.map((userId) => ({ sessionId, userId, kind: "ARRIVED" as const, at: arrivedAt })) });
  await tx.juryQuorumEvent.create({ data: { sessionId, kind: "RECOVERED", at: arrivedAt, snapshot: { met: true, reasons: [] } } });
}

/**
 * A closed jury session with partial decisions (consensus), their fiches de décision signed by the president, records
 * not issued: what the secretariat delivers next.
 */
async function closedJury(
  tx: Tx,
  input: PastJuryInput,
  blocs: { id: string; code: string }[],
  plan: { title: string; at: Date; place: string; decisions: { candidateId: string; acquired: boolean[]; only?: string[]; preconisations?: string }[] },
) {
  const session = await createClosedJury(tx, {
    organisationId: input.organisationId,
    title: plan.title,
    at: plan.at,
    place: plan.place,
    versionId: input.versionId,
    members: [
      { userId: input.users.president, role: "PRESIDENT", college: "EMPLOYER" },
      { userId: input.users.vice, role: "VICE_PRESIDENT", college: "EMPLOYEE" },
      { userId: input.users.member, role: "MEMBER", college: "EMPLOYEE" },
      { userId: input.users.secretary, role: "SECRETARY" },
    ],
  });
  for (const [index, d] of plan.decisions.entries()) {
    const dossier = await tx.dossier.create({
      data: {
        organisationId: input.organisationId,
        candidateId: d.candidateId,
        certificationId: input.certificationId,
        referentialVersionId: input.versionId,
        route: "FORMATION",
        status: "DECIDED",
        commissionOutcome: "partial",
      },
    });
    const item = await tx.juryAgendaItem.create({
      data: { sessionId: session.id, dossierId: dossier.id, position: index + 1, phase: "DECISION", phaseStartedAt: plan.at },
    });
    await declaredNoLink(tx, item.id, [input.users.president, input.users.vice, input.users.member], plan.at);
    const judged = blocs.filter((bloc) => !d.only || d.only.includes(bloc.id));
    if (d.preconisations) {
      const text = new Y.Doc();
      text.getText("preconisations").insert(0, d.preconisations);
      await tx.collabDocument.create({ data: { name: `preconisations:${session.id}:${item.id}`, snapshot: Buffer.from(Y.encodeStateAsUpdate(text)) } });
      text.destroy();
    }
    const decidedAt = new Date(plan.at.getTime() + (index + 1) * 20 * 60_000);
    await tx.juryDecision.create({
      data: {
        sessionId: session.id,
        agendaItemId: item.id,
        dossierId: dossier.id,
        overall: "PARTIAL",
        granularity: "bloc",
        method: "CONSENSUS",
        preconisationsDoc: `preconisations:${session.id}:${item.id}`,
        decidedById: input.users.president,
        decidedAt,
        items: {
          create: judged.map((bloc) => {
            const acquired = d.acquired[blocs.indexOf(bloc)]!;
            return {
              target: "BLOC" as const,
              targetId: bloc.id,
              code: bloc.code,
              commissionOutcome: acquired ? "acquired" : "notAcquired",
              acquired,
              followed: true,
              reason: acquired ? null : "Compétences non démontrées lors de la mise en situation professionnelle.",
            };
          }),
        },
      },
    });
    // Signed by the president at the end of the sitting: the records can be issued (docs/decisions/0019).
    await seedSignedDecisionSheet(tx, { agendaItemId: item.id, signerId: input.users.president, at: new Date(decidedAt.getTime() + 5 * 60_000), render: true });
  }
  return session.id;
}
