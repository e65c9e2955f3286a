/**
 * The secretariat's to-do lists, one function per list so the dashboard counts exactly what the filtered list
 * shows: incomplete dossiers (with what is missing), sessions whose convocations are not sent or were sent less than
 * 15 days before a jury, habilitations expiring within 60 days, grids and minutes awaiting signatures, jury decisions
 * awaiting their record, decisions whose fiche de décision awaits the president's signature before their record or the
 * CPNE's validation, partial validations expiring within 90 days, decisions awaiting the CPNE's validation,
 * final decisions whose candidate is not notified yet, appeals awaiting a jury. (Holders to declare come from
 * app/archive/cdc.)
 */
import { prisma } from "~/platform/db/db.server";
import { candidateName } from "~/domain/identity";
import { DOSSIER_FACTS_SELECT, getDossiersCompleteness } from "~/back-office/dossiers/dossier-completeness.server";
import { acquiredForMany } from "~/delivery/acquired-for.server";
import { parseScheme } from "~/domain/scheme";
import { certificationsById, habilitationsValidFrom } from "~/back-office/certifications/list-certifications.server";
import {
  decisionRecords,
  narrowJuryDecisions,
  organisationAppeals,
  organisationJuryDecisions,
  replacedDecisions,
} from "~/archive/list-decisions.server";
import { decisionsFinality, sheetSigned } from "~/domain/decision-validation";
import { requestMemo } from "~/platform/http/request-scope.server";
import { canScore, gridSigningRefusal, type SeatRole } from "~/domain/access";
import { CANDIDATE_RECUSAL_SELECT, declaredConflictIdsOf } from "~/live/commission/passage-recusal.server";
import { GRID_KIND } from "~/live/commission/slot-context.server";

const DAY = 86_400_000;
/** Statuses of a dossier still on its way to a jury (a draft is not expected to be complete yet). */
const OPEN_STATUSES = ["REGISTERED", "POSITIONED", "IN_TRAINING", "IN_EVALUATION", "COMPLETE", "ON_AGENDA"] as const;

/**
 * `now` rounded down to its minute, for a query's bound: a query naming the current instant is compiled at every call
 * (decision 0014), one naming its minute once a minute; the rows are then compared with `now` itself.
 */
export function minuteOf(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

export async function listIncompleteDossiers(organisationId: string) {
  // With what their checklists read, in the same statement.
  const rows = await prisma.dossier.findMany({
    where: { organisationId, status: { in: [...OPEN_STATUSES] } },
    orderBy: { createdAt: "asc" },
    // The certification's scheme and code from the organisation's certifications (read once per page), not per dossier.
    select: { ...DOSSIER_FACTS_SELECT, organisationId: true, candidateId: true, certificationId: true, certification: { select: { id: true } } },
  });
  const certifications = await certificationsById(organisationId, rows.map((d) => d.certificationId));
  const dossiers = rows.map((d) => ({ ...d, certification: certifications.get(d.certificationId)! }));
  const result: Array<{ dossierId: string; candidateId: string; candidate: string; certificationCode: string; missing: string[] }> = [];
  const checklists = await getDossiersCompleteness(dossiers.map((d) => d.id), organisationId, prisma, dossiers);
  for (const d of dossiers) {
    const checklist = checklists.get(d.id)!;
    if (checklist.complete) continue;
    result.push({
      dossierId: d.id,
      candidateId: d.candidateId,
      candidate: candidateName(d.candidate),
      certificationCode: d.certification.code,
      missing: checklist.missing.map((m) => m.label),
    });
  }
  return result;
}

/**
 * The organisation's sessions the desk's session lists read, in one statement per page (requestMemo): upcoming ones
 * (with their members' convocation dates), those with grids or minutes being signed, and closed juries with
 * decisions (with their validation and scheme) or whose minutes are not finalised yet. Each list takes its own from it.
 */
function deskSessionsOf(organisationId: string, now: Date) {
  const minute = minuteOf(now);
  const upcoming = { endsAt: { gte: minute }, status: { not: "CLOSED" as const } };
  return requestMemo(`desk-sessions:${organisationId}:${minute.getTime()}`, () =>
    prisma.session.findMany({
      where: {
        organisationId,
        OR: [
          upcoming,
          { slots: { some: { gridStatus: "SIGNING" } } },
          { minutes: { status: "SIGNING" } },
          { kind: "JURY", status: "CLOSED", juryDecisions: { some: {} } },
          { kind: "JURY", status: "CLOSED", OR: [{ minutes: { is: null } }, { minutes: { is: { status: "OPEN" } } }] },
        ],
      },
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        title: true,
        kind: true,
        status: true,
        startsAt: true,
        endsAt: true,
        // Only an upcoming session's members are of use here (a closed jury's would be read for nothing).
        members: { where: { session: upcoming }, select: { convokedAt: true } },
        minutes: { select: { status: true } },
        validation: { select: { status: true, returnedAt: true } },
        // Its scheme from the organisation's certifications (read once per page).
        referentialVersion: { select: { certificationId: true } },
        _count: { select: { slots: { where: { gridStatus: "SIGNING" } }, juryDecisions: true } },
        // Its grids in signature with who may no longer sign them (`gridSigningRefusal`: the candidate's trainer, a
        // conflict declared before a jury): in the same statement, so the desk says which grids wait for an empêchement.
        slots: {
          where: { gridStatus: "SIGNING" },
          orderBy: [{ startsAt: "asc" }, { id: "asc" }],
          select: {
            id: true,
            signingRound: true,
            candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true, ...CANDIDATE_RECUSAL_SELECT } },
            session: { select: { members: { select: { userId: true, role: true } } } },
          },
        },
      },
    }),
  );
}

