/**
 * What every planning use case needs about one session, read inside the caller's transaction and scoped to the
 * organisation: the session (row-locked, so concurrent planning changes of one session are serialised), its
 * certification rules, seats, slots and agenda. Actor and result shapes are app/platform/app-error.ts.
 */
import type { RealtimePort } from "~/live/realtime-port";
import { fieldRefusal, refusal, type Actor, type Refusal, type Result } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import type { AuditAction } from "~/domain/audit-actions";
import { candidateName } from "~/domain/identity";
import { gridDocumentName, type SeatRole } from "~/domain/access";
import { preconisationsDocumentName } from "~/domain/jury-decision";
import { minutesDocumentName } from "~/domain/minutes";
import {
  checkComposition,
  DEFAULT_JURY_COMPOSITION,
  habilitationRefusal,
  habilitationStateForSession,
  seatConflicts,
  seatRequiresHabilitation,
  type CandidateRef,
  type College,
  type JuryCompositionRules,
  type Seat,
} from "~/domain/eligibility";
import { safeParseScheme } from "~/domain/scheme";

/** A planning refusal: French messages for the whole form (and maybe per field). Nothing was written. */
export const refuse = (formErrors: string[], fieldErrors?: Record<string, string[]>): Refusal =>
  refusal("CONFLICT", formErrors, fieldErrors);
export const refuseField = fieldRefusal;

export const NOT_FOUND = "Cette session n'existe pas ou n'appartient pas à votre organisation.";
export const NOT_EDITABLE = "La session est ouverte ou close : sa planification ne peut plus être modifiée.";

export type PlanningRules = { evaluatorMustNotBeTrainer: boolean; jury: JuryCompositionRules };

/** The scheme's planning rules, defaulting when a stored scheme does not parse (it is then fixed elsewhere). */
export function planningRules(scheme: unknown): PlanningRules {
  const parsed = safeParseScheme(scheme);
  if (!parsed.ok) {
    const raw = (scheme && typeof scheme === "object" ? scheme : {}) as Record<string, unknown>;
    return { evaluatorMustNotBeTrainer: raw.evaluatorMustNotBeTrainer === true, jury: DEFAULT_JURY_COMPOSITION };
  }
  return {
    evaluatorMustNotBeTrainer: parsed.scheme.evaluatorMustNotBeTrainer,
    jury: { minPerCollege: parsed.scheme.jury.minPerCollege, minTotal: parsed.scheme.jury.minTotal },
  };
}

const candidateSelect = {
  id: true,
  birthName: true,
  usageName: true,
  givenNames: true,
  sex: true,
  trainerId: true,
  email: true,
} as const;

/** Locks the session row (FOR UPDATE, unless `lock` is false) and loads it, or null when it is not the organisation's. */
export async function loadSessionForPlanning(
  tx: Prisma.TransactionClient,
  sessionId: string,
  organisationId: string,
  options: { lock: boolean } = { lock: true },
) {
  // A read (the planning page) takes no lock: it would hold up the jury's commands and connection events while the
  // page loads; it reads in one snapshot instead (getSessionPlanning's REPEATABLE READ transaction).
  if (options.lock) {
    await tx.$executeRaw`SELECT 1 FROM "Session" WHERE "id" = ${sessionId} AND "organisationId" = ${organisationId} FOR UPDATE`;
  }
  const session = await tx.session.findFirst({
    where: { id: sessionId, organisationId },
    include: {
      referentialVersion: {
        select: {
          id: true,
          version: true,
          certification: { select: { id: true, code: true, title: true, scheme: true } },
        },
      },
      members: {
        orderBy: { createdAt: "asc" },
        include: { user: { select: { id: true, displayName: true, email: true } } },
      },
      slots: { orderBy: [{ startsAt: "asc" }, { position: "asc" }], include: { candidate: { select: candidateSelect } } },
      agenda: {
        orderBy: { position: "asc" },
        include: { dossier: { select: { id: true, status: true, candidate: { select: candidateSelect } } } },
      },
    },
  });
  if (!session) return null;
  const certification = session.referentialVersion?.certification ?? null;
  return {
    session,
    certification,
    rules: planningRules(certification?.scheme),
    seats: session.members.map(
      (m): Seat => ({
        userId: m.userId,
        displayName: m.user.displayName,
        role: m.role as SeatRole,
        college: m.college as College | null,
      }),
    ),
    /** The candidates before the session: slot candidates (commission) or agenda dossiers' candidates (jury). */
    candidates: [
      ...session.slots.map((s) => toCandidateRef(s.candidate)),
      ...session.agenda.map((a) => toCandidateRef(a.dossier.candidate)),
    ],
  };
}

