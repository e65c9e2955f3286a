/** An evidence file's content for download, only through a dossier of the reader's organisation; 404 otherwise. */
import { data } from "@remix-run/node";
import { prisma } from "~/platform/db/db.server";

export async function getEvidenceFile(organisationId: string, dossierId: string, evidenceId: string) {
  const evidence = await prisma.evidence.findFirst({
    where: { id: evidenceId, dossierId, dossier: { organisationId } },
    select: { id: true, kind: true, fileName: true, mimeType: true, size: true, sha256: true, content: true },
  });
  if (!evidence) throw data("Cette pièce n'existe pas ou ne vous est pas accessible.", { status: 404 });
  return evidence;
}