/** Upcoming sessions with a member not convoked, or (juries) convoked less than 15 days before the session. */
export async function listConvocationsToSend(organisationId: string, now = new Date()) {
  const sessions = await deskSessionsOf(organisationId, now);
  return sessions
    .filter((s) => s.status !== "CLOSED" && s.endsAt.getTime() >= now.getTime())
    .map((s) => {
      const notSent = s.members.filter((m) => !m.convokedAt).length;
      const late =
        s.kind === "JURY" ? s.members.filter((m) => m.convokedAt && s.startsAt.getTime() - m.convokedAt.getTime() < 15 * DAY).length : 0;
      return { id: s.id, title: s.title, startsAt: s.startsAt, notSent, late };
    })
    .filter((s) => s.notSent > 0 || s.late > 0);
}

export async function listExpiringHabilitations(organisationId: string, now = new Date(), days = 60) {
  const horizon = now.getTime() + days * DAY;
  // Those still valid; those ending within `days`, unless a renewal (a later period of the same person and
  // certification) settles them.
  const valid = await habilitationsValidFrom(organisationId, minuteOf(now));
  const rows = valid.filter((h) => h.validUntil.getTime() >= now.getTime() && h.validUntil.getTime() < horizon);
  const renewed = new Set(valid.filter((h) => h.validUntil.getTime() >= horizon).map((h) => `${h.userId}:${h.certificationId}`));
  return rows.filter((h) => !renewed.has(`${h.userId}:${h.certificationId}`));
}

/**
 * Sessions with grids or a procès-verbal whose signing is open and not finished; with their grids that can never
 * complete as they stand (`blocked`): a signer who may no longer sign it (`gridSigningRefusal`) has neither signed nor
 * been recorded as prevented (decision 0028: the administration records it on « Membres »). A signer recorded as
 * prevented is no longer awaited, so nothing else blocks a round. The signatures and empêchements are read (one
 * statement each) only when such a signer exists.
 */
