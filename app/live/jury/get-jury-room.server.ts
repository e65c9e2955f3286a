/**
 * Read model of the jury room: the session, seats with attendance (present / represented / absent), proxies,
 * quorum and its history, the agenda in order with, per candidate, identity, route, grids (PDF links, each
 * evaluator's assessment, consolidated results), outcomes per competence and bloc, conformity checklist,
 * recusals, polls with tallies (never voter → choice for a secret poll) and the decision. For seated members, the
 * session's secretary and the organisation's secretariat; anyone else gets « introuvable ».
 */
import { AppError } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";
import { readerOf } from "~/live/sessions/session-reader.server";
import { coalescedRead } from "~/platform/http/coalesced-read.server";
import { evidenceDownloadRefusal } from "~/domain/access";
import { summariseAcquisitions } from "~/domain/acquisitions";
import { acknowledgedChecklist } from "~/domain/conformity";
import { castingVoteHolder, isSupersededPoll, mayRecordAttendanceOfOthers, presidingMember, recusedEvaluationRefusal, recusedEvidenceRefusal, rightsNow } from "~/domain/jury-vote";
import { preconisationsReadOnlyReason } from "~/domain/preconisations";
import { sheetSentBack } from "~/domain/jury-decision";
import { isVotingMember } from "~/domain/quorum";
import { scaleLevels } from "~/domain/scales";
import { acquiredForMany } from "~/delivery/acquired-for.server";
import { candidatesFacts } from "./candidate-facts.server";
import { candidateDeadlock, candidateQuorum, loadJuryRoom, recusalsOf } from "./jury-context.server";
import { optionsOf, recusedOf, rightsOf } from "./poll-rows.server";

/**
 * What the room shows the same for every viewer, read and assembled once for the requests that ask at the same time
 * (coalescedRead: never a read started before the request asked): the session with the quorum's history, the named
 * votes and the polls' voters (one statement), the candidates' facts and what each already holds.
 */
function readJuryRoom(sessionId: string) {
  return coalescedRead(`jury-room:${sessionId}`, async () => {
    const shared = await readShared(sessionId);
    return { organisationId: shared.ctx.session.organisationId, seats: shared.ctx.session.members, ...assembleRoom(shared) };
  });
}

async function readShared(sessionId: string) {
  const ctx = await loadJuryRoom(prisma, sessionId);
  const { session } = ctx;
  // Everything about the candidates in one query per table, not one round per candidate.
  const allFacts = await candidatesFacts(prisma, ctx, session.agenda);
  // What each candidate already holds of this certification and is still valid (earlier juries), for the deliberation;
  // without any decision in it, nothing (read only for those with one).
  // Those with one, all at once (four statements whatever their number: a jury examining appeals or second
  // passages has many).
  const pairs = session.agenda.map((a, i) => ({ candidateId: a.dossier.candidateId, certificationId: allFacts[i]!.dossier.certificationId }));
  // Which candidates have a jury decision in this certification at all (most have none before their first jury): read
  // with the session (JURY_ROOM_INCLUDE).
  const withDecision = pairs.filter((p, i) => session.agenda[i]!.dossier.candidate.dossiers.some((d) => d.certificationId === p.certificationId));
  const summaries = await acquiredForMany(session.organisationId, withDecision).catch(() => null);
  const nothing = summariseAcquisitions([], [], { partialValidityYears: null }, new Date());
  const allAcquired = pairs.map((p) =>
    withDecision.includes(p)
      ? (summaries?.get(`${p.candidateId}:${p.certificationId}`) ?? null)
      : { status: nothing.status, acquisitions: nothing.acquisitions.map((acquisition) => ({ ...acquisition, title: "" })) },
  );
  return { ctx, allFacts, allAcquired };
}

