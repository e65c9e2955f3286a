/**
 * A jury session as the jury use cases see it: the session, its seats, attendance, active proxies, the agenda with
 * declarations, polls and decisions, the scheme; plus the derived quorum. Shared by every use case of app/live/jury.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { computeQuorum, isVotingMember, presentFromAttendance, quorumTransition, type JuryMember } from "~/domain/quorum";
import { evaluatedAtOf, mayRecordAttendanceOfOthers, presidingRefusal, recusalDeadlock, recusals } from "~/domain/jury-vote";
import { sessionReader } from "~/domain/access";
import { textRefusal } from "~/domain/safe-text";
import { preconisationsDocumentName } from "~/domain/jury-decision";
import { parseScheme } from "~/domain/scheme";
import type { RealtimePort } from "../realtime-port";

export type Db = PrismaClient | Prisma.TransactionClient;
export type Meta = { ip: string | null; userAgent: string | null };
export type JuryCommand = { sessionId: string; actorId: string; meta: Meta; realtime: RealtimePort };

/**
 * Serialises the state changes of one jury (attendance, polls, votes, decisions) by locking its session row for the
 * transaction, and bumps its state version (orders `jury:event` broadcasts). Refuses an unknown session or a
 * commission.
 */
export async function lockJury(tx: Prisma.TransactionClient, sessionId: string): Promise<void> {
  const count = await tx.$executeRaw`UPDATE "Session" SET "juryStateVersion" = "juryStateVersion" + 1 WHERE "id" = ${sessionId} AND "kind" = 'JURY'`;
  if (count === 0) throw new AppError("NOT_FOUND", "Jury introuvable.");
}

const JURY_INCLUDE = {
  members: { include: { user: { select: { id: true, displayName: true } } }, orderBy: { createdAt: "asc" } },
  attendance: { orderBy: [{ at: "asc" }, { id: "asc" }] },
  proxies: { where: { revokedAt: null }, orderBy: { grantedAt: "asc" } },
  referentialVersion: { include: { certification: { select: { id: true, title: true, code: true, scheme: true } } } },
  agenda: {
    orderBy: { position: "asc" },
    include: {
      conflicts: true,
      // The sheet's state: its préconisations are written again while it is sent back for a change.
      decision: { include: { items: true, sheet: { select: { status: true, round: true } } } },
      dossier: {
        select: {
          id: true,
          route: true,
          status: true,
          candidateId: true,
          certificationId: true,
          candidate: { select: { id: true, trainerId: true, trainerName: true, givenNames: true, birthName: true, usageName: true } },
          blocs: { select: { blocId: true } },
        },
      },
    },
  },
  polls: { orderBy: { createdAt: "asc" } },
} satisfies Prisma.SessionInclude;

/**
 * What the jury room shows beyond a command's context, read in the same statement: the quorum's history, per poll
 * its named votes and its frozen voters, and per candidate the certifications of its dossiers with a jury decision
 * (what it already holds is read for those only).
 */
const JURY_ROOM_INCLUDE = {
  ...JURY_INCLUDE,
  agenda: {
    ...JURY_INCLUDE.agenda,
    include: {
      ...JURY_INCLUDE.agenda.include,
      dossier: {
        select: {
          ...JURY_INCLUDE.agenda.include.dossier.select,
          candidate: {
            select: {
              ...JURY_INCLUDE.agenda.include.dossier.select.candidate.select,
              dossiers: { where: { juryDecisions: { some: {} } }, select: { certificationId: true } },
            },
          },
        },
      },
    },
  },
  quorumEvents: { orderBy: { at: "asc" } },
  polls: {
    orderBy: { createdAt: "asc" },
    include: { openVotes: { orderBy: { castAt: "asc" } }, voters: { select: { pollId: true, userId: true } } },
  },
} satisfies Prisma.SessionInclude;

type JurySession = Prisma.SessionGetPayload<{ include: typeof JURY_INCLUDE }>;

function juryContextOf<S extends JurySession>(session: S | null) {
  if (!session) throw new AppError("NOT_FOUND", "Jury introuvable.");
  if (!session.referentialVersion) throw new AppError("CONFLICT", "Ce jury n'est rattaché à aucun référentiel.");
  const scheme = parseScheme(session.referentialVersion.certification.scheme);
  const members: JuryMember[] = session.members.map((m) => ({ userId: m.userId, role: m.role, college: m.college }));
  const present = presentFromAttendance(session.attendance);
  const quorum = computeQuorum({ rules: scheme.jury, members, presentUserIds: present, proxies: session.proxies });
  return { session, scheme, members, present, quorum };
}

