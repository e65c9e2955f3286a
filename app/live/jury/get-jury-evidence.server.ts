/**
 * Query: an evidence file of a dossier on the jury's agenda, for a seated member or the organisation's secretariat.
 * An observer gets an identity document only where the scheme allows it; a member recused for the candidate (declared
 * conflict, his trainer, his evaluator) gets none of his files (403, with why). Null when the file is not on the agenda.
 */
import { AppError } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";
import { parseScheme } from "~/domain/scheme";
import { evidenceDownloadRefusal } from "~/domain/access";
import { recusedEvidenceRefusal } from "~/domain/jury-vote";
import { requireJuryViewer } from "./jury-viewer.server";
import { viewerRecusal } from "./jury-context.server";

export async function getJuryEvidence(sessionId: string, viewerId: string, evidenceId: string) {
  const { session, role } = await requireJuryViewer(sessionId, viewerId);
  const file = await prisma.evidence.findFirst({
    where: { id: evidenceId, dossierId: { in: session.agenda.map((a) => a.dossierId) } },
    include: { dossier: { select: { certification: { select: { scheme: true } } } } },
  });
  if (!file) return null;
  if (role !== null) {
    const refusal = recusedEvidenceRefusal(await viewerRecusal(prisma, sessionId, file.dossierId, viewerId));
    if (refusal) throw new AppError("FORBIDDEN", refusal);
  }
  const withheld = evidenceDownloadRefusal(role, file.kind, parseScheme(file.dossier.certification.scheme));
  if (withheld) throw new AppError("FORBIDDEN", withheld);
  return { organisationId: session.organisationId, file };
}