export async function listSessionsAwaitingSignatures(organisationId: string, now = new Date()) {
  const sessions = (await deskSessionsOf(organisationId, now)).filter((s) => s._count.slots > 0 || s.minutes?.status === "SIGNING");
  const barredGrids = sessions.flatMap((s) =>
    s.slots.flatMap((slot) => {
      const conflicts = declaredConflictIdsOf(slot.candidate);
      const barred = slot.session.members
        .filter((m) => canScore(m.role as SeatRole))
        .map((m) => m.userId)
        .filter((id) => gridSigningRefusal({ trainsCandidate: slot.candidate.trainerId === id, declaredConflict: conflicts.includes(id) }));
      return barred.length ? [{ sessionId: s.id, slotId: slot.id, round: slot.signingRound, candidate: candidateName(slot.candidate), barred }] : [];
    }),
  );
  const accountedFor = new Set<string>();
  if (barredGrids.length) {
    const where = { documentKind: GRID_KIND, documentId: { in: barredGrids.map((g) => g.slotId) }, voidedAt: null };
    const select = { documentId: true, round: true, userId: true } as const;
    const [signatures, prevented] = await Promise.all([prisma.signature.findMany({ where, select }), prisma.signerUnavailability.findMany({ where, select })]);
    for (const r of [...signatures, ...prevented]) accountedFor.add(`${r.documentId}:${r.round}:${r.userId}`);
  }
  const blocked = barredGrids.filter((g) => g.barred.some((id) => !accountedFor.has(`${g.slotId}:${g.round}:${id}`)));
  return sessions.map((s) => ({
    id: s.id,
    title: s.title,
    grids: s._count.slots,
    minutes: s.minutes?.status === "SIGNING" ? 1 : 0,
    blocked: blocked.filter((g) => g.sessionId === s.id).map((g) => ({ slotId: g.slotId, candidate: g.candidate })),
  }));
}

/**
 * Closed juries whose procès-verbal is not finalised yet (never opened, or opened again for a change): a jury's minutes
 * are finalised only once its sitting is closed, then signed by its president (app/signing/kinds/minutes).
 */
export async function listMinutesToFinalise(organisationId: string, now = new Date()) {
  return (await deskSessionsOf(organisationId, now))
    .filter((s) => s.kind === "JURY" && s.status === "CLOSED" && (s.minutes === null || s.minutes.status === "OPEN"))
    .map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt }));
}

/**
 * Jury decisions that deliver something (total or partial) and have no parchemin or attestation yet, by session, that
 * can be issued now: final, and their fiche de décision signed (docs/decisions/0019; the others are in
 * `listSheetsToSign`). (Issuing follows the decision: app/delivery/issue-records.server.ts.)
 */
export async function listRecordsToIssue(organisationId: string) {
  const decisions = (await organisationJuryDecisions(organisationId)).filter((d) => d.overall === "TOTAL" || d.overall === "PARTIAL");
  // Only final decisions may have their record: not those of a jury still sitting, nor those awaiting the CPNE's
  // validation (listed under « Décisions en attente de validation CPNE ») or returned to the jury.
  const certifications = await certificationsById(organisationId, decisions.map((d) => d.dossier.certificationId));
  const final = (d: (typeof decisions)[number]) =>
    decisionsFinality({
      sessionStatus: d.session.status,
      cpneValidation: parseScheme(certifications.get(d.dossier.certificationId)?.scheme ?? null).jury.cpneValidation,
      validation: d.session.validation,
    }).final;
  // A decision replaced by an upheld appeal's revised decision gets no record: the revised one does.
  const replaced = new Set((await replacedDecisions(organisationId)).map((r) => r.decisionId));
  // A duplicata always follows its original: the originals tell which decisions have their record.
  const issued = new Set((await decisionRecords(organisationId)).map((r) => r.decisionId));
  return decisions
    .filter((d) => !issued.has(d.id) && !replaced.has(d.id) && final(d) && sheetSigned(d.sheet?.status))
    .map((d) => ({ decisionId: d.id, sessionId: d.sessionId, overall: d.overall, candidate: candidateName(d.dossier.candidate) }));
}

/**
 * Decisions of closed juries whose fiche de décision is not signed while something waits for it (docs/decisions/0019):
 * their parchemin or attestation (a total or partial decision without its record), or the CPNE's validation of their
 * jury (when the scheme asks for one and it is not signed). The president signs them; the secretariat reminds him.
 * Not listed: a decision replaced on appeal (its revised decision is).
 */
export async function listSheetsToSign(organisationId: string) {
  const all = (await organisationJuryDecisions(organisationId)).filter((d) => d.session.status === "CLOSED" && !sheetSigned(d.sheet?.status));
  if (all.length === 0) return [];
  const certifications = await certificationsById(organisationId, all.map((d) => d.dossier.certificationId));
  const replaced = new Set((await replacedDecisions(organisationId)).map((r) => r.decisionId));
  return all
    .filter((d) => {
      if (replaced.has(d.id)) return false;
      const delivers = (d.overall === "TOTAL" || d.overall === "PARTIAL") && d.records.length === 0;
      const cpne = parseScheme(certifications.get(d.dossier.certificationId)?.scheme ?? null).jury.cpneValidation && d.session.validation?.status !== "SIGNED";
      return delivers || cpne;
    })
    .map((d) => ({
      decisionId: d.id,
      sessionId: d.sessionId,
      title: d.session.title,
      dossierId: d.dossierId,
      candidate: candidateName(d.dossier.candidate),
      status: d.sheet?.status ?? ("OPEN" as const),
    }));
}

