/**
 * The one place that decides access to a live session's realtime resources (Yjs documents, socket.io rooms).
 */
import { prisma } from "~/platform/db/db.server";
import {
  documentAccessForSeat,
  sessionReader,
  gridRights,
  parseDocumentName,
  type DocumentAccess,
  type SeatRole,
} from "~/domain/access";
import { sheetSentBack } from "~/domain/jury-decision";
import { parsePreconisationsDocumentName, preconisationsAccess } from "~/domain/preconisations";
import { recusals } from "~/domain/jury-vote";
import { presentFromAttendance } from "~/domain/quorum";
import { evaluatorIdsOfDossier } from "~/live/jury/jury-context.server";
import { parseMinutesDocumentName } from "~/domain/minutes";
import type { GridVocabulary } from "~/domain/grid-vocabulary";
import { GRID_VOCABULARY_SELECT, gridVocabularyOf } from "./grid-vocabulary.server";
import { organisationRoleOf, roleRead, seatOfMember } from "./session-reader.server";

export type Seat = { sessionId: string; userId: string; role: SeatRole; college: "EMPLOYER" | "EMPLOYEE" | null };

/**
 * The user's seat in the session, while they are a member of its organisation (session-reader.server.ts: a seat kept
 * on record after a removal opens nothing): null otherwise. One statement.
 */
export async function findSeat(userId: string, sessionId: string): Promise<Seat | null> {
  const seat = await prisma.sessionMember.findFirst({
    where: { sessionId, ...seatOfMember(userId) },
    select: { sessionId: true, userId: true, role: true, college: true },
  });
  return seat;
}

/**
 * Whether the user may follow a session's events read-only without sitting in it (socket.io, realtime/events): a
 * manager — the secretariat or an administrator — of the organisation that owns the session, as on its pages (the
 * procès-verbal, the jury room « lecture seule »). Read fresh on every join: a membership withdrawn since is refused.
 */
export async function managesSession(userId: string, sessionId: string): Promise<boolean> {
  const session = await prisma.session.findUnique({ where: { id: sessionId }, select: { organisationId: true } });
  if (!session) return false;
  const membership = await prisma.membership.findFirst({
    where: { userId, organisationId: session.organisationId, role: { in: ["SECRETARIAT", "ADMIN"] } },
    select: { id: true },
  });
  return membership !== null;
}

/** `none | read | write` for a user on a collaborative document, from their seat and the document's state. */
export async function resolveDocumentAccess(userId: string, documentName: string): Promise<DocumentAccess> {
  return (await resolveDocumentGrant(userId, documentName)).access;
}

/**
 * The access with what the grid's schema checks (the realtime server enforces it on every update): the rights of
 * the seat in the passage's phase (`gridRights`), the grid's vocabulary (its référentiel's competences and its
 * scheme's scale, for a writer), and the seat's rank in its session (its presence colour).
 */
