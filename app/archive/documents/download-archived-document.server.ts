/**
 * One archived document's bytes for its viewer, the download recorded in the audit trail (same transaction as the
 * read). Not visible → 404 (AppError NOT_FOUND): a member cannot tell a document of another session from none.
 */
import { prisma } from "~/platform/db/db.server";
import { AppError, type Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { DOCUMENT_NOT_FOUND, visibleDocuments, type ArchiveViewer } from "./archive-access.server";

export async function downloadArchivedDocument(viewer: ArchiveViewer, actor: Actor, documentId: string) {
  const visible = await visibleDocuments(viewer);
  return prisma.$transaction(async (tx) => {
    const document = await tx.signedDocument.findFirst({
      where: { AND: [{ id: documentId }, visible] },
      select: { id: true, kind: true, fileName: true, sha256: true, content: true },
    });
    if (!document) throw new AppError("NOT_FOUND", DOCUMENT_NOT_FOUND);
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
}