export type PlanningContext = NonNullable<Awaited<ReturnType<typeof loadSessionForPlanning>>>;

/**
 * The session locked for a planning change, or the refusal to return as is: unknown to the organisation, no longer
 * planned, or (with `kind`) of the other kind.
 */
export async function loadEditableSession(
  tx: Prisma.TransactionClient,
  sessionId: string,
  organisationId: string,
  kind?: { required: "COMMISSION" | "JURY"; otherwise: string },
): Promise<PlanningContext | Refusal> {
  const ctx = await loadSessionForPlanning(tx, sessionId, organisationId);
  if (!ctx) return refuse([NOT_FOUND]);
  if (ctx.session.status !== "PLANNED") return refuse([NOT_EDITABLE]);
  if (kind && ctx.session.kind !== kind.required) return refuse([kind.otherwise]);
  return ctx;
}

export const isRefusal = (value: PlanningContext | Refusal): value is Refusal => "ok" in value;

/**
 * A dossier taken off a jury's agenda without a decision goes back to COMPLETE (awaiting a jury), in the caller's
 * transaction: withdrawn in planning (removeAgendaItem), or reported to a later jury by the sitting's president
 * (app/live/jury/postpone-candidate.server.ts). Guarded by its status (ON_AGENDA): a dossier already moved on is left
 * alone. Whether it went back; if so the caller records `dossierBackToCompleteAudit` after its own audit event (the
 * dossier's row is locked before the audit chain's, as every use case takes them).
 */
export async function dossierBackToComplete(tx: Prisma.TransactionClient, input: { dossierId: string; organisationId: string }): Promise<boolean> {
  const reverted = await tx.dossier.updateMany({
    where: { id: input.dossierId, organisationId: input.organisationId, status: "ON_AGENDA" },
    data: { status: "COMPLETE" },
  });
  return reverted.count === 1;
}

/** The audit event of a dossier gone back to COMPLETE from a jury's agenda (dossierBackToComplete). */
export function dossierBackToCompleteAudit(input: {
  dossierId: string;
  sessionId: string;
  organisationId: string;
  actorId: string;
  ip: string | null;
  userAgent: string | null;
}) {
  return {
    organisationId: input.organisationId,
    actorId: input.actorId,
    ip: input.ip,
    userAgent: input.userAgent,
    action: "dossier.status.change" as const,
    subjectType: "Dossier",
    subjectId: input.dossierId,
    data: { from: "ON_AGENDA", to: "COMPLETE", sessionId: input.sessionId },
  };
}

export function toCandidateRef(c: {
  birthName: string;
  usageName: string | null;
  givenNames: string;
  sex?: string | null;
  trainerId: string | null;
}): CandidateRef {
  return { name: candidateName(c, { givenNames: "first" }), trainerId: c.trainerId };
}

/** Habilitation periods of some users for one certification. */
export async function habilitationsOf(tx: Prisma.TransactionClient, userIds: string[], certificationId: string) {
  const rows = await tx.habilitation.findMany({
    where: { userId: { in: userIds }, certificationId },
    select: { userId: true, validFrom: true, validUntil: true },
  });
  const byUser = new Map<string, Array<{ validFrom: Date; validUntil: Date }>>();
  for (const r of rows) {
    const list = byUser.get(r.userId) ?? [];
    list.push({ validFrom: r.validFrom, validUntil: r.validUntil });
    byUser.set(r.userId, list);
  }
  return byUser;
}

