/**
 * Who may read a jury's room and its documents: a seated member (any role), or the organisation's secretariat or
 * administrator. Anyone else gets « introuvable ». Also the dossiers on the jury's agenda, to scope downloads.
 */
import { AppError } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";

export async function requireJuryViewer(sessionId: string, viewerId: string) {
  const session = await prisma.session.findFirst({
    where: { id: sessionId, kind: "JURY" },
    select: {
      id: true,
      organisationId: true,
      members: { where: { userId: viewerId }, select: { role: true } },
      agenda: { select: { dossierId: true, dossier: { select: { candidateId: true, certificationId: true } } } },
    },
  });
  if (!session) throw new AppError("NOT_FOUND", "Jury introuvable.");
  const role = session.members[0]?.role ?? null;
  if (!role) {
    const membership = await prisma.membership.findFirst({
      where: { userId: viewerId, organisationId: session.organisationId, role: { in: ["ADMIN", "SECRETARIAT"] } },
      select: { id: true },
    });
    if (!membership) throw new AppError("NOT_FOUND", "Jury introuvable.");
  }
  return { session, role };
}