export async function loadJury(db: Db, sessionId: string) {
  return juryContextOf(await db.session.findFirst({ where: { id: sessionId, kind: "JURY" }, include: JURY_INCLUDE }));
}

/** loadJury's context with the room's extras (JURY_ROOM_INCLUDE), for the jury room's read model. */
export async function loadJuryRoom(db: Db, sessionId: string) {
  return juryContextOf(await db.session.findFirst({ where: { id: sessionId, kind: "JURY" }, include: JURY_ROOM_INCLUDE }));
}
export type JuryContext = Awaited<ReturnType<typeof loadJury>>;

export function seatOf(ctx: JuryContext, userId: string) {
  return ctx.session.members.find((m) => m.userId === userId) ?? null;
}

export function requireSeat(ctx: JuryContext, userId: string) {
  const seat = seatOf(ctx, userId);
  if (!seat) throw new AppError("FORBIDDEN", "Vous ne siégez pas dans ce jury.");
  return seat;
}

/** A member who may declare a link or a conflict with a candidate (or an appellant): a voting member of the jury. */
export function requireDeclaringMember(ctx: JuryContext, userId: string) {
  // A declared conflict recuses its author for the candidate: only a voting member has a vote to withdraw from.
  if (!isVotingMember(requireSeat(ctx, userId))) {
    throw new AppError("FORBIDDEN", "Seuls les membres votants du jury déclarent un conflit d'intérêts : un observateur ou le secrétaire de séance ne vote pas.");
  }
}

const MAX_DECLARATION_NOTE = 1000;

/** A declaration's optional note, trimmed; kept whole or refused (a note cut short would say something else). */
export function declarationNote(note: string | null | undefined): string | null {
  const trimmed = note?.trim() || null;
  if (trimmed && trimmed.length > MAX_DECLARATION_NOTE) throw AppError.field("note", "La précision tient en 1 000 caractères au plus.");
  // Shown in the jury room and on the appeals' page: the characters every form refuses, whichever page sent it.
  const refusal = trimmed ? textRefusal(trimmed, { multiline: true }) : null;
  if (refusal) throw AppError.field("note", refusal);
  return trimmed;
}

/** The president, or the vice-president when the president is absent. */
export function requirePresiding(ctx: JuryContext, userId: string, recused?: ReadonlyMap<string, string>): void {
  requireSeat(ctx, userId);
  const refusal = presidingRefusal(ctx.members, ctx.present, userId, recused);
  if (refusal) throw new AppError("FORBIDDEN", refusal);
}

export function requireInProgress(ctx: JuryContext): void {
  if (ctx.session.status === "PLANNED") throw new AppError("CONFLICT", "La séance du jury n'est pas encore ouverte.");
  if (ctx.session.status === "CLOSED") throw new AppError("CONFLICT", "La séance du jury est close.");
}

export function requireQuorum(ctx: JuryContext, action: string): void {
  if (!ctx.quorum.met) {
    throw new AppError("CONFLICT", `Quorum non atteint : impossible de ${action}.`, { details: ctx.quorum.reasons });
  }
}

/** The quorum on one candidate: the members recused for him (and their proxies) are not counted. */
export function candidateQuorum(ctx: JuryContext, recused: ReadonlyMap<string, string>) {
  return computeQuorum({ rules: ctx.scheme.jury, members: ctx.members, presentUserIds: ctx.present, proxies: ctx.session.proxies, recused });
}

/**
 * Quorum for a vote or decision on one candidate: the sitting's (requireQuorum), then the candidate's own, without
 * the members recused for him.
 */
export function requireCandidateQuorum(ctx: JuryContext, recused: ReadonlyMap<string, string>, action: string): void {
  requireQuorum(ctx, action);
  if (recused.size === 0) return;
  const quorum = candidateQuorum(ctx, recused);
  if (!quorum.met) {
    throw new AppError("CONFLICT", `Quorum non atteint pour ce candidat (membres récusés non comptés) : impossible de ${action}.`, {
      details: quorum.reasons,
    });
  }
}

export function agendaItemOf(ctx: JuryContext, agendaItemId: string) {
  const item = ctx.session.agenda.find((a) => a.id === agendaItemId);
  if (!item) throw new AppError("NOT_FOUND", "Ce candidat n'est pas à l'ordre du jour de ce jury.");
  return item;
}
export type AgendaItem = JuryContext["session"]["agenda"][number];