/**
 * What blocks the convocations (errors) or deserves attention (warnings) in a session as planned now: every
 * evaluating seat habilitated on the session date, no trainer judging a trainee, the panel's composition.
 */
export async function assessPlanning(
  tx: Prisma.TransactionClient,
  ctx: PlanningContext,
  /** The habilitations already read by the caller for (at least) every seated person, to read them once. */
  known?: Awaited<ReturnType<typeof habilitationsOf>>,
) {
  const errors: string[] = [];
  const { certification, session, rules } = ctx;
  if (certification) {
    const evaluators = ctx.seats.filter((s) => seatRequiresHabilitation(s.role));
    const habilitations = known ?? (await habilitationsOf(tx, evaluators.map((s) => s.userId), certification.id));
    for (const seat of evaluators) {
      const state = habilitationStateForSession(habilitations.get(seat.userId) ?? [], session.startsAt);
      const refusal = habilitationRefusal(seat.displayName, certification.title, state);
      if (refusal) errors.push(refusal);
    }
  } else {
    errors.push("La session n'est rattachée à aucune certification.");
  }
  for (const seat of ctx.seats) {
    for (const conflict of seatConflicts(seat, seat.role, ctx.candidates, rules.evaluatorMustNotBeTrainer)) {
      if (!errors.includes(conflict)) errors.push(conflict);
    }
  }
  const composition = checkComposition(session.kind, ctx.seats, rules.jury);
  return { errors: [...errors, ...composition.errors], warnings: composition.warnings };
}

/**
 * After a committed change of who sits in a session (or of its slots): the session's open connections — socket.io
 * sockets and the documents named — re-check their access now rather than at their next connection. The change itself
 * is done: a failure here (e.g. Redis unreachable) is logged, not returned; those connections re-check at reconnection.
 */
export async function refreshSessionAccess(realtime: RealtimePort, sessionId: string, documentNames: string[]): Promise<void> {
  try {
    await realtime.refreshSessionAccess(sessionId, documentNames);
  } catch (error) {
    console.error(`[quorum] session ${sessionId} : accès des connexions ouvertes non réévalués`, error);
  }
}

/**
 * A change that takes someone's access away: its audit event, the grids whose open connections re-check access and,
 * for a seat (`seat`), every other document of the session too — the minutes' remarks and the préconisations, which a
 * secretary or a president removed from the session went on writing until they reconnected.
 */
export type AccessRemoval = { action: AuditAction; data: Record<string, unknown>; slotIds: string[]; seat?: boolean };

/**
 * A planning change that removes access to the session (a seat, a slot): in one transaction, the session locked and
 * still planned, the change and its audit event on the session; once committed, the open connections of the
 * session and of `slotIds`' grids re-check their access.
 */
export async function removeSessionAccess(
  sessionId: string,
  actor: Actor,
  realtime: RealtimePort,
  change: (tx: Prisma.TransactionClient, ctx: PlanningContext) => Promise<AccessRemoval | Refusal>,
): Promise<Result> {
  const result = await prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId);
    if (isRefusal(ctx)) return ctx;
    const removal = await change(tx, ctx);
    if ("ok" in removal) return removal;
    await recordAudit(tx, {
      ...auditActor(actor),
      action: removal.action,
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: removal.data,
    });
    const documentNames = removal.slotIds.map((slotId) => gridDocumentName(ctx.session.id, slotId));
    if (removal.seat) {
      documentNames.push(
        minutesDocumentName(ctx.session.id),
        ...ctx.session.agenda.map((item) => preconisationsDocumentName(ctx.session.id, item.id)),
      );
    }
    return { ok: true as const, sessionId: ctx.session.id, documentNames };
  });
  if (!result.ok) return result;
  await refreshSessionAccess(realtime, result.sessionId, result.documentNames);
  return { ok: true };
}
