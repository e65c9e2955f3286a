/** The exchange document of a version of the organisation (docs/referential-format.md); 404 otherwise. */
import { prisma } from "~/platform/db/db.server";
import { exportFileName, referentialToDocument, type ReferentialDocument } from "~/domain/referential-import";
import { readVersionContent } from "./read-version-content.server";
import { VERSION_NOT_FOUND, notFound } from "./shared.server";

export async function exportReferential(
  organisationId: string,
  certificationId: string,
  versionId: string,
): Promise<{ fileName: string; document: ReferentialDocument }> {
  const version = await prisma.referentialVersion.findFirst({
    where: { id: versionId, certificationId, certification: { organisationId } },
    select: { version: true, publishedAt: true, certification: { select: { code: true, title: true } } },
  });
  if (!version) throw notFound(VERSION_NOT_FOUND);
  const content = await readVersionContent(prisma, versionId);
  return {
    fileName: exportFileName(version.certification.code, version.version),
    document: referentialToDocument({
      certification: version.certification,
      version: version.version,
      publishedAt: version.publishedAt,
      exportedAt: new Date(),
      ...content,
    }),
  };
}
