/**
 * The signatures still to give in an organisation: every document of the signing core submitted for signature
 * (status SIGNING: grids, procès-verbaux, fiches de décision, the CPNE's validation) with each of its signers who has
 * not signed its current round (app/domain/pending-signatures.ts), and every closed jury's procès-verbal not finalised
 * yet with its signers to be (`toFinalise`: removed meanwhile, its president could never sign it), and likewise every
 * closed jury's fiche de décision not submitted yet (its presiding signer, and its members where the scheme says so). For the members page (all of them) and for a
 * member's removal or role change (one person, inside its transaction, after the membership's row lock that every
 * submission for signature also takes, ./signer-memberships.server.ts: docs/decisions/0023-member-removal-with-pending-signatures.md).
 *
 * The signers are the kinds' own: the procès-verbal's and the validation's through their `load`; a grid's are its
 * session's scoring seats (`canScore`, as app/live/commission/slot-context.server.ts names them), read here for all
 * grids in one statement; a submitted fiche de décision's were frozen at its submission (`signerIds`).
 */
import { canScore, gridSigningRefusal, type SeatRole } from "~/domain/access";
import type { College } from "~/domain/college";
import { decisionSheetSigners } from "~/domain/decision-sheet";
import { recusals } from "~/domain/jury-vote";
import { presentFromAttendance } from "~/domain/quorum";
import { VALIDATOR_ROLES } from "~/domain/decision-validation";
import { candidateName } from "~/domain/identity";
import { minutesSigners } from "~/domain/minutes";
import { stillToSign, type PendingSignature } from "~/domain/pending-signatures";
import { isLastPossibleSigner, replacementObstacle } from "~/domain/signer-unavailability";
import { parseScheme } from "~/domain/scheme";
import type { Db, LoadedDocument } from "./document-kind";
import { DECISION_KIND, decisionKind } from "./kinds/decision/decision-kind.server";
import { replacementFactsOf } from "./replacement-facts";
import { minutesKind, MINUTES_KIND } from "./kinds/minutes/minutes-kind.server";
import { validationKind, VALIDATION_KIND } from "./kinds/validation/validation-kind.server";
import { GRID_KIND } from "~/live/commission/slot-context.server";
import { CANDIDATE_RECUSAL_SELECT, declaredConflictIdsOf } from "~/live/commission/passage-recusal.server";
import { evaluatorIdsOfDossiers } from "~/live/jury/jury-context.server";

type SessionFacts = { id: string; title: string; kind: "COMMISSION" | "JURY"; startsAt: Date };
type Awaiting = {
  kind: PendingSignature["kind"];
  documentId: string;
  round: number;
  signers: string[];
  session: SessionFacts;
  candidate: string | null;
  href: string;
  signingRoles: PendingSignature["signingRoles"];
  toFinalise?: boolean;
  /** A grid: its signers who may no longer sign it (`gridSigningRefusal`), awaited until their empêchement is recorded. */
  barred?: ReadonlySet<string>;
  /** A procès-verbal or a fiche: its session's president and vice-president seats (decision 0028's replacement). */
  chairs?: ReadonlyArray<{ userId: string; role: string; user: { displayName: string } }>;
};

const CHAIRS = { where: { role: { in: ["PRESIDENT", "VICE_PRESIDENT"] as SeatRole[] } }, select: { userId: true, role: true, user: { select: { displayName: true } } } } as const;

const SESSION_SELECT = { id: true, title: true, kind: true, startsAt: true } as const;

/**
 * The pending signatures of the organisation's members (of `userId` only, when given), oldest sitting first. Reads
 * only: under READ COMMITTED, a caller that must not miss a submission made concurrently holds the person's
 * membership row first (./signer-memberships.server.ts makes every submission wait for it).
 */
