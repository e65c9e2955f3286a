/**
 * Gathers what happened in a session for its procès-verbal (app/domain/minutes.ts builds the text): the session,
 * its members, émargement, proxies, quorum events, connection events, and per jury candidate the conformity, the
 * polls (secret polls: totals only — the ballots are never read here), the decision and the préconisations (the
 * Yjs document of the decision). Plus the evidence JSON attached to the sealed PDF.
 */
import { appealMinutesLine } from "~/domain/appeal";
import { candidateName } from "~/domain/identity";
import { acknowledgedChecklist } from "~/domain/conformity";
import { ofName } from "~/domain/format";
import { buildMinutes, type CandidateFact, MINUTES_REMARKS_TEXT, type MinutesFacts, minutesDocumentName } from "~/domain/minutes";
import type { OverallDecision } from "~/domain/jury-decision";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { readCollabText } from "./collab-text.server";
import { ABSTAIN_OPTION, recusals } from "~/domain/jury-vote";
import { evaluatorIdsOfDossier } from "~/live/jury/jury-context.server";

type Db = PrismaClient | Prisma.TransactionClient;


type VoteRightRow = { userId: string; actingUserId: string };
type AgendaRow = {
  conflicts: Array<{ userId: string; conflict: boolean }>;
  dossier: { candidate: { trainerId: string | null } };
  polls: Array<{ entitledVoterIds: unknown; recusedUserIds: unknown }>;
};

/**
 * One candidate's declarations for the minutes, from what the session recorded (no extra read): who declared no link;
 * who was recused for a link (the candidate's trainer, and the recusals each vote froze when it opened — an
 * evaluator of his passages); who was among a vote's voters yet never declared, and so could not vote.
 */
function declarationsOf(item: AgendaRow, members: ReadonlyArray<{ userId: string; role: string }>, nameOf: (id: string) => string) {
  const declared = new Set(item.conflicts.map((c) => c.userId));
  // The president, the vice-president, then the members in their seats' order.
  const rank = (role: string) => ["PRESIDENT", "VICE_PRESIDENT", "MEMBER"].indexOf(role);
  const voting = members
    .filter((m) => rank(m.role) >= 0)
    .sort((a, b) => rank(a.role) - rank(b.role))
    .map((m) => m.userId);
  const linked = new Map<string, string>();
  const trainerId = item.dossier.candidate.trainerId;
  if (trainerId && voting.includes(trainerId) && !declared.has(trainerId)) linked.set(trainerId, "Formateur du candidat");
  for (const poll of item.polls) {
    for (const r of (poll.recusedUserIds ?? []) as Array<{ userId: string; reason: string }>) {
      if (!declared.has(r.userId) && !linked.has(r.userId)) linked.set(r.userId, r.reason);
    }
  }
  const entitled = new Set(item.polls.flatMap((p) => ((p.entitledVoterIds ?? []) as VoteRightRow[]).flatMap((r) => [r.userId, r.actingUserId])));
  return {
    declaredNoLink: voting.filter((id) => item.conflicts.some((c) => c.userId === id && !c.conflict)).map(nameOf),
    linkRecusals: [...linked.entries()].map(([id, reason]) => ({ name: nameOf(id), reason })),
    undeclaredVoters: voting.filter((id) => entitled.has(id) && !declared.has(id) && !linked.has(id)).map(nameOf),
  };
}

