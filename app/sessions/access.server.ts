/**
 * The one place that decides access to a live session's realtime resources (Yjs documents, socket.io rooms).
 */
import { prisma } from "~/db/db.server";
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
  const [seat, slot, doc, declaration] = await Promise.all([
    findSeat(userId, ref.sessionId),
    prisma.sessionSlot.findFirst({
      where: { id: ref.slotId, sessionId: ref.sessionId },
      select: { id: true, gridStatus: true },
    }),
    prisma.collabDocument.findUnique({ where: { name: documentName }, select: { sealedAt: true } }),
    prisma.conflictDeclaration.findUnique({
      where: { slotId_userId: { slotId: ref.slotId, userId } },
      select: { noConflict: true },
    }),
  ]);
  if (!slot) return "none";
  return documentAccessForSeat(seat?.role ?? null, {
    sealed: Boolean(doc?.sealedAt) || slot.gridStatus !== "OPEN",
    declaredNoConflict: declaration?.noConflict === true,
  });
}
