/**
 * Gathers the fiche de décision of one decided candidate (app/domain/decision-sheet.ts): the recorded decision and
 * its items, the commission grid it started from (the consolidated result and each evaluator's own assessment),
 * the finished polls on that candidate as totals (secret ballots are never read; open votes' voters are not
 * printed either), the conformity as acknowledged, the jury's composition at the time of the decision with the
 * recusals, and the préconisations read from their Yjs document. Plus the evidence JSON attached to the sealed PDF.
 */
import { acquiredCodes, attendanceAt, labelTallies, resultLabel, type DecisionSheetContent, type SheetJuryChoice } from "~/domain/decision-sheet";
import { candidateName } from "~/domain/identity";
import type { OutcomeStatus } from "~/domain/aggregation";
import type { OverallDecision } from "~/domain/jury-decision";
import { OVERALL_OPTIONS, type PollOption } from "~/domain/jury-vote";
import { AppError } from "~/platform/app-error";
import { readCollabText } from "../sessions/collab-text.server";
import { candidateFacts } from "./candidate-facts.server";
import { agendaItemOf, loadJury, recusedFor, type Db } from "./jury-context.server";

/** The Y.Text of the préconisations in their document (preconisations:<sessionId>:<agendaItemId>). */
export const PRECONISATIONS_FIELD = "preconisations";

/** The decided agenda item (NOT_FOUND when unknown, outside `sessionId`, or not decided yet). */
export async function findDecidedItem(db: Db, agendaItemId: string, sessionId?: string) {
  const item = await db.juryAgendaItem.findFirst({
    where: { id: agendaItemId, ...(sessionId ? { sessionId } : {}) },
    select: { id: true, sessionId: true, decision: { select: { id: true, preconisationsDoc: true } } },
  });
  if (!item) throw new AppError("NOT_FOUND", "Ce candidat n'est pas à l'ordre du jour de ce jury.");
  return item;
}