/**
 * The start of the presiding member's command on one candidate, inside its transaction: locks the jury, loads it,
 * refuses anyone but the presiding member and a sitting not in progress, finds the candidate, and refuses a chair
 * recused for it (the non-recused vice-president presides in his place; with none present, nobody may).
 */
export async function presideOnCandidate(tx: Prisma.TransactionClient, input: JuryCommand & { agendaItemId: string }) {
  await lockJury(tx, input.sessionId);
  const ctx = await loadJury(tx, input.sessionId);
  requireSeat(ctx, input.actorId);
  const item = agendaItemOf(ctx, input.agendaItemId);
  requireNotPostponed(item);
  // On this candidate, a recused president (or vice-president) does not preside: so nothing is decided without a
  // chair who may sign its decision sheet.
  const evaluations = await evaluationsOfDossier(tx, {
    dossierId: item.dossierId,
    candidateId: item.dossier.candidateId,
    certificationId: ctx.session.referentialVersion?.certification.id ?? "",
  });
  const recused = recusalsOf(ctx, item, [...evaluations.keys()]);
  // Recusals that leave a college without members entitled to deliberate on him, or no chair to conduct: refused with
  // what blocks and what resolves it, the room's statement (a decided candidate is past it).
  const deadlock = item.decision ? null : candidateDeadlock(ctx, recused, evaluations);
  const presiding = presidingRefusal(ctx.members, ctx.present, input.actorId, recused);
  if (deadlock) throw new AppError(presiding ? "FORBIDDEN" : "CONFLICT", presiding ? `${presiding} ${deadlock.message}` : deadlock.message);
  requirePresiding(ctx, input.actorId, recused);
  requireInProgress(ctx);
  return { ctx, item, recused };
}

/** The refusal of any command on a candidate reported to a later jury (postpone-candidate.server.ts). */
export const POSTPONED_REFUSAL = "Ce candidat a été reporté à un jury ultérieur : il n'est pas délibéré dans cette séance.";

/** Refuses a command on a candidate reported to a later jury. */
export function requireNotPostponed(item: Pick<AgendaItem, "postponedAt">): void {
  if (item.postponedAt) throw new AppError("CONFLICT", POSTPONED_REFUSAL);
}

/** Refuses a command on a decided candidate. */
export function requireUndecided(item: AgendaItem): void {
  if (item.decision) throw new AppError("CONFLICT", "La décision est rendue pour ce candidat.");
}

/** Refuses a vote or consensus on a decided candidate, or before its deliberation opened. */
export function requireDeliberating(item: AgendaItem): void {
  requireUndecided(item);
  if (item.phase === "PRESENTATION") throw new AppError("CONFLICT", "Ouvrez d'abord la délibération sur ce candidat.");
}

/** Evaluators of a candidate in the commission passages of this certification (for recusal). */
export async function evaluatorIdsOf(db: Db, ctx: JuryContext, item: AgendaItem): Promise<string[]> {
  return evaluatorIdsOfDossier(db, {
    dossierId: item.dossierId,
    candidateId: item.dossier.candidateId,
    certificationId: ctx.session.referentialVersion?.certification.id ?? "",
  });
}

/**
 * Evaluators of a dossier's candidate: in the passages of that dossier, or of the candidate without a dossier in a
 * commission of `certificationId` (the jury's). Also read where a jury is planned (app/back-office/planning).
 */
export async function evaluatorIdsOfDossier(db: Db, input: { dossierId: string; candidateId: string; certificationId: string }): Promise<string[]> {
  return [...(await evaluationsOfDossier(db, input)).keys()];
}

/** evaluatorIdsOfDossier, with when each evaluated the candidate (the commissions' dates): the same one statement. */
export async function evaluationsOfDossier(db: Db, input: { dossierId: string; candidateId: string; certificationId: string }): Promise<Map<string, Date[]>> {
  const slots = await db.sessionSlot.findMany({
    where: {
      OR: [
        { dossierId: input.dossierId },
        {
          dossierId: null,
          candidateId: input.candidateId,
          session: { referentialVersion: { certificationId: input.certificationId } },
        },
      ],
      session: { kind: "COMMISSION" },
      // Evaluated: the grid was sealed at least once (a planned passage links nobody yet).
      sealedHash: { not: null },
    },
    select: { session: { select: { startsAt: true, members: { where: { role: { in: ["PRESIDENT", "MEMBER"] } }, select: { userId: true } } } } },
  });
  return evaluatedAtOf(slots.map((s) => ({ at: s.session.startsAt, userIds: s.session.members.map((m) => m.userId) })));
}

