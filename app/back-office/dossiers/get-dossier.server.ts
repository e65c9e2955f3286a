/** One dossier of the organisation as the dossier page shows it (evidence without its content); 404 otherwise. */
import { prisma } from "~/platform/db/db.server";
import { REFERENTIAL_OUTLINE_SELECT } from "~/back-office/certifications/referential-tree.server";
import { commissionResultOf } from "~/signing/commission-result.server";
import { dossierNotFound } from "./find-dossier.server";

export async function getDossier(organisationId: string, dossierId: string) {
  const dossier = await prisma.dossier.findFirst({
    where: { id: dossierId, organisationId },
    select: {
      id: true,
      status: true,
      route: true,
      positioning: true,
      positionedAt: true,
      companyOpinion: true,
      companyOpinionFavourable: true,
      companyOpinionAt: true,
      vaeExperienceMonths: true,
      vaeAdmissibility: true,
      vaeDecidedAt: true,
      vaeDecisionNote: true,
      commissionOutcome: true,
      commissionSlotId: true,
      commissionSignedAt: true,
      createdAt: true,
      updatedAt: true,
      candidate: {
        select: { id: true, birthName: true, usageName: true, givenNames: true, sex: true, employer: true, trainerName: true },
      },
      certification: { select: { id: true, code: true, title: true, kind: true } },
      referentialVersion: {
        select: {
          version: true,
          publishedAt: true,
          ...REFERENTIAL_OUTLINE_SELECT,
        },
      },
      blocs: { select: { blocId: true } },
      evidence: {
        orderBy: { createdAt: "asc" },
        select: { id: true, kind: true, fileName: true, mimeType: true, size: true, sha256: true, createdAt: true },
      },
    },
  });
  if (!dossier) throw dossierNotFound();
  return { ...dossier, commission: await commissionResultOf(dossier) };
}
