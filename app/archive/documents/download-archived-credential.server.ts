/**
 * The digital credential (Open Badges 3.0, signed JSON) of an archived parchemin or attestation, for whoever may see
 * the record's document in the archive; the download is audited. No credential, or not visible → 404; a member's
 * session's parchemin or attestation → 403 (issued for the candidate: the secretariat's, app/domain/archive-scope.ts).
 */
import { createHash } from "node:crypto";
import { prisma } from "~/platform/db/db.server";
import { AppError, type Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { DOCUMENT_NOT_FOUND, refuseArchivedDocument, visibleDocuments, type ArchiveViewer } from "./archive-access.server";
import { CREDENTIAL_FILE_SQL } from "./search-archive.server";

export async function downloadArchivedCredential(viewer: ArchiveViewer, actor: Actor, documentId: string) {
  const visible = await visibleDocuments(viewer);
  const downloaded = await prisma.$transaction(async (tx) => {
    const document = await tx.signedDocument.findFirst({
      where: { AND: [{ id: documentId }, visible, { deliveryRecordId: { not: null } }] },
      select: { id: true, deliveryRecordId: true },
    });
    const record = document?.deliveryRecordId
      ? (
          await tx.$queryRaw<{ id: string; number: string; file: string | null }[]>`
            SELECT r.id, r.number, ${CREDENTIAL_FILE_SQL} AS file FROM "DeliveryRecord" r
            WHERE r.id = ${document.deliveryRecordId}::text AND r."organisationId" = ${viewer.organisationId}::text`
        )[0]
      : null;
    if (!document) return null;
    if (!record?.file) throw new AppError("NOT_FOUND", DOCUMENT_NOT_FOUND);
    // The bytes whose SHA-256 the archive's list shows (computed there by the database from the same expression).
    const content = Buffer.from(record.file, "utf8");
    const sha256 = createHash("sha256").update(content).digest("hex");
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      action: "archive.downloaded",
      subjectType: "DeliveryRecord",
      subjectId: record.id,
      data: { kind: "credential", sha256 },
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return { fileName: `${record.number}-badge.json`, content, sha256 };
  });
  return downloaded ?? refuseArchivedDocument(viewer, documentId);
}
