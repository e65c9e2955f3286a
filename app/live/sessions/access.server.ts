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