export async function gatherMinutesFacts(db: Db, sessionId: string): Promise<MinutesFacts | null> {
  const session = await db.session.findUnique({
    where: { id: sessionId },
    include: {
      organisation: true,
      referentialVersion: { include: { certification: true, blocs: { orderBy: { position: "asc" } } } },
      members: { include: { user: { select: { displayName: true } } }, orderBy: { createdAt: "asc" } },
      attendance: { orderBy: { at: "asc" } },
      proxies: { orderBy: { grantedAt: "asc" } },
      quorumEvents: { orderBy: { at: "asc" } },
      connectionEvents: { orderBy: { at: "asc" } },
      agenda: {
        orderBy: { position: "asc" },
        include: {
          dossier: { include: { candidate: true } },
          conflicts: true,
          polls: { where: { state: "FINISHED" }, orderBy: { finishedAt: "asc" }, include: { openVotes: true } },
          decision: { include: { items: true } },
        },
      },
      slots: { orderBy: { startsAt: "asc" }, include: { candidate: true } },
    },
  });
  if (!session) return null;
  const nameOf = (id: string) => session.members.find((m) => m.userId === id)?.user.displayName ?? "Membre";
  const version = session.referentialVersion;
  const appeals = session.kind === "JURY" ? await appealFacts(db, sessionId, session.members, nameOf) : { lines: [], revisedDecisionIds: new Set<string>() };
  // A revised decision after an upheld appeal is told in « Recours », not as a candidate deliberated.
  const agenda = session.agenda.filter((item) => !(item.decision && appeals.revisedDecisionIds.has(item.decision.id)));
  const candidates: CandidateFact[] = [];
  const president = session.members.find((m) => m.role === "PRESIDENT");
  /** Who conducted a decided candidate, when not the president (the vice-president in his place), and why. */
  const conductedBy = async (item: (typeof agenda)[number], decidedById: string) => {
    if (!president || decidedById === president.userId) return null;
    const evaluatorIds = version
      ? await evaluatorIdsOfDossier(db, { dossierId: item.dossierId, candidateId: item.dossier.candidateId, certificationId: version.certificationId })
      : [];
    const recused = recusals(
      session.members.map((m) => ({ userId: m.userId, role: m.role, college: m.college })),
      { declaredConflictIds: item.conflicts.filter((c) => c.conflict).map((c) => c.userId), trainerId: item.dossier.candidate.trainerId, evaluatorIds },
    );
    return { name: nameOf(decidedById), presidentRecusal: recused.get(president.userId) ?? null };
  };
  for (const item of agenda) {
    // As acknowledged (stored as the checklist's items): an array, which this read as an object and so printed nothing.
    const snapshot = acknowledgedChecklist(item.conformitySnapshot)?.items ?? [];
    const remarks = Object.values((item.conformityRemarks as Record<string, string> | null) ?? {}).filter(Boolean);
    const decision = item.decision;
    candidates.push({
      name: candidateName(item.dossier.candidate),
      conformity: snapshot.map((i) => ({ label: i.label, status: i.status, reason: i.reason ?? null })),
      conformityRemarks: remarks,
      // Recorded in the session (each member's declaration per candidate); a member linked otherwise (trainer,
      // evaluator) is named where it matters, beside who conducted.
      declaredConflicts: item.conflicts.filter((c) => c.conflict).map((c) => nameOf(c.userId)),
      ...declarationsOf(item, session.members, nameOf),
      polls: item.polls.map((p) => {
        const options = (p.options as Array<{ value: string; label: string }>) ?? [];
        return {
          question: p.question,
          mode: p.mode,
          finishedAt: p.finishedAt,
          tallies: (p.tallies as Record<string, number> | null) ?? null,
          labels: Object.fromEntries([...options, ABSTAIN_OPTION].map((o) => [o.value, o.label])),
          result: p.result,
          tie: p.tie,
          castingVoteChoice: p.castingVoteChoice,
          castingVoteBy: p.castingVoteById ? nameOf(p.castingVoteById) : null,
          consensusChoice: p.consensusChoice,
          withdrawn: p.withdrawnAt ? { at: p.withdrawnAt, by: p.withdrawnById ? nameOf(p.withdrawnById) : "Membre", reason: p.withdrawnReason ?? "" } : null,
          // Named votes exist only for open polls; secret ballots carry no voter and are not read.
          votes: p.mode === "OPEN" ? p.openVotes.map((v) => ({ name: nameOf(v.userId), choice: v.choice })) : undefined,
        };
      }),
      decision: decision
        ? {
            overall: decision.overall as OverallDecision,
            method: decision.method,
            tallies: (decision.tallies as Record<string, number> | null) ?? null,
            castingVoteUsed: decision.castingVoteUsed,
            decidedAt: decision.decidedAt,
            adjournmentReason: decision.adjournmentReason,
            items: decision.items.map((i) => ({ target: i.target, code: i.code, acquired: i.acquired, followed: i.followed, reason: i.reason })),
            conductedBy: await conductedBy(item, decision.decidedById),
            castingVoteBy: ((id) => (id ? nameOf(id) : null))(item.polls.find((p) => p.id === decision.pollId)?.castingVoteById),
          }
        : null,
      preconisations: decision ? await readCollabText(db, decision.preconisationsDoc, "preconisations") : "",
      // Reported to a later jury (recusal deadlock): not deliberated, told with the recusals that left nobody to.
      postponed: item.postponedAt
        ? { at: item.postponedAt, by: item.postponedById ? nameOf(item.postponedById) : null, reason: item.postponedReason ?? "" }
        : null,
    });
  }
  // A candidate reported to a later jury was not deliberated: his dossier was not examined here.
  const documentsExamined = agenda.filter((item) => !item.postponedAt || item.decision).flatMap((item) => {
    const name = candidateName(item.dossier.candidate);
    return [
      `Dossier ${ofName(name)} (complétude contrôlée)`,
      ...(item.dossier.commissionSlotId ? [`Grille d'évaluation signée ${ofName(name)}`] : []),
    ];
  });
  return {
    kind: session.kind,
    organisation: { name: session.organisation.name, legalName: session.organisation.legalName },
    certification: version
      ? {
          title: version.certification.title,
          code: version.certification.code,
          kindLabel: version.certification.kind === "OTHER" ? "" : version.certification.kind,
          certifierName: version.certification.certifierName,
          version: version.version,
          blocs: version.blocs.map((b) => ({ code: b.code, title: b.title })),
        }
      : null,
    session: {
      title: session.title,
      startsAt: session.startsAt,
      endsAt: session.endsAt,
      actualStartAt: session.actualStartAt,
      actualEndAt: session.actualEndAt,
      remote: session.remote,
      remoteMeans: session.remoteMeans,
      place: session.place,
    },
    members: session.members.map((m) => ({ userId: m.userId, name: m.user.displayName, role: m.role, college: m.college })),
    attendance: session.attendance.map((a) => ({ userId: a.userId, kind: a.kind, at: a.at })),
    proxies: session.proxies.map((p) => ({ giverId: p.giverId, holderId: p.holderId, grantedAt: p.grantedAt, revokedAt: p.revokedAt })),
    quorumEvents: session.quorumEvents.map((q) => ({
      kind: q.kind,
      at: q.at,
      reasons: ((q.snapshot as { reasons?: string[] } | null)?.reasons ?? []).filter((r) => typeof r === "string"),
    })),
    connections: session.connectionEvents.map((c) => ({ userId: c.userId, kind: c.kind, at: c.at, voluntary: c.voluntary, navigated: c.navigated })),
    candidates,
    commissionSlots:
      session.kind === "COMMISSION"
        ? session.slots.map((s) => ({
            candidate: candidateName(s.candidate),
            startsAt: s.startsAt,
            gridStatus: s.gridStatus,
            signedAt: s.signedAt,
            outcome: null,
          }))
        : [],
    documentsExamined,
    appeals: appeals.lines,
  };
}

