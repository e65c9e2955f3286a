/**
 * Who may read a jury's room and its documents: a seated member (any role) still a member of the organisation, or the
 * organisation's secretariat or administrator. Anyone else gets « introuvable ». Also the dossiers on the jury's agenda, to scope downloads.
 */
import { AppError } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";
import { readerOf } from "~/live/sessions/session-reader.server";

export async function requireJuryViewer(sessionId: string, viewerId: string) {
  const session = await prisma.session.findFirst({
    where: { id: sessionId, kind: "JURY" },
    select: {
      id: true,
      organisationId: true,
      members: { where: { userId: viewerId }, select: { userId: true, role: true } },
      agenda: { select: { dossierId: true, dossier: { select: { candidateId: true, certificationId: true } } } },
    },
  });
  // Seated and still a member of the organisation, or managing it (the memberships came with the sign-in).
  const reader = session ? await readerOf(session.members, viewerId, session.organisationId) : null;
  if (!session || !reader) throw new AppError("NOT_FOUND", "Jury introuvable.");
  return { session, role: reader.seat?.role ?? null };
}