export async function resolveDocumentGrant(
  userId: string,
  documentName: string,
): Promise<{ access: DocumentAccess; rights: string[]; vocabulary?: GridVocabulary; seatRank?: number }> {
  if (documentName.startsWith("minutes:")) return { access: await resolveMinutesAccess(userId, documentName), rights: [] };
  if (documentName.startsWith("preconisations:")) return resolvePreconisationsGrant(userId, documentName);
  const ref = parseDocumentName(documentName);
  if (!ref) return { access: "none", rights: [] };
  // Two queries per connection (this runs on every websocket upgrade): the slot with the session's seats, the user's
  // role in its organisation (a seat counts only for a member), this user's declarations (commission and juries) and the
  // candidate's trainer, and the document's seal.
  const [slot, doc] = await Promise.all([
    prisma.sessionSlot.findFirst({
      where: { id: ref.slotId, sessionId: ref.sessionId },
      select: {
        gridStatus: true,
        phase: true,
        // The trainer, and whether this user declared a conflict of interest with the candidate before one of the
        // organisation's juries, on its agenda or on his appeal (it bars him from evaluating, whenever it was
        // declared: `evaluationBar`).
        candidate: {
          select: {
            trainerId: true,
            dossiers: {
              select: {
                agendaItems: { select: { conflicts: { where: { userId, conflict: true }, select: { id: true } } } },
                appeals: { select: { declarations: { where: { userId, conflict: true }, select: { id: true } } } },
              },
            },
          },
        },
        session: {
          select: {
            members: { select: { userId: true, role: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
            organisation: organisationRoleOf(userId),
            referentialVersion: { select: GRID_VOCABULARY_SELECT },
          },
        },
        declarations: { where: { userId }, select: { noConflict: true } },
      },
    }),
    prisma.collabDocument.findUnique({ where: { name: documentName }, select: { sealedAt: true } }),
  ]);
  if (!slot) return { access: "none", rights: [] };
  const rank = slot.session.members.findIndex((member) => member.userId === userId);
  // The seat, if it still opens the session (sessionReader: its holder is a member of the organisation).
  const seatRank = rank >= 0 && sessionReader(slot.session.members[rank], roleRead(slot.session.organisation)) ? rank : -1;
  const role = seatRank >= 0 ? slot.session.members[seatRank].role : null;
  const trainsCandidate = slot.candidate.trainerId === userId;
  const access = documentAccessForSeat(role, {
    sealed: Boolean(doc?.sealedAt) || slot.gridStatus !== "OPEN",
    declaredNoConflict: slot.declarations[0]?.noConflict === true,
    trainsCandidate,
    declaredConflict: slot.candidate.dossiers.some((d) => d.agendaItems.some((i) => i.conflicts.length > 0) || d.appeals.some((a) => a.declarations.length > 0)),
  });
  const rights = access === "write" && role ? gridRights(role, slot.phase) : [];
  if (access !== "write") return seatRank >= 0 ? { access, rights, seatRank } : { access, rights };
  // What the schema checks keys and values against (published versions: from memory, no read).
  const vocabulary = await gridVocabularyOf(prisma, slot.session.referentialVersion);
  return seatRank >= 0 ? { access, rights, vocabulary, seatRank } : { access, rights, vocabulary };
}

/**
 * The procès-verbal's remarks (minutes:<sessionId>): written by the session's secretary and president, read by the
 * other seated members and the organisation's secretariat; read-only for everyone once finalised (sealed).
 */
async function resolveMinutesAccess(userId: string, documentName: string): Promise<DocumentAccess> {
  const sessionId = parseMinutesDocumentName(documentName);
  if (!sessionId) return "none";
  const [session, doc] = await Promise.all([
    prisma.session.findUnique({
      where: { id: sessionId },
      select: {
        members: { where: { userId }, select: { role: true } },
        organisation: organisationRoleOf(userId),
        minutes: { select: { status: true } },
      },
    }),
    prisma.collabDocument.findUnique({ where: { name: documentName }, select: { sealedAt: true } }),
  ]);
  if (!session) return "none";
  const reader = sessionReader(session.members[0] ?? null, roleRead(session.organisation));
  if (!reader) return "none";
  const sealed = Boolean(doc?.sealedAt) || (session.minutes?.status ?? "OPEN") !== "OPEN";
  const role = reader.seat?.role ?? null;
  if (role) return !sealed && (role === "SECRETARY" || role === "PRESIDENT") ? "write" : "read";
  return "read"; // the organisation's secretariat or administration
}

/**
 * A jury candidate's préconisations (preconisations:<sessionId>:<agendaItemId>): the seated voting members write
 * while the candidate is in deliberation or decision and the sitting is in progress, on the conditions of taking part
 * in his deliberation (present, « no link » declared, not recused for him); observers, the secretary and
 * the organisation's secretariat read; read-only for everyone once the decision is recorded or the text sealed, but
 * while its decision sheet is sent back for a change (`preconisationsAccess` in app/domain/preconisations.ts).
 */
async function resolvePreconisationsGrant(
  userId: string,
  documentName: string,
): Promise<{ access: DocumentAccess; rights: string[]; seatRank?: number }> {
  const ref = parsePreconisationsDocumentName(documentName);
  if (!ref) return { access: "none", rights: [] };
  const [item, doc] = await Promise.all([
    prisma.juryAgendaItem.findFirst({
      where: { id: ref.agendaItemId, sessionId: ref.sessionId, session: { kind: "JURY" } },
      select: {
        phase: true,
        dossierId: true,
        dossier: { select: { candidateId: true, candidate: { select: { trainerId: true } } } },
        decision: { select: { id: true, sheet: { select: { status: true, round: true } } } },
        // This user's declaration for the candidate (no link, or a conflict that recuses him).
        conflicts: { where: { userId }, select: { conflict: true } },
        session: {
          select: {
            organisation: organisationRoleOf(userId),
            status: true,
            // This user's émargement, in order: present when his last event is an arrival.
            attendance: { where: { userId }, select: { userId: true, kind: true }, orderBy: [{ at: "asc" }, { id: "asc" }] },
            referentialVersion: { select: { certificationId: true } },
            members: { select: { userId: true, role: true, college: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
          },
        },
      },
    }),
    prisma.collabDocument.findUnique({ where: { name: documentName }, select: { sealedAt: true } }),
  ]);
  if (!item) return { access: "none", rights: [] };
  const rank = item.session.members.findIndex((member) => member.userId === userId);
  // Seated and still a member of the organisation, or managing it (the role was read with the item).
  const reader = sessionReader(rank >= 0 ? item.session.members[rank]! : null, roleRead(item.session.organisation));
  if (!reader) return { access: "none", rights: [] };
  const seatRank = reader.seat ? rank : -1;
  const role = reader.seat?.role ?? null;
  const manages = role === null && reader.manages;
  // A voting member linked to the candidate (his trainer, an evaluator of his passages) is recused: he reads only.
  const recused =
    role === "PRESIDENT" || role === "VICE_PRESIDENT" || role === "MEMBER"
      ? (recusals(item.session.members, {
          declaredConflictIds: [],
          trainerId: item.dossier.candidate.trainerId,
          evaluatorIds: await evaluatorIdsOfDossier(prisma, {
            dossierId: item.dossierId,
            candidateId: item.dossier.candidateId,
            certificationId: item.session.referentialVersion?.certificationId ?? "",
          }),
        }).get(userId) ?? null)
      : null;
  const access = preconisationsAccess({
    role,
    manages,
    recused,
    sessionStatus: item.session.status,
    phase: item.phase,
    decided: item.decision !== null,
    reopened: sheetSentBack(item.decision?.sheet),
    sealed: Boolean(doc?.sealedAt),
    conflict: item.conflicts.some((d) => d.conflict),
    declared: item.conflicts.length > 0,
    present: presentFromAttendance(item.session.attendance).has(userId),
  });
  return seatRank >= 0 ? { access, rights: [], seatRank } : { access, rights: [] };
}
