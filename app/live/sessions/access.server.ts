/**
 * The one place that decides access to a live session's realtime resources (Yjs documents, socket.io rooms).
 */
import { prisma } from "~/platform/db/db.server";
import {
  documentAccessForSeat,
  parseDocumentName,
  type DocumentAccess,
  type SeatRole,
} from "~/domain/access";

export type Seat = { sessionId: string; userId: string; role: SeatRole; college: "EMPLOYER" | "EMPLOYEE" | null };

export async function findSeat(userId: string, sessionId: string): Promise<Seat | null> {
  const seat = await prisma.sessionMember.findUnique({
    where: { sessionId_userId: { sessionId, userId } },
    select: { sessionId: true, userId: true, role: true, college: true },
  });
  return seat;
}

/** `none | read | write` for a user on a collaborative document, from their seat and the document's state. */
export async function resolveDocumentAccess(userId: string, documentName: string): Promise<DocumentAccess> {
  if (documentName.startsWith("minutes:")) return resolveMinutesAccess(userId, documentName);
  const ref = parseDocumentName(documentName);
  if (!ref) return "none";
  // Two queries per connection (this runs on every websocket upgrade): the slot with this user's seat and
  // declaration, and the document's seal.
  const [slot, doc] = await Promise.all([
    prisma.sessionSlot.findFirst({
      where: { id: ref.slotId, sessionId: ref.sessionId },
      select: {
        gridStatus: true,
        session: { select: { members: { where: { userId }, select: { role: true } } } },
        declarations: { where: { userId }, select: { noConflict: true } },
      },
    }),
    prisma.collabDocument.findUnique({ where: { name: documentName }, select: { sealedAt: true } }),
  ]);
  if (!slot) return "none";
  return documentAccessForSeat(slot.session.members[0]?.role ?? null, {
    sealed: Boolean(doc?.sealedAt) || slot.gridStatus !== "OPEN",
    declaredNoConflict: slot.declarations[0]?.noConflict === true,
  });
}

/**
 * The procès-verbal's remarks (minutes:<sessionId>): written by the session's secretary and president, read by the
 * other seated members and the organisation's secretariat; read-only for everyone once finalised (sealed).
 */
async function resolveMinutesAccess(userId: string, documentName: string): Promise<DocumentAccess> {
  const sessionId = documentName.slice("minutes:".length);
  if (!/^[a-z0-9]{8,40}$/i.test(sessionId)) return "none";
  const [session, doc] = await Promise.all([
    prisma.session.findUnique({
      where: { id: sessionId },
      select: {
        organisationId: true,
        members: { where: { userId }, select: { role: true } },
        minutes: { select: { status: true } },
      },
    }),
    prisma.collabDocument.findUnique({ where: { name: documentName }, select: { sealedAt: true } }),
  ]);
  if (!session) return "none";
  const sealed = Boolean(doc?.sealedAt) || (session.minutes?.status ?? "OPEN") !== "OPEN";
  const role = session.members[0]?.role ?? null;
  if (role) return !sealed && (role === "SECRETARY" || role === "PRESIDENT") ? "write" : "read";
  const membership = await prisma.membership.findFirst({
    where: { userId, organisationId: session.organisationId, role: { in: ["SECRETARIAT", "ADMIN"] } },
    select: { id: true },
  });
  return membership ? "read" : "none";
}
