/** Query: the stored PDF of a signed document (null while it is being rendered, or when not signed yet). */
import { prisma } from "~/platform/db/db.server";

export async function getSignedPdf(kind: string, documentId: string) {
  return prisma.signedDocument.findUnique({
    where: { kind_documentId: { kind, documentId } },
    select: { fileName: true, sha256: true, content: true, createdAt: true },
  });
}