/**
 * The appeals this jury examined (or has on its agenda), as the minutes tell them, with the members' declarations for
 * each appellant (president, vice-president, then the members in their seats' order).
 */
async function appealFacts(db: Db, sessionId: string, members: ReadonlyArray<{ userId: string; role: string }>, nameOf: (id: string) => string) {
  const rows = await db.appeal.findMany({ where: { sessionId }, orderBy: { createdAt: "asc" }, include: { declarations: true } });
  const rank = (role: string) => ["PRESIDENT", "VICE_PRESIDENT", "MEMBER"].indexOf(role);
  const voting = members
    .filter((m) => rank(m.role) >= 0)
    .sort((a, b) => rank(a.role) - rank(b.role))
    .map((m) => m.userId);
  const declared = (appeal: (typeof rows)[number], conflict: boolean) =>
    voting.filter((id) => appeal.declarations.some((d) => d.userId === id && d.conflict === conflict)).map(nameOf);
  const decisionIds = [...rows.map((a) => a.decisionId), ...rows.flatMap((a) => (a.newDecisionId ? [a.newDecisionId] : []))];
  const decisions = await db.juryDecision.findMany({
    where: { id: { in: decisionIds } },
    include: { items: { orderBy: { code: "asc" } }, dossier: { include: { candidate: true } } },
  });
  const byId = new Map(decisions.map((d) => [d.id, d]));
  const lines = rows.map((appeal) => {
    const contested = byId.get(appeal.decisionId)!;
    const revised = appeal.newDecisionId ? byId.get(appeal.newDecisionId) : undefined;
    return appealMinutesLine({
      candidate: candidateName(contested.dossier.candidate),
      contestedOn: contested.decidedAt,
      contestedOverall: contested.overall as OverallDecision,
      receivedAt: appeal.receivedAt,
      grounds: appeal.grounds,
      status: appeal.status,
      outcomeReason: appeal.outcomeReason,
      declarations: { noLink: declared(appeal, false), conflicts: declared(appeal, true) },
      revised: revised
        ? { overall: revised.overall as OverallDecision, acquiredCodes: revised.items.filter((i) => i.acquired).map((i) => i.code) }
        : null,
    });
  });
  return { lines, revisedDecisionIds: new Set(rows.flatMap((a) => (a.newDecisionId ? [a.newDecisionId] : []))) };
}