export async function gatherDecisionSheet(db: Db, agendaItemId: string): Promise<DecisionSheetContent> {
  const found = await findDecidedItem(db, agendaItemId);
  const ctx = await loadJury(db, found.sessionId);
  const item = agendaItemOf(ctx, agendaItemId);
  const decision = item.decision;
  if (!decision) throw new AppError("NOT_FOUND", "Aucune décision n'est encore rendue pour ce candidat.");
  const facts = await candidateFacts(db, ctx, item);
  const recused = await recusedFor(db, ctx, item);
  const [organisation, candidate, polls, proxies] = await Promise.all([
    db.organisation.findUniqueOrThrow({ where: { id: ctx.session.organisationId }, select: { name: true, legalName: true } }),
    db.candidate.findUniqueOrThrow({ where: { id: item.dossier.candidateId }, select: { birthName: true, usageName: true, givenNames: true, sex: true, birthDate: true } }),
    db.juryPoll.findMany({
      where: { agendaItemId, state: "FINISHED" },
      orderBy: [{ finishedAt: "asc" }, { createdAt: "asc" }],
      select: {
        question: true,
        mode: true,
        options: true,
        tallies: true,
        result: true,
        tie: true,
        castingVoteChoice: true,
        consensusChoice: true,
        finishedAt: true,
        withdrawnAt: true,
        withdrawnById: true,
        withdrawnReason: true,
      },
    }),
    db.juryProxy.findMany({ where: { sessionId: ctx.session.id }, select: { giverId: true, holderId: true, grantedAt: true, revokedAt: true } }),
  ]);
  const names = new Map(ctx.session.members.map((m) => [m.userId, m.user.displayName]));
  const scale = ctx.scheme.scale;
  const version = ctx.session.referentialVersion!;
  const certification = await db.certification.findUniqueOrThrow({ where: { id: version.certification.id }, select: { kind: true } });

  // The grid the commission's outcome came from: the last signed one (else the last sealed one).
  const grid = [...facts.grids].reverse().find((g) => g.status === "SIGNED") ?? [...facts.grids].reverse().find((g) => g.content);
  // What the jury started from, as recorded with its decision; the computed outcome where it recorded none.
  const storedOutcome = (target: "BLOC" | "COMPETENCE", id: string) =>
    decision.items.find((x) => x.target === target && x.targetId === id)?.commissionOutcome as OutcomeStatus | undefined;
  const choiceOf = (target: "BLOC" | "COMPETENCE", id: string): SheetJuryChoice | null => {
    const i = decision.items.find((x) => x.target === target && x.targetId === id);
    return i ? { acquired: i.acquired, followed: i.followed, reason: i.reason } : null;
  };
  const blocs = facts.blocs.map((b) => {
    const target = facts.targets.find((t) => t.id === b.id);
    return {
      code: b.code,
      title: b.title,
      commissionOutcome: storedOutcome("BLOC", b.id) ?? ((target?.commissionOutcome ?? "pending") as OutcomeStatus),
      jury: choiceOf("BLOC", b.id),
      competences: b.competences.map((c) => ({
        code: c.code,
        statement: c.statement,
        commissionResult: resultLabel(scale, grid?.content?.result[c.id]),
        commissionOutcome:
          storedOutcome("COMPETENCE", c.id) ?? ((target?.competences.find((x) => x.id === c.id)?.commissionOutcome ?? "pending") as OutcomeStatus),
        evaluators: (grid?.evaluators ?? [])
          .filter((e) => grid?.content?.assessment[`${e.userId}|${c.id}`] !== undefined)
          .map((e) => ({ name: e.displayName, assessment: resultLabel(scale, grid?.content?.assessment[`${e.userId}|${c.id}`]) })),
        jury: choiceOf("COMPETENCE", c.id),
      })),
    };
  });

  const optionsOf = (options: unknown) => (options as PollOption[] | null) ?? [];
  const votes = polls.map((p) => {
    const options = optionsOf(p.options);
    const label = (v: string | null) => (v === null ? null : (options.find((o) => o.value === v)?.label ?? v));
    return {
      question: p.question,
      mode: p.mode,
      tallies: p.mode === "CONSENSUS" ? [] : (labelTallies(p.tallies as Record<string, number> | null, options) ?? []),
      result: label(p.result),
      tie: p.tie,
      castingVote: label(p.castingVoteChoice),
      consensus: label(p.consensusChoice),
      finishedAt: p.finishedAt?.toISOString() ?? null,
      ...(p.withdrawnAt
        ? { withdrawn: { at: p.withdrawnAt.toISOString(), by: names.get(p.withdrawnById ?? "") ?? "Membre", reason: p.withdrawnReason ?? "" } }
        : {}),
    };
  });
  const overallPoll = decision.pollId ? await db.juryPoll.findUnique({ where: { id: decision.pollId }, select: { options: true } }) : null;

  const members = ctx.session.members.map((m) => ({ userId: m.userId, name: m.user.displayName }));
  const presence = attendanceAt(members, ctx.session.attendance, proxies, decision.decidedAt);
  // The checklist as acknowledged (stored as its items; older rows as the whole checklist), else as it stands.
  type Check = { label: string; status: string; reason: string | null };
  const stored = item.conformitySnapshot as Check[] | { items?: Check[] } | null;
  const checklist: Check[] = (Array.isArray(stored) ? stored : stored?.items) ?? facts.conformity.items;
  const checkText = (c: Check) => `${c.label}${c.reason ? ` (${c.reason.replace(/\.$/, "")})` : ""}`;
  const remarks = Object.values((item.conformityRemarks as Record<string, string> | null) ?? {}).filter((r) => typeof r === "string" && r.trim());
  const session = ctx.session;
  return {
    organisation,
    certification: {
      title: version.certification.title,
      code: version.certification.code,
      kindLabel: certification.kind === "OTHER" ? "" : certification.kind,
      version: version.version,
    },
    session: {
      title: session.title,
      date: (session.actualStartAt ?? session.startsAt).toISOString(),
      place: session.remote
        ? `à distance${session.remoteMeans ? `, par ${session.remoteMeans}` : ""}`
        : (session.place ?? "lieu non renseigné"),
    },
    candidate: {
      name: candidateName(candidate),
      sex: candidate.sex === "F" || candidate.sex === "M" ? candidate.sex : null,
      birthDate: candidate.birthDate ? candidate.birthDate.toISOString().slice(0, 10) : null,
    },
    dossierRoute: item.dossier.route,
    granularity: decision.granularity === "competence" ? "competence" : "bloc",
    evaluation: grid
      ? {
          sessionTitle: grid.sessionTitle,
          evaluatedAt: grid.evaluatedAt,
          signedAt: grid.signedAt,
          evaluators: grid.evaluators.map((e) => ({ name: e.displayName, profile: e.profile })),
        }
      : null,
    blocs,
    decision: {
      overall: decision.overall as OverallDecision,
      method: decision.method,
      decidedAt: decision.decidedAt.toISOString(),
      decidedBy: names.get(decision.decidedById) ?? "Président(e)",
      adjournmentReason: decision.adjournmentReason,
      castingVoteUsed: decision.castingVoteUsed,
      tallies: labelTallies(decision.tallies as Record<string, number> | null, overallPoll ? optionsOf(overallPoll.options) : OVERALL_OPTIONS),
      ...acquiredCodes(decision.items),
    },
    votes,
    conformity: {
      acknowledged: item.conformityAckAt !== null,
      nonConformities: checklist.filter((c) => c.status === "nonConform").map(checkText),
      unverifiable: checklist.filter((c) => c.status === "unverifiable").map(checkText),
      remarks,
    },
    composition: session.members
      .filter((m) => m.role !== "OBSERVER" && m.role !== "SECRETARY")
      .map((m) => {
        const p = presence.get(m.userId)!;
        return { name: m.user.displayName, role: m.role, college: m.college, status: p.status, representedBy: p.representedBy, recused: recused.get(m.userId) ?? null };
      }),
  };
}

