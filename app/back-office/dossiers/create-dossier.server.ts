/**
 * Opens a dossier for a candidate towards one certification, pinned to the latest published référentiel version
 * (later versions never change it). One active dossier per candidate and certification, also when the form is
 * submitted twice at once (the candidate's row lock serialises the check and the insert).
 */
import { data } from "@remix-run/node";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import type { DossierRoute } from "~/domain/completeness";
import { CANDIDATE_NOT_FOUND } from "~/back-office/candidates/get-candidate.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { refuse } from "./find-dossier.server";

export const NO_PUBLISHED_VERSION = "Aucune version publiée du référentiel pour cette certification : publiez-en une avant d'ouvrir un dossier.";

export async function createDossier(
  actor: Actor,
  input: { candidateId: string; certificationId: string; route: DossierRoute },
  submissionKey: string | null = null,
): Promise<{ ok: true; dossierId: string } | Refusal> {
  const submission = { userId: actor.userId, key: submissionKey, action: "dossier.create" };
  return prisma.$transaction((tx) =>
    oncePerSubmission(
      tx,
      submission,
      async () => {
        const result = await open(tx);
        return { value: result, resultId: result.ok ? result.dossierId : null };
      },
      async (dossierId) => ({ ok: true as const, dossierId }),
    ),
  );

  async function open(tx: Prisma.TransactionClient) {
    // Serialises the dossier openings of one candidate (row lock, before the « one active dossier » check): two
    // submits at once each saw no active dossier and both opened one. FOR NO KEY UPDATE: what only references the
    // candidate (its slots, its dossiers' inserts) does not wait.
    await tx.$executeRaw`SELECT 1 FROM "Candidate" WHERE "id" = ${input.candidateId} AND "organisationId" = ${actor.organisationId} FOR NO KEY UPDATE`;
    const candidate = await tx.candidate.findFirst({
      where: { id: input.candidateId, organisationId: actor.organisationId },
      select: { id: true },
    });
    if (!candidate) throw data(CANDIDATE_NOT_FOUND, { status: 404 });
    const certification = await tx.certification.findFirst({
      where: { id: input.certificationId, organisationId: actor.organisationId },
      select: { id: true, code: true },
    });
    if (!certification) return refuse("Choisissez une certification de votre organisation.", "certificationId");
    const version = await tx.referentialVersion.findFirst({
      where: { certificationId: certification.id, publishedAt: { not: null, lte: new Date() } },
      orderBy: { version: "desc" },
      select: { id: true, version: true },
    });
    if (!version) return refuse(NO_PUBLISHED_VERSION, "certificationId");
    const active = await tx.dossier.findFirst({
      where: {
        candidateId: candidate.id,
        certificationId: certification.id,
        status: { notIn: ["DECIDED", "WITHDRAWN"] },
      },
      select: { id: true },
    });
    if (active) return refuse("Ce candidat a déjà un dossier en cours pour cette certification.", "certificationId");

    const dossier = await tx.dossier.create({
      data: {
        organisationId: actor.organisationId,
        candidateId: candidate.id,
        certificationId: certification.id,
        referentialVersionId: version.id,
        route: input.route,
        status: "DRAFT",
        vaeAdmissibility: input.route === "VAE" ? "PENDING" : null,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "dossier.create",
      subjectType: "Dossier",
      subjectId: dossier.id,
      data: { candidateId: candidate.id, certification: certification.code, version: version.version, route: input.route },
    });
    return { ok: true as const, dossierId: dossier.id };  }
}
