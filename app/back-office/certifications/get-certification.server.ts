/** One certification of the organisation with its scheme rules and référentiel versions; 404 otherwise. */
import { prisma } from "~/platform/db/db.server";
import { safeParseScheme } from "~/domain/scheme";
import { CERTIFICATION_IDENTITY_SELECT, CERTIFICATION_NOT_FOUND, notFound } from "./shared.server";

export async function getCertification(organisationId: string, certificationId: string) {
  const certification = await prisma.certification.findFirst({
    where: { id: certificationId, organisationId },
    select: {
      id: true,
      ...CERTIFICATION_IDENTITY_SELECT,
      scheme: true,
      createdAt: true,
      updatedAt: true,
      versions: {
        orderBy: { version: "desc" },
        select: {
          id: true,
          version: true,
          publishedAt: true,
          createdAt: true,
          notes: true,
          _count: { select: { blocs: true, sessions: true, dossiers: true } },
        },
      },
    },
  });
  if (!certification) throw notFound(CERTIFICATION_NOT_FOUND);
  const { scheme: stored, ...rest } = certification;
  const parsed = safeParseScheme(stored);
  return {
    ...rest,
    scheme: parsed.ok ? parsed.scheme : null,
    schemeIssues: parsed.ok ? [] : parsed.issues,
  };
}