/** The generated part and the remarks, as the page shows them and the seal hashes them. */
export async function currentMinutes(db: Db, sessionId: string) {
  const facts = await gatherMinutesFacts(db, sessionId);
  if (!facts) return null;
  const remarks = await readCollabText(db, minutesDocumentName(sessionId), MINUTES_REMARKS_TEXT);
  return { facts, generated: buildMinutes(facts), remarks };
}

/** The evidence attached to the sealed PDF: decisions, tallies, attendance with times, quorum events, incidents
 * and the session's audit events with their chain hashes. */
export async function minutesEvidence(db: Db, sessionId: string, facts: MinutesFacts) {
  // Every event of the session, whatever its subject (a poll, an agenda item, a decision, a passage, a signed
  // document): the commands name the session in the hashed payload, mirrored in the indexed AuditEvent.sessionId.
  const audit = await db.auditEvent.findMany({
    where: { sessionId },
    orderBy: { seq: "asc" },
    select: { seq: true, action: true, actorId: true, subjectType: true, subjectId: true, createdAt: true, prevHash: true, hash: true },
  });
  return {
    sessionId,
    decisions: facts.candidates.map((c) => ({ candidate: c.name, decision: c.decision, ...(c.postponed ? { postponed: c.postponed } : {}) })),
    polls: facts.candidates.flatMap((c) =>
      c.polls.map((p) => ({ candidate: c.name, question: p.question, mode: p.mode, tallies: p.tallies, result: p.result, finishedAt: p.finishedAt })),
    ),
    attendance: facts.attendance,
    proxies: facts.proxies,
    quorumEvents: facts.quorumEvents,
    connectionEvents: facts.connections,
    auditEvents: audit.map((a) => ({ ...a, seq: String(a.seq) })),
  };
}
