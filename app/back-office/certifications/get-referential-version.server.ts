/** One référentiel version of the organisation, with everything in it and what pins it; 404 otherwise. */
import { prisma } from "~/platform/db/db.server";
import { REFERENTIAL_TREE_SELECT } from "./referential-tree.server";
import { VERSION_NOT_FOUND, notFound } from "./shared.server";

export async function getReferentialVersion(organisationId: string, certificationId: string, versionId: string) {
  const version = await prisma.referentialVersion.findFirst({
    where: { id: versionId, certificationId, certification: { organisationId } },
    select: {
      id: true,
      version: true,
      publishedAt: true,
      createdAt: true,
      notes: true,
      certification: { select: { id: true, code: true, title: true, kind: true } },
      _count: { select: { sessions: true, dossiers: true } },
      ...REFERENTIAL_TREE_SELECT,
    },
  });
  if (!version) throw notFound(VERSION_NOT_FOUND);
  return version;
}