/** The room as every viewer sees it; what depends on the viewer is added by getJuryRoom. */
function assembleRoom({ ctx, allFacts, allAcquired }: Awaited<ReturnType<typeof readShared>>) {
  const { session, scheme, quorum } = ctx;
  const names = new Map(session.members.map((m) => [m.userId, m.user.displayName]));
  const quorumEvents = session.quorumEvents;
  const openVotes = session.polls.flatMap((p) => p.openVotes);
  const voters = session.polls.flatMap((p) => p.voters);

  const agenda = [];
  const readOnlyFacts = [];
  for (const [index, item] of session.agenda.entries()) {
    const facts = allFacts[index]!;
    const recused = recusalsOf(ctx, item, facts.recusalEvaluatorIds);
    // Reported to a later jury: said as such (`postponed`), no longer a deadlock to resolve here.
    const deadlock = item.decision || item.postponedAt ? null : candidateDeadlock(ctx, recused, facts.recusalEvaluatedAt);
    const c = item.dossier.candidate;
    const details = facts.dossier;
    const acquired = allAcquired[index] ?? null;
    agenda.push({
      agendaItemId: item.id,
      position: item.position,
      dossierId: item.dossierId,
      candidate: {
        id: c.id,
        name: `${c.givenNames} ${c.usageName ?? c.birthName}`,
        birthName: c.birthName,
        employer: details.candidate.employer,
        birthDate: details.candidate.birthDate?.toISOString() ?? null,
      },
      route: item.dossier.route,
      dossierStatus: item.dossier.status,
      phase: item.phase,
      phaseStartedAt: item.phaseStartedAt?.toISOString() ?? null,
      positioning: facts.dossier.positioning,
      companyOpinion: facts.dossier.companyOpinion,
      companyOpinionFavourable: facts.dossier.companyOpinionFavourable,
      vaeAdmissibility: facts.dossier.vaeAdmissibility,
      vaeExperienceMonths: details.vaeExperienceMonths,
      vaeDecisionNote: details.vaeDecisionNote,
      positionedAt: details.positionedAt?.toISOString() ?? null,
      evidenceUrl: `/dossiers/${item.dossierId}`,
      evidence: details.evidence.map((e) => ({ ...e, url: `/sessions/${session.id}/jury/pieces/${e.id}` })),
      acquired: acquired
        ? {
            status: acquired.status,
            acquisitions: acquired.acquisitions.map((a) => ({
              code: a.code,
              title: a.title,
              decidedAt: a.decidedAt.toISOString(),
              validUntil: a.validUntil?.toISOString() ?? null,
              state: a.state,
            })),
          }
        : null,
      blocs: facts.blocs.map((b) => ({
        id: b.id,
        code: b.code,
        title: b.title,
        competences: b.competences.map((co) => ({ id: co.id, code: co.code, statement: co.statement })),
      })),
      // Grid PDFs through the jury's own route (jury members do not sit in the commission).
      grids: facts.grids.map((g) => ({ ...g, pdfUrl: g.pdfUrl ? `/sessions/${session.id}/jury/grilles/${g.slotId}` : null })),
      outcome: facts.outcome,
      targets: facts.targets,
      // Once acknowledged, the checklist the jury acknowledged (its record), not today's recomputation.
      conformity: (item.conformityAckAt ? acknowledgedChecklist(item.conformitySnapshot) : null) ?? facts.conformity,
      conformityAck: item.conformityAckAt
        ? { at: item.conformityAckAt.toISOString(), byId: item.conformityAckById, remarks: item.conformityRemarks }
        : null,
      recused: [...recused.entries()].map(([userId, reason]) => ({ userId, displayName: names.get(userId) ?? "", reason })),
      conflicts: item.conflicts.map((d) => ({ userId: d.userId, conflict: d.conflict, note: d.note })),
      // Each voting member's declaration for this candidate (who has, who has not declared yet): no ballot and no
      // consensus before it; a member recused for a link Quorum knows (trainer, evaluator) needs none.
      declarations: ctx.members.filter(isVotingMember).map((m) => {
        const declared = item.conflicts.find((d) => d.userId === m.userId);
        const status = declared?.conflict ? "conflict" : recused.has(m.userId) ? "recused" : declared ? "noLink" : "missing";
        return { userId: m.userId, displayName: names.get(m.userId) ?? "", present: ctx.present.has(m.userId), status, declaredAt: declared?.declaredAt.toISOString() ?? null } as const;
      }),
      castingVoteHolder: castingVoteHolder(scheme.jury, ctx.members, ctx.present, recused),
      // Who conducts the deliberation on this candidate: a recused president (or vice-president) does not.
      presidingId: presidingMember(ctx.members, ctx.present, recused),
      // The quorum of this candidate's votes and decision: the members recused for him are not counted.
      quorum: (({ met, reasons, perCollege, total }) => ({ met, reasons, perCollege, total }))(candidateQuorum(ctx, recused)),
      // Recusals that alone bar the deliberation on him in this jury (a college without members entitled to it, no
      // chair to conduct it): who is recused and why, what resolves it; the commands refuse with the same statement.
      deadlock: deadlock && { lines: deadlock.lines, remedy: deadlock.remedy, message: deadlock.message },
      // Reported to a later jury by the sitting's president (recusal deadlock): when, by whom, why; not deliberated here.
      postponed: item.postponedAt ? { at: item.postponedAt.toISOString(), byId: item.postponedById, reason: item.postponedReason ?? "" } : null,
      chairsRecused: ctx.members.filter((m) => (m.role === "PRESIDENT" || m.role === "VICE_PRESIDENT") && recused.has(m.userId)).map((m) => m.role),
      polls: session.polls
        .filter((p) => p.agendaItemId === item.id)
        .map((p, _, polls) => ({
          id: p.id,
          subject: p.subject,
          subjectId: p.subjectId,
          question: p.question,
          options: optionsOf(p),
          mode: p.mode,
          state: p.state,
          baseCount: p.baseCount,
          // Who counts is frozen at the start; who may cast each ballot follows attendance and proxies now.
          entitled: rightsNow(rightsOf(p), p.majorityBase, ctx.present, quorum.proxies),
          recused: recusedOf(p),
          votedUserIds: p.mode === "SECRET" ? voters.filter((v) => v.pollId === p.id).map((v) => v.userId) : openVotes.filter((v) => v.pollId === p.id).map((v) => v.userId),
          // Open polls only: who chose what. A secret poll has only its totals, once finished.
          openVotes: p.mode === "OPEN" ? openVotes.filter((v) => v.pollId === p.id).map((v) => ({ userId: v.userId, actingUserId: v.actingUserId, choice: v.choice })) : [],
          tallies: p.state === "FINISHED" ? (p.tallies as Record<string, number> | null) : null,
          result: p.result,
          tie: p.tie,
          castingVoteChoice: p.castingVoteChoice,
          castingVoteById: p.castingVoteById,
          // A later vote or consensus on the same question: this poll's tie is no longer broken by a casting vote.
          superseded: isSupersededPoll(polls, p.id),
          // A consensus gone back on: it no longer settles its question (shown superseded, with who, when and why).
          withdrawn: p.withdrawnAt ? { at: p.withdrawnAt.toISOString(), byId: p.withdrawnById, reason: p.withdrawnReason ?? "" } : null,
          startedAt: p.startedAt?.toISOString() ?? null,
          finishedAt: p.finishedAt?.toISOString() ?? null,
        })),
      decision: item.decision
        ? {
            id: item.decision.id,
            overall: item.decision.overall,
            adjournmentReason: item.decision.adjournmentReason,
            method: item.decision.method,
            tallies: item.decision.tallies,
            castingVoteUsed: item.decision.castingVoteUsed,
            preconisationsDoc: item.decision.preconisationsDoc,
            decidedAt: item.decision.decidedAt.toISOString(),
            items: item.decision.items,
          }
        : null,
      preconisationsDoc: `preconisations:${session.id}:${item.id}`,
    });
    // What the viewer's rights on this candidate's préconisations depend on (getJuryRoom).
    readOnlyFacts.push({ phase: item.phase, decided: item.decision !== null, reopened: sheetSentBack(item.decision?.sheet), conflicted: item.conflicts.filter((d) => d.conflict).map((d) => d.userId), declared: item.conflicts.map((d) => d.userId), recused });
  }

  const room = {
    session: {
      id: session.id,
      title: session.title,
      status: session.status,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
      actualStartAt: session.actualStartAt?.toISOString() ?? null,
      actualEndAt: session.actualEndAt?.toISOString() ?? null,
      remote: session.remote,
      remoteMeans: session.remoteMeans,
      place: session.place,
      version: session.juryStateVersion,
      certification: session.referentialVersion?.certification ? { id: session.referentialVersion.certification.id, title: session.referentialVersion.certification.title, code: session.referentialVersion.certification.code } : null,
    },
    juryRules: scheme.jury,
    /** What the room needs of the scheme beyond the jury's rules: result labels, partial validation, bloc rule. */
    schemeView: {
      resultLabels: Object.fromEntries((scaleLevels(scheme.scale) ?? []).map((l) => [l.value, l.label])) as Record<string, string>,
      partialAllowed: scheme.aggregation.partialAllowed,
      blocRule: scheme.aggregation.bloc,
      observersMayDownloadIdentity: scheme.observersMayDownloadIdentity,
    },
    members: session.members.map((m) => ({
      userId: m.userId,
      displayName: m.user.displayName,
      role: m.role,
      college: m.college,
      attendance: quorum.status[m.userId] ?? (ctx.present.has(m.userId) ? "present" : "absent"),
    })),
    attendance: session.attendance.map((a) => ({ userId: a.userId, kind: a.kind, at: a.at.toISOString() })),
    proxies: quorum.proxies.map((p) => ({ id: p.id, giverId: p.giverId, holderId: p.holderId, valid: p.valid, reason: p.reason })),
    quorum: { met: quorum.met, reasons: quorum.reasons, perCollege: quorum.perCollege, total: quorum.total },
    quorumEvents: quorumEvents.map((e) => ({ kind: e.kind, at: e.at.toISOString(), snapshot: e.snapshot })),
    presidingId: presidingMember(ctx.members, ctx.present),
    agenda,
  };
  return { room, readOnlyFacts, sessionStatus: session.status, present: ctx.present };
}