/**
 * evaluatorIdsOfDossier for several dossiers in one statement (keyed by dossier id): the same passages, the same
 * evaluators. For lists that compute many candidates' recusals at once (the pending signatures of an organisation).
 */
export async function evaluatorIdsOfDossiers(
  db: Db,
  inputs: ReadonlyArray<{ dossierId: string; candidateId: string; certificationId: string }>,
): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>(inputs.map((i) => [i.dossierId, []]));
  if (inputs.length === 0) return found;
  const slots = await db.sessionSlot.findMany({
    where: {
      OR: [{ dossierId: { in: inputs.map((i) => i.dossierId) } }, { dossierId: null, candidateId: { in: inputs.map((i) => i.candidateId) } }],
      session: { kind: "COMMISSION" },
      sealedHash: { not: null },
    },
    select: {
      dossierId: true,
      candidateId: true,
      session: {
        select: {
          referentialVersion: { select: { certificationId: true } },
          members: { where: { role: { in: ["PRESIDENT", "MEMBER"] } }, select: { userId: true } },
        },
      },
    },
  });
  for (const input of inputs) {
    const ids = slots
      .filter((s) =>
        s.dossierId !== null
          ? s.dossierId === input.dossierId
          : s.candidateId === input.candidateId && s.session.referentialVersion?.certificationId === input.certificationId,
      )
      .flatMap((s) => s.session.members.map((m) => m.userId));
    found.set(input.dossierId, [...new Set(ids)]);
  }
  return found;
}

/**
 * Whether recusals alone bar the deliberation on this candidate in this jury, with who and why, and what resolves it
 * (recusalDeadlock), given when his evaluators evaluated him (evaluationsOfDossier, or candidatesFacts).
 */
export function candidateDeadlock(ctx: JuryContext, recused: ReadonlyMap<string, string>, evaluatedAt: ReadonlyMap<string, readonly Date[]>) {
  const names = new Map(ctx.session.members.map((m) => [m.userId, m.user.displayName]));
  return recusalDeadlock({
    members: ctx.members.map((m) => ({ ...m, displayName: names.get(m.userId) ?? "" })),
    recused,
    evaluatedAt,
    minPerCollege: ctx.scheme.jury.minPerCollege,
    planned: ctx.session.status === "PLANNED",
  });
}

/** Members recused for this candidate, with the reason. */
export async function recusedFor(db: Db, ctx: JuryContext, item: AgendaItem): Promise<Map<string, string>> {
  return recusalsOf(ctx, item, await evaluatorIdsOf(db, ctx, item));
}

/** Members recused for this candidate, given the evaluators of its passages (evaluatorIdsOf, or candidatesFacts). */
export function recusalsOf(ctx: JuryContext, item: AgendaItem, evaluatorIds: readonly string[]): Map<string, string> {
  return recusals(ctx.members, {
    declaredConflictIds: item.conflicts.filter((c) => c.conflict).map((c) => c.userId),
    trainerId: item.dossier.candidate.trainerId,
    evaluatorIds: [...evaluatorIds],
  });
}

/** What `viewerRecusal` and `viewerRecusals` read of an agenda item: the viewer's declared conflict and seat only. */
const viewerItemSelect = (viewerId: string) =>
  ({
    sessionId: true,
    dossierId: true,
    conflicts: { where: { userId: viewerId, conflict: true }, select: { userId: true } },
    dossier: { select: { candidateId: true, candidate: { select: { trainerId: true } } } },
    session: {
      select: {
        referentialVersion: { select: { certificationId: true } },
        members: { where: { userId: viewerId }, select: { userId: true, role: true, college: true } },
      },
    },
  }) satisfies Prisma.JuryAgendaItemSelect;
type ViewerItem = Prisma.JuryAgendaItemGetPayload<{ select: ReturnType<typeof viewerItemSelect> }>;

const evaluatorsInput = (item: ViewerItem) => ({
  dossierId: item.dossierId,
  candidateId: item.dossier.candidateId,
  certificationId: item.session.referentialVersion?.certificationId ?? "",
});

/** `recusals`' reason for the viewer on this item, given its candidate's evaluators, or null. */
function viewerRecusalOf(item: ViewerItem, viewerId: string, evaluatorIds: readonly string[]): string | null {
  const recused = recusals(item.session.members, {
    declaredConflictIds: item.conflicts.map((c) => c.userId),
    trainerId: item.dossier.candidate.trainerId,
    evaluatorIds: [...evaluatorIds],
  });
  return recused.get(viewerId) ?? null;
}

