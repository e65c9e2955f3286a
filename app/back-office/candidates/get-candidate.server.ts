/** One candidate of the organisation with their dossiers; 404 otherwise. */
import { commissionResultOf } from "~/signing/commission-result.server";
import { data } from "@remix-run/node";
import { prisma, type Prisma } from "~/platform/db/db.server";

export const CANDIDATE_NOT_FOUND = "Ce candidat n'existe pas ou n'appartient pas à votre organisation.";

/** A candidate's identity as the Caisse des Dépôts asks for it. */
export const CANDIDATE_CIVIL_SELECT = {
  id: true,
  birthName: true,
  usageName: true,
  givenNames: true,
  sex: true,
  birthDate: true,
  birthPlace: true,
  birthCountry: true,
  birthCode: true,
} as const satisfies Prisma.CandidateSelect;

/** That identity with the candidate's trainer (for conflict checks). */
export const CANDIDATE_IDENTITY_SELECT = {
  ...CANDIDATE_CIVIL_SELECT,
  trainerId: true,
  trainerName: true,
  trainer: { select: { displayName: true } },
} as const satisfies Prisma.CandidateSelect;

export async function getCandidate(organisationId: string, candidateId: string) {
  const candidate = await prisma.candidate.findFirst({
    where: { id: candidateId, organisationId },
    select: {
      ...CANDIDATE_IDENTITY_SELECT,
      email: true,
      phone: true,
      postalAddress: true,
      employer: true,
      createdAt: true,
      updatedAt: true,
      dossiers: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          status: true,
          route: true,
          createdAt: true,
          certificationId: true,
          certification: { select: { code: true, title: true } },
          referentialVersion: { select: { version: true } },
          commissionOutcome: true,
          commissionSlotId: true,
          commissionSignedAt: true,
        },
      },
    },
  });
  if (!candidate) throw data(CANDIDATE_NOT_FOUND, { status: 404 });
  const dossiers = await Promise.all(candidate.dossiers.map(async (d) => ({ ...d, commission: await commissionResultOf(d) })));
  return { ...candidate, dossiers };
}