/**
 * How far back the desk looks for decisions not notified: a year. An older decision without a notice in Quorum was
 * notified before Quorum (on paper, imported history): it is not chased.
 */
export const NOTICE_LOOKBACK_YEARS = 1;

/** The first day (UTC) of the decisions the desk asks to notify: a day, so the query's bound changes once a day. */
export function noticeHorizon(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear() - NOTICE_LOOKBACK_YEARS, now.getUTCMonth(), now.getUTCDate()));
}

/**
 * Final jury decisions of the last year whose candidate has not been notified (« notification de décision »,
 * app/delivery/send-decision-notice.server.ts), by session: the secretariat notifies a session's candidates from its
 * « Délivrance » page. Not listed: a decision not final yet (session open, CPNE validation pending or returned), one
 * replaced by an upheld appeal's revised decision, and one that delivers something while its record is not issued
 * (the notice gives the record's verification link: it is in « Parchemins et attestations à délivrer » first).
 */
export async function listDecisionsToNotify(organisationId: string, now = new Date()) {
  const since = noticeHorizon(now).getTime();
  const all = await organisationJuryDecisions(organisationId);
  const replaced = new Set((await replacedDecisions(organisationId)).map((r) => r.decisionId));
  const candidates = all.filter((d) => d.notifiedAt === null && d.decidedAt.getTime() >= since && !replaced.has(d.id));
  const schemeOf = new Map([...(await certificationsById(organisationId, candidates.map((d) => d.dossier.certificationId))).values()].map((c) => [c.id, c.scheme]));
  const bySession = new Map<string, { sessionId: string; title: string; decisions: number; candidates: string[] }>();
  for (const d of candidates) {
    const { cpneValidation } = parseScheme(schemeOf.get(d.dossier.certificationId) ?? null).jury;
    if (!decisionsFinality({ sessionStatus: d.session.status, cpneValidation, validation: d.session.validation }).final) continue;
    if ((d.overall === "TOTAL" || d.overall === "PARTIAL") && d.records.length === 0) continue;
    const entry = bySession.get(d.sessionId) ?? { sessionId: d.sessionId, title: d.session.title, decisions: 0, candidates: [] };
    entry.decisions += 1;
    entry.candidates.push(candidateName(d.dossier.candidate));
    bySession.set(d.sessionId, entry);
  }
  return [...bySession.values()];
}

export type ExpiringPartial = {
  candidateId: string;
  candidate: { givenNames: string; birthName: string };
  certificationCode: string;
  blocs: { code: string; acquired: boolean }[];
  partialValidUntil: Date;
};

/**
 * Partial validations whose benefit ends within `days`: from the jury's decisions (app/domain/acquisitions.ts, a
 * later decision that renews or completes them counts). A signed grid without a jury's decision validates nothing.
 */
export async function listExpiringPartialValidations(organisationId: string, now = new Date(), days = 90): Promise<ExpiringPartial[]> {
  const limit = now.getTime() + days * DAY;
  // One per dossier with a partial or no validation.
  const decisions = await organisationJuryDecisions(organisationId);
  const juryPairs = [
    ...new Map(
      decisions.filter((d) => d.overall === "PARTIAL" || d.overall === "NONE").map((d) => [d.dossierId, d]),
    ).values(),
  ];
  const seen = new Set<string>();
  const fromJury: ExpiringPartial[] = [];
  const summaries = await acquiredForMany(organisationId, juryPairs.map((p) => p.dossier), now, { decisions });
  const codeOf = new Map([...(await certificationsById(organisationId, juryPairs.map((p) => p.dossier.certificationId))).values()].map((c) => [c.id, c.code]));
  for (const { dossier } of juryPairs) {
    const key = `${dossier.candidateId}:${dossier.certificationId}`;
    const summary = summaries.get(key);
    if (seen.has(key) || !summary) continue;
    seen.add(key);
    const ends = summary.expiringSoon.flatMap((a) => (a.validUntil && a.validUntil.getTime() < limit ? [a.validUntil] : []));
    if (summary.status === "TOTAL" || ends.length === 0) continue;
    fromJury.push({
      candidateId: dossier.candidateId,
      candidate: dossier.candidate,
      certificationCode: codeOf.get(dossier.certificationId) ?? "",
      blocs: summary.acquisitions.map((a) => ({ code: a.code, acquired: a.state !== "expired" })),
      partialValidUntil: new Date(Math.min(...ends.map((d) => d.getTime()))),
    });
  }
  return fromJury;
}