/**
 * Why one seated member is recused for the candidate of a dossier on this jury's agenda (recusalsOf's reason), or null
 * (not recused, not seated, or the dossier not on the agenda). Three small reads, for a single download.
 */
export async function viewerRecusal(db: Db, sessionId: string, dossierId: string, viewerId: string): Promise<string | null> {
  const item = await db.juryAgendaItem.findUnique({
    where: { sessionId_dossierId: { sessionId, dossierId } },
    select: viewerItemSelect(viewerId),
  });
  if (!item || item.session.members.length === 0) return null;
  return viewerRecusalOf(item, viewerId, await evaluatorIdsOfDossier(db, evaluatorsInput(item)));
}

export type ViewerRecusal = { sessionId: string; dossierId: string; candidateId: string; reason: string };

/**
 * `viewerRecusal` for every dossier on the agendas of the juries of an organisation the viewer sits or sat on, in two
 * statements whatever their number (the agenda items, then `evaluatorIdsOfDossiers`): the items for which he is
 * recused, with why. For lists (the archive's, app/archive/documents/archive-access.server.ts).
 */
export async function viewerRecusals(db: Db, viewerId: string, organisationId: string): Promise<ViewerRecusal[]> {
  const items = await db.juryAgendaItem.findMany({
    where: { session: { organisationId, members: { some: { userId: viewerId } } } },
    select: viewerItemSelect(viewerId),
  });
  if (items.length === 0) return [];
  const evaluators = await evaluatorIdsOfDossiers(db, items.map(evaluatorsInput));
  return items.flatMap((item) => {
    const reason = viewerRecusalOf(item, viewerId, evaluators.get(item.dossierId) ?? []);
    return reason ? [{ sessionId: item.sessionId, dossierId: item.dossierId, candidateId: item.dossier.candidateId, reason }] : [];
  });
}

/** An appeal on this jury's agenda, with its members' declarations for the appellant; « introuvable » otherwise. */
export async function appealOnAgenda(db: Db, ctx: JuryContext, appealId: string) {
  const appeal = await db.appeal.findFirst({ where: { id: appealId, sessionId: ctx.session.id }, include: { declarations: true } });
  if (!appeal) throw new AppError("NOT_FOUND", "Ce recours n'est pas à l'ordre du jour de ce jury.");
  return appeal;
}
export type AppealOnAgenda = Awaited<ReturnType<typeof appealOnAgenda>>;

/**
 * Members recused for the candidate of an appeal, with the reason, as for a candidate on the agenda (recusalsOf): a
 * conflict declared on the appeal, his trainer, the evaluators of his passages in this certification.
 */
export async function recusedForAppeal(
  db: Db,
  ctx: JuryContext,
  appeal: { dossierId: string; declarations: ReadonlyArray<{ userId: string; conflict: boolean }> },
): Promise<Map<string, string>> {
  const dossier = await db.dossier.findUniqueOrThrow({
    where: { id: appeal.dossierId },
    select: { candidateId: true, certificationId: true, candidate: { select: { trainerId: true } } },
  });
  const evaluatorIds = await evaluatorIdsOfDossier(db, { dossierId: appeal.dossierId, candidateId: dossier.candidateId, certificationId: dossier.certificationId });
  return recusals(ctx.members, {
    declaredConflictIds: appeal.declarations.filter((d) => d.conflict).map((d) => d.userId),
    trainerId: dossier.candidate.trainerId,
    evaluatorIds,
  });
}