/**
 * `viewer`: the viewer's user id, or its promise (the sign-in being read: the session is read meanwhile, and nothing of
 * it leaves before the viewer is known, and seated or managing).
 */
export async function getJuryRoom(sessionId: string, viewer: string | Promise<string>) {
  const [{ organisationId, seats, room, readOnlyFacts, sessionStatus, present }, viewerId] = await Promise.all([readJuryRoom(sessionId), viewer]);
  // Seated and still a member of the organisation, or one of its administrators and secretariat (memberships come
  // with the sign-in: no statement). Those who manage also relaunch a PDF whose render failed (the route checks again).
  const reader = await readerOf(seats, viewerId, organisationId);
  if (!reader) throw new AppError("NOT_FOUND", "Jury introuvable.");
  const { seat, manages } = reader;
  const { session, agenda, ...rest } = room;
  return {
    session,
    viewer: {
      userId: viewerId,
      role: seat?.role ?? null,
      college: seat?.college ?? null,
      manages,
      /** Whether the room offers « Arrivée » / « Départ » for the other members (the command decides the same way). */
      recordsAttendanceOfOthers: mayRecordAttendanceOfOthers(seats, present, viewerId, manages),
    },
    ...rest,
    agenda: agenda.map((item, index) => {
      const facts = readOnlyFacts[index]!;
      // A member recused for this candidate is not shown his files (their route refuses them too): why, instead.
      const evidenceWithheld = recusedEvidenceRefusal(facts.recused.get(viewerId));
      // Nor his evaluation: the commission's grids and their PDFs (their route refuses them too).
      const evaluationWithheld = recusedEvaluationRefusal(facts.recused.get(viewerId));
      // Nothing of what the commission concluded either: the outcome the scheme computes from its grids (« Issue
      // calculée »), its outcome per bloc and competence (the decision form's starting point), and, in the jury's
      // recorded decision, which item followed or overturned it (the decision itself stays shown).
      const withheld = evaluationWithheld !== null;
      return {
        ...item,
        grids: withheld ? [] : item.grids,
        outcome: withheld ? null : item.outcome,
        targets: item.targets.map((b) => ({
          ...b,
          commissionOutcome: withheld ? null : b.commissionOutcome,
          competences: b.competences.map((c) => ({ ...c, commissionOutcome: withheld ? null : c.commissionOutcome })),
        })),
        // The conformity checklist is read on his evaluation (« Commentaire manquant : C2 » says a competence was not
        // fully acquired; the grid's signers, its evaluators' habilitations), and its acknowledgement, with the jury's
        // remarks, exists only where something was not conform: none of it, a sentence instead (the panel's).
        conformity: withheld ? null : item.conformity,
        conformityAck: withheld ? null : item.conformityAck,
        decision: item.decision && {
          ...item.decision,
          // The motive of a bloc or competence's decision is given where the jury departs from the commission (or
          // decides what it left pending): it is about the commission's evaluation, withheld like it.
          items: item.decision.items.map((d) => ({
            ...d,
            commissionOutcome: withheld ? null : d.commissionOutcome,
            followed: withheld ? null : d.followed,
            reason: withheld ? null : d.reason,
          })),
        },
        evaluationWithheld,
        // A piece the viewer may not download (an observer and an identity document) is named without its link.
        evidence: evidenceWithheld
          ? []
          : item.evidence.map((e) => {
              const withheld = evidenceDownloadRefusal(seat?.role ?? null, e.kind, room.schemeView);
              return { ...e, url: withheld ? null : e.url, withheld };
            }),
        evidenceWithheld,
        preconisationsReadOnly: preconisationsReadOnlyReason({
          role: seat?.role ?? null,
          sessionStatus,
          phase: facts.phase,
          decided: facts.decided,
          reopened: facts.reopened,
          sealed: false,
          conflict: facts.conflicted.includes(viewerId),
          recused: facts.recused.get(viewerId) ?? null,
          declared: facts.declared.includes(viewerId),
          present: present.has(viewerId),
        }),
      };
    }),
    serverNow: new Date().toISOString(),
  };
}
export type JuryRoom = Awaited<ReturnType<typeof getJuryRoom>>;