/** The préconisations as stored now (the live text, before the sheet is sealed). */
export async function currentPreconisations(db: Db, documentName: string): Promise<string> {
  return readCollabText(db, documentName, PRECONISATIONS_FIELD);
}

/** The evidence attached to the sealed PDF: the decision as stored, the polls' totals, the sealed content and the
 * audit events of this candidate's deliberation and sheet with their chain hashes. */
export async function decisionSheetEvidence(db: Db, agendaItemId: string) {
  const decision = await db.juryDecision.findUniqueOrThrow({ where: { agendaItemId }, include: { items: { orderBy: { code: "asc" } } } });
  const polls = await db.juryPoll.findMany({
    where: { agendaItemId, state: "FINISHED" },
    orderBy: [{ finishedAt: "asc" }, { createdAt: "asc" }],
    select: { id: true, subject: true, subjectId: true, question: true, mode: true, tallies: true, result: true, tie: true, castingVoteChoice: true, consensusChoice: true, finishedAt: true, withdrawnAt: true, withdrawnReason: true },
  });
  // Every event about this candidate and nothing about another: the session's events (indexed AuditEvent.sessionId)
  // whose subject is the candidate's own — its agenda item (phases, conformity, conflict declarations), each of its
  // polls, started or not (opening, votes, closing, casting vote, consensus), its decision and its sheet (signing,
  // rendering). A secret vote's event carries no choice; only the chain's fields are exported here anyway.
  const pollIds = (await db.juryPoll.findMany({ where: { agendaItemId }, select: { id: true } })).map((p) => p.id);
  const audit = await db.auditEvent.findMany({
    where: {
      sessionId: decision.sessionId,
      OR: [
        { subjectType: "JuryAgendaItem", subjectId: agendaItemId },
        { subjectType: "JuryPoll", subjectId: { in: pollIds } },
        { subjectType: "JuryDecision", subjectId: decision.id },
        { subjectType: "JuryDecisionSheet", subjectId: agendaItemId },
      ],
    },
    orderBy: { seq: "asc" },
    select: { seq: true, action: true, actorId: true, subjectType: true, subjectId: true, createdAt: true, prevHash: true, hash: true },
  });
  return {
    sessionId: decision.sessionId,
    agendaItemId,
    decision: {
      id: decision.id,
      overall: decision.overall,
      granularity: decision.granularity,
      method: decision.method,
      tallies: decision.tallies ?? null,
      castingVoteUsed: decision.castingVoteUsed,
      adjournmentReason: decision.adjournmentReason,
      decidedAt: decision.decidedAt,
      items: decision.items.map((i) => ({ target: i.target, code: i.code, commissionOutcome: i.commissionOutcome, acquired: i.acquired, followed: i.followed, reason: i.reason })),
    },
    polls,
    auditEvents: audit.map((a) => ({ ...a, seq: String(a.seq) })),
  };
}