/** After attendance or proxies changed (inside the transaction): records a loss or recovery of quorum. */
export async function recordQuorumChange(tx: Prisma.TransactionClient, ctx: JuryContext, meta: Meta & { actorId: string }) {
  const transition = quorumTransition(ctx.session.quorumMet, ctx.quorum.met);
  if (ctx.session.quorumMet !== ctx.quorum.met) {
    await tx.session.update({ where: { id: ctx.session.id }, data: { quorumMet: ctx.quorum.met } });
  }
  if (!transition) return null;
  const snapshot = {
    perCollege: ctx.quorum.perCollege,
    total: ctx.quorum.total,
    presentIds: ctx.quorum.presentIds,
    representedIds: ctx.quorum.representedIds,
    reasons: ctx.quorum.reasons,
  };
  const event = await tx.juryQuorumEvent.create({
    data: { sessionId: ctx.session.id, kind: transition, snapshot: snapshot as Prisma.InputJsonValue },
  });
  await recordAudit(tx, {
    organisationId: ctx.session.organisationId,
    actorId: meta.actorId,
    action: transition === "LOST" ? "jury.quorum_lost" : "jury.quorum_recovered",
    subjectType: "Session",
    subjectId: ctx.session.id,
    data: snapshot,
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
  return event;
}

/** What every client of the room receives after a change: what changed; the room reloads its read model. */
export type JuryEvent = {
  sessionId: string;
  /** The session's jury state version after the change: a client ignores an event older than what it shows. */
  version: number;
  serverNow: string;
  change:
    | { type: "attendance"; userId: string; kind: "ARRIVED" | "LEFT" }
    | { type: "proxy"; proxyId: string; giverId: string; holderId: string; revoked: boolean }
    | { type: "session"; status: "PLANNED" | "OPEN" | "CLOSED" }
    | { type: "phase"; agendaItemId: string; phase: string }
    | { type: "conflict"; agendaItemId: string; userId: string; conflict: boolean }
    | { type: "conformity"; agendaItemId: string }
    | { type: "poll"; agendaItemId: string; pollId: string; state: string; result: string | null; tie: boolean }
    /** A ballot was cast: for a secret poll only the count of voters, never who chose what. */
    | { type: "vote"; pollId: string; votedCount: number; userId?: string; choice?: string }
    | { type: "decision"; agendaItemId: string; overall: string }
    /** A candidate reported to a later jury (recusal deadlock): not deliberated in this sitting. */
    | { type: "postponed"; agendaItemId: string }
    | { type: "appeal"; appealId: string; status: string }
    /** A member declared for the candidate of an appeal (no link, or a conflict that recuses him). */
    | { type: "appeal-declaration"; appealId: string; userId: string; conflict: boolean };
  quorum: { met: boolean; reasons: string[] };
};

/**
 * The préconisations whose access this change may alter (phase, decision, sitting opened or closed, a declaration —
 * no link or a conflict —, a member's arrival or departure, which concerns every candidate of the sitting).
 */
function preconisationsTouched(ctx: JuryContext, change: JuryEvent["change"]): string[] {
  if (change.type === "session" || change.type === "attendance") return ctx.session.agenda.map((a) => preconisationsDocumentName(ctx.session.id, a.id));
  if (change.type === "phase" || change.type === "decision" || change.type === "conflict") {
    return [preconisationsDocumentName(ctx.session.id, change.agendaItemId)];
  }
  return [];
}

/**
 * Broadcasts a change to the room (after commit) with the current quorum. Before that, the open connections of the
 * préconisations the change concerns re-resolve their access (writable in deliberation, read-only once decided), so
 * a client told of the change already has the matching rights.
 */
export async function broadcast(db: Db, command: JuryCommand, change: JuryEvent["change"]): Promise<JuryEvent> {
  const ctx = await loadJury(db, command.sessionId);
  const touched = preconisationsTouched(ctx, change);
  if (touched.length > 0) {
    // The change is committed: a failure here is logged, and rights are re-read at reconnection.
    await command.realtime
      .refreshSessionAccess(command.sessionId, touched)
      .catch((error: unknown) => console.error(`[quorum] jury ${command.sessionId} : droits des préconisations non réévalués`, error));
  }
  const event: JuryEvent = {
    sessionId: command.sessionId,
    version: ctx.session.juryStateVersion,
    serverNow: new Date().toISOString(),
    change,
    quorum: { met: ctx.quorum.met, reasons: ctx.quorum.reasons },
  };
  command.realtime.notifySession(command.sessionId, "jury:event", event);
  return event;
}

/**
 * Whether `actorId` may act for another member of the sitting (his arrival or departure, a proxy he gave): the one
 * presiding, or the organisation's secretariat or administration (seated or not). Reads the actor's organisation role
 * (one statement).
 */
export async function actsForOthers(tx: Prisma.TransactionClient, ctx: JuryContext, actorId: string): Promise<boolean> {
  const membership = await tx.membership.findFirst({
    where: { userId: actorId, organisationId: ctx.session.organisationId },
    select: { role: true },
  });
  const reader = sessionReader(seatOf(ctx, actorId), membership?.role ?? null);
  return reader !== null && mayRecordAttendanceOfOthers(ctx.members, ctx.present, actorId, reader.manages);
}