/**
 * Closed jury sessions whose scheme has the CPNE/CPNEF validate the decisions (`jury.cpneValidation`) and whose
 * validation is not signed yet (app/domain/decision-validation.ts): the records wait for it.
 */
export async function listDecisionsAwaitingValidation(organisationId: string, now = new Date()) {
  const sessions = await deskSessionsOf(organisationId, now);
  const certifications = await certificationsById(organisationId, sessions.flatMap((s) => (s.referentialVersion ? [s.referentialVersion.certificationId] : [])));
  const schemeOf = new Map([...certifications.values()].map((c) => [c.id, c.scheme]));
  return sessions
    .filter((s) => s.kind === "JURY" && s.status === "CLOSED" && s._count.juryDecisions > 0)
    .filter((s) => s.referentialVersion && parseScheme(schemeOf.get(s.referentialVersion.certificationId) ?? null).jury.cpneValidation)
    .filter((s) => s.validation?.status !== "SIGNED")
    .map((s) => ({ sessionId: s.id, title: s.title, decisions: s._count.juryDecisions, returned: Boolean(s.validation?.returnedAt) }));
}

/**
 * Appeals recorded and not decided yet: to put on a later jury's agenda (RECEIVED) or awaiting it (SCHEDULED). An
 * appeal's candidate is its contested decision's: from the organisation's decisions when the page reads them anyway
 * (`withDecisions`: the desk), else from its dossier.
 */
export async function listAppealsAwaitingJury(organisationId: string, { withDecisions = false } = {}) {
  const appeals = (await organisationAppeals(organisationId))
    .filter((a) => a.status === "RECEIVED" || a.status === "SCHEDULED")
    .map(({ id, dossierId, status, receivedAt }) => ({ id, dossierId, status, receivedAt }));
  const candidateOf = new Map<string, string>();
  if (withDecisions) {
    for (const d of await organisationJuryDecisions(organisationId)) candidateOf.set(d.dossierId, d.dossier.candidateId);
  }
  const unknown = appeals.filter((a) => !candidateOf.has(a.dossierId)).map((a) => a.dossierId);
  if (unknown.length) {
    for (const d of await prisma.dossier.findMany({ where: { id: { in: unknown } }, select: { id: true, candidateId: true } })) candidateOf.set(d.id, d.candidateId);
  }
  return appeals.map((a) => ({ ...a, candidateId: candidateOf.get(a.dossierId) ?? null }));
}

/** The records to issue as their own page shows them: reading only the decisions that may be one (narrowJuryDecisions). */
export function recordsToIssue(organisationId: string) {
  narrowJuryDecisions(organisationId, { recordsToIssue: true });
  return listRecordsToIssue(organisationId);
}

/** The juries with fiches de décision to sign as their own list shows them: reading only the decisions that may be one. */
export function sheetsToSign(organisationId: string, now = new Date()) {
  narrowJuryDecisions(organisationId, { recordsToIssue: true, toNotifySince: noticeHorizon(now) });
  return listSheetsToSign(organisationId);
}

/** The sessions with decisions to notify as their own list shows them: reading only the decisions that may be one. */
export function decisionsToNotify(organisationId: string, now = new Date()) {
  narrowJuryDecisions(organisationId, { toNotifySince: noticeHorizon(now) });
  return listDecisionsToNotify(organisationId, now);
}

/** The expiring partial validations as their own page shows them: reading only the decisions that may matter. */
export function expiringPartialValidations(organisationId: string, now = new Date()) {
  narrowJuryDecisions(organisationId, { partialsOn: now });
  return listExpiringPartialValidations(organisationId, now);
}