export async function listPendingSignatures(db: Db, organisationId: string, userId?: string): Promise<PendingSignature[]> {
  const seated = userId ? { members: { some: { userId } } } : {};
  const [grids, minutes, minutesToFinalise, sheets, sheetsToSubmit, validations] = await Promise.all([
    db.sessionSlot.findMany({
      where: { gridStatus: "SIGNING", session: { organisationId, ...seated } },
      select: {
        id: true,
        signingRound: true,
        candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true, ...CANDIDATE_RECUSAL_SELECT } },
        session: { select: { ...SESSION_SELECT, members: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { userId: true, role: true } } } },
      },
    }),
    db.sessionMinutes.findMany({
      where: { status: "SIGNING", session: { organisationId, ...seated } },
      select: { sessionId: true, session: { select: { ...SESSION_SELECT, members: CHAIRS } } },
    }),
    // A closed jury's procès-verbal not finalised yet (no row: never opened): finalised only after the close, then
    // signed by its president (and its members who attended, when the scheme says so). One read for all of them.
    db.session.findMany({
      where: {
        organisationId,
        kind: "JURY",
        status: "CLOSED",
        ...seated,
        OR: [{ minutes: { is: null } }, { minutes: { is: { status: "OPEN" } } }],
      },
      select: {
        ...SESSION_SELECT,
        minutes: { select: { round: true } },
        referentialVersion: { select: { certification: { select: { scheme: true } } } },
        members: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { userId: true, role: true } },
        attendance: { where: { kind: "ARRIVED" }, select: { userId: true } },
      },
    }),
    db.juryDecisionSheet.findMany({
      // The frozen signers are filtered below (a JSON array): the person's seat narrows the read first.
      where: { status: "SIGNING", decision: { session: { organisationId, ...seated } } },
      select: {
        round: true,
        signerIds: true,
        decision: {
          select: {
            agendaItemId: true,
            dossier: { select: { candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true } } } },
            session: { select: { ...SESSION_SELECT, members: CHAIRS } },
          },
        },
      },
    }),
    // A closed jury's fiches de décision not submitted yet (no row: never opened): its signers to be, by the kind's rule
    // (decisionSheetSigners) over the seats, the attendance when it was recorded and the recusals for the candidate.
    db.juryDecision.findMany({
      where: {
        session: { organisationId, kind: "JURY", status: "CLOSED", ...seated },
        OR: [{ sheet: { is: null } }, { sheet: { is: { status: "OPEN" } } }],
      },
      orderBy: { decidedAt: "asc" },
      select: {
        agendaItemId: true,
        dossierId: true,
        decidedById: true,
        decidedAt: true,
        sheet: { select: { round: true } },
        agendaItem: { select: { conflicts: { where: { conflict: true }, select: { userId: true } } } },
        dossier: { select: { candidateId: true, candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true, trainerId: true } } } },
        session: {
          select: {
            ...SESSION_SELECT,
            referentialVersion: { select: { certificationId: true, certification: { select: { scheme: true } } } },
            members: { orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { userId: true, role: true, college: true } },
            attendance: { orderBy: [{ at: "asc" }, { id: "asc" }], select: { userId: true, kind: true, at: true } },
          },
        },
      },
    }),
    db.sessionValidation.findMany({
      where: { status: "SIGNING", session: { organisationId }, ...(userId ? { validatorId: userId } : { validatorId: { not: null } }) },
      select: { sessionId: true, session: { select: SESSION_SELECT } },
    }),
  ]);

  const awaiting: Awaiting[] = [];
  for (const slot of grids) {
    const signers = slot.session.members.filter((m) => canScore(m.role as SeatRole)).map((m) => m.userId);
    const conflicts = declaredConflictIdsOf(slot.candidate);
    awaiting.push({
      kind: "grid",
      documentId: slot.id,
      round: slot.signingRound,
      signers,
      barred: new Set(signers.filter((id) => gridSigningRefusal({ trainsCandidate: slot.candidate.trainerId === id, declaredConflict: conflicts.includes(id) }))),
      session: slot.session,
      candidate: candidateName(slot.candidate),
      href: `/sessions/${slot.session.id}?candidat=${slot.id}`,
      signingRoles: null,
    });
  }
  // One per session at most, submitted rarely: their kinds' own rules (the president, the members who attended when
  // the scheme says so; the validator while administration or secretariat).
  for (const row of minutes) {
    const document: LoadedDocument = await minutesKind.load(db, { documentId: row.sessionId });
    awaiting.push({
      kind: "minutes",
      documentId: row.sessionId,
      round: document.round,
      signers: document.signers.map((s) => s.userId),
      session: row.session,
      candidate: null,
      href: `/sessions/${row.sessionId}/proces-verbal`,
      signingRoles: null,
      chairs: row.session.members,
    });
  }
  for (const session of minutesToFinalise) {
    const scheme = session.referentialVersion ? parseScheme(session.referentialVersion.certification.scheme) : null;
    const signers = minutesSigners(session.members as { userId: string; role: SeatRole }[], {
      jury: true,
      membersSignMinutes: scheme?.jury.membersSignMinutes === true,
      attended: new Set(session.attendance.map((a) => a.userId)),
    });
    awaiting.push({
      kind: "minutes",
      documentId: session.id,
      round: session.minutes?.round ?? 0,
      signers: signers.map((s) => s.userId),
      session,
      candidate: null,
      href: `/sessions/${session.id}/proces-verbal`,
      signingRoles: null,
      toFinalise: true,
    });
  }
  for (const sheet of sheets) {
    const agendaItemId = sheet.decision.agendaItemId;
    awaiting.push({
      kind: "decision",
      documentId: agendaItemId,
      round: sheet.round,
      signers: Array.isArray(sheet.signerIds) ? sheet.signerIds.filter((id): id is string => typeof id === "string") : [],
      session: sheet.decision.session,
      candidate: candidateName(sheet.decision.dossier.candidate),
      href: `/sessions/${sheet.decision.session.id}/decisions/${agendaItemId}`,
      signingRoles: null,
      chairs: sheet.decision.session.members,
    });
  }
  const sheetEvaluators = await evaluatorIdsOfDossiers(
    db,
    sheetsToSubmit.map((d) => ({ dossierId: d.dossierId, candidateId: d.dossier.candidateId, certificationId: d.session.referentialVersion?.certificationId ?? "" })),
  );
  for (const decision of sheetsToSubmit) {
    const { session } = decision;
    const scheme = session.referentialVersion ? parseScheme(session.referentialVersion.certification.scheme) : null;
    const seats = session.members as { userId: string; role: SeatRole; college: College | null }[];
    const signers = decisionSheetSigners(seats, {
      decidedById: decision.decidedById,
      recused: recusals(seats, {
        declaredConflictIds: decision.agendaItem.conflicts.map((c) => c.userId),
        trainerId: decision.dossier.candidate.trainerId,
        evaluatorIds: sheetEvaluators.get(decision.dossierId) ?? [],
      }),
      presentThen: presentFromAttendance(session.attendance.filter((a) => a.at.getTime() <= decision.decidedAt.getTime())),
      membersSignDecision: scheme?.jury.membersSignDecision === true,
    });
    awaiting.push({
      kind: "decision",
      documentId: decision.agendaItemId,
      round: decision.sheet?.round ?? 0,
      signers: signers.map((s) => s.userId),
      session,
      candidate: candidateName(decision.dossier.candidate),
      href: `/sessions/${session.id}/decisions/${decision.agendaItemId}`,
      signingRoles: null,
      toFinalise: true,
    });
  }
  for (const row of validations) {
    const document: LoadedDocument = await validationKind.load(db, { documentId: row.sessionId });
    awaiting.push({
      kind: "validation",
      documentId: row.sessionId,
      round: document.round,
      signers: document.signers.map((s) => s.userId),
      session: row.session,
      candidate: null,
      href: `/sessions/${row.sessionId}/delivrance`,
      signingRoles: VALIDATOR_ROLES,
    });
  }
  if (awaiting.length === 0) return [];

  // A signature given, or an empêchement recorded (decision 0028): either way nothing more is awaited from the person.
  const ofAwaiting = { voidedAt: null, OR: KINDS.map((kind) => ({ documentKind: STORED[kind], documentId: { in: awaiting.filter((a) => a.kind === kind).map((a) => a.documentId) } })) };
  const accountedFor = { documentKind: true, documentId: true, round: true, userId: true } as const;
  const [signatures, unavailabilities] = await Promise.all([
    db.signature.findMany({ where: ofAwaiting, select: accountedFor }),
    db.signerUnavailability.findMany({ where: ofAwaiting, select: { ...accountedFor, replacedById: true, replacementSignedAt: true } }),
  ]);
  // The prevented presidents' names, for the vice-presidents who sign in their stead (decision 0028).
  const replacedIds = [...new Set(unavailabilities.filter((u) => u.replacedById).map((u) => u.userId))];
  const replacedNames = new Map(
    replacedIds.length === 0
      ? []
      : (await db.user.findMany({ where: { id: { in: replacedIds } }, select: { id: true, displayName: true } })).map((u) => [u.id, u.displayName]),
  );
  const done = [...signatures, ...unavailabilities];
  const ofRound = (a: Awaiting) => (s: (typeof done)[number]) => s.documentKind === STORED[a.kind] && s.documentId === a.documentId && s.round === a.round;
  const pending: PendingSignature[] = [];
  for (const a of awaiting) {
    const signed = done.filter(ofRound(a)).map((s) => s.userId);
    const ofThisRound = unavailabilities.filter(ofRound(a));
    const prevented = new Set(ofThisRound.map((s) => s.userId));
    const replaced = new Map(ofThisRound.flatMap((u) => (u.replacedById ? [[u.userId, u.replacedById] as const] : [])));
    const signers = a.signers.map((id) => ({ userId: id }));
    const base = {
      kind: a.kind,
      documentId: a.documentId,
      sessionId: a.session.id,
      sessionTitle: a.session.title,
      sessionDate: a.session.startsAt.toISOString(),
      sessionKind: a.session.kind,
      candidate: a.candidate,
      href: a.href,
      signingRoles: a.signingRoles,
    };
    // Named to sign for a prevented president, and not done yet: awaited as any signer (decision 0028).
    for (const u of ofThisRound) {
      if (!u.replacedById || u.replacementSignedAt || (userId && u.replacedById !== userId)) continue;
      pending.push({ ...base, userId: u.replacedById, onBehalfOf: replacedNames.get(u.userId) ?? "le président" });
    }
    for (const signer of stillToSign(signers, signed)) {
      if (userId && signer.userId !== userId) continue;
      const viceChair = a.chairs?.some((c) => c.userId === signer.userId && c.role === "PRESIDENT") ? a.chairs.find((c) => c.role === "VICE_PRESIDENT") : undefined;
      // Offered only when she can sign in his stead, by the command's own rule; otherwise the page says why not.
      const obstacle = viceChair && !a.toFinalise ? await replacementObstacleFor(db, a, signer.userId, viceChair.userId, prevented) : null;
      pending.push({
        ...base,
        userId: signer.userId,
        ...(viceChair && !a.toFinalise
          ? obstacle
            ? { replacementUnavailable: obstacle }
            : { replacementOffer: { userId: viceChair.userId, displayName: viceChair.user.displayName } }
          : {}),
        ...(a.toFinalise ? { toFinalise: true } : {}),
        ...(a.barred?.has(signer.userId) ? { signingBarred: true } : {}),
        ...(!a.toFinalise && isLastPossibleSigner({ signers, unavailable: prevented, replaced }, signer.userId) ? { lastPossibleSigner: true } : {}),
      });
    }
  }
  return pending.sort((x, y) => x.sessionDate.localeCompare(y.sessionDate) || KINDS.indexOf(x.kind) - KINDS.indexOf(y.kind));
}

/**
 * Why the session's vice-president cannot sign this procès-verbal or fiche in its prevented president's stead
 * (`replacementObstacle`, as the command that records the empêchement judges it), or null. One load of the document.
 */
async function replacementObstacleFor(db: Db, a: Awaiting, presidentId: string, viceChairId: string, prevented: ReadonlySet<string>): Promise<string | null> {
  const kind = a.kind === "decision" ? decisionKind : a.kind === "minutes" ? minutesKind : null;
  if (!kind) return null;
  const document = await kind.load(db, { documentId: a.documentId });
  return replacementObstacle(replacementFactsOf(kind, document, { preventedId: presidentId, namedId: viceChairId, unavailable: prevented }));
}

const KINDS: PendingSignature["kind"][] = ["grid", "decision", "minutes", "validation"];
/** Signature.documentKind of each (the kinds' names in the registry). */
const STORED: Record<PendingSignature["kind"], string> = {
  grid: GRID_KIND,
  decision: DECISION_KIND,
  minutes: MINUTES_KIND,
  validation: VALIDATION_KIND,
};

/** The signing core's kind (registry name) of a pending signature's document. */
export function storedKindOf(kind: PendingSignature["kind"]): string {
  return STORED[kind];
}
