/**
 * One archived document's bytes for its viewer, the download recorded in the audit trail (same transaction as the
 * read). Not visible → 404 (AppError NOT_FOUND): a member cannot tell a document of another session from none; a
 * document of a session they sat on that is the secretariat's (a notice letter, a parchemin…) → 403 with the reason.
 */
import { prisma } from "~/platform/db/db.server";
import type { Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { refuseArchivedDocument, visibleDocuments, type ArchiveViewer } from "./archive-access.server";

export async function downloadArchivedDocument(viewer: ArchiveViewer, actor: Actor, documentId: string) {
  const visible = await visibleDocuments(viewer);
  const downloaded = await prisma.$transaction(async (tx) => {
    const document = await tx.signedDocument.findFirst({
      where: { AND: [{ id: documentId }, visible] },
      select: { id: true, kind: true, fileName: true, sha256: true, content: true },
    });
    if (!document) return null;
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      action: "archive.downloaded",
      subjectType: "SignedDocument",
      subjectId: document.id,
      data: { kind: document.kind, sha256: document.sha256 },
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return document;
  });
  return downloaded ?? refuseArchivedDocument(viewer, documentId);
}
