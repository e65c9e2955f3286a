/** « Vérifier » one archived document the viewer may see (hash of the stored bytes, then the seal); audited. */
import { prisma } from "~/platform/db/db.server";
import type { Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { refuseArchivedDocument, visibleDocuments, type ArchiveViewer } from "./archive-access.server";
import { verifyArchivedDocument, type Verification } from "./verify-archived-document.server";

export async function checkArchivedDocument(viewer: ArchiveViewer, actor: Actor, documentId: string): Promise<Verification> {
  const visible = await visibleDocuments(viewer);
  const document = await prisma.signedDocument.findFirst({
    where: { AND: [{ id: documentId }, visible] },
    select: { id: true, sha256: true, content: true },
  });
  if (!document) return refuseArchivedDocument(viewer, documentId);
  const verification = await verifyArchivedDocument({ content: document.content, sha256: document.sha256 });
  await prisma.$transaction((tx) =>
    recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      action: "archive.verified",
      subjectType: "SignedDocument",
      subjectId: document.id,
      data: { intact: verification.intact, computedSha256: verification.computedSha256, seal: verification.seal.state },
      ip: actor.ip,
      userAgent: actor.userAgent,
    }),
  );
  return verification;
}
