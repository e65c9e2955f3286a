/**
 * Records the repérage / positionnement: per competence of the pinned référentiel, acquired or to acquire, and
 * the date. Competences left blank are not positioned yet (the checklist says which).
 */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import type { PositioningValue } from "~/domain/completeness";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { findOpenDossier, refuse } from "./find-dossier.server";

export async function recordPositioning(
  actor: Actor,
  dossierId: string,
  input: { positionedAt: Date; results: Record<string, PositioningValue> },
): Promise<{ ok: true } | Refusal> {
  return prisma.$transaction(async (tx) => {
    const { dossier, refusal } = await findOpenDossier(tx, actor.organisationId, dossierId);
    if (refusal) return refusal;
    if (dossier.route === "VAE") return refuse("Un parcours VAE n'a pas de positionnement : renseignez la recevabilité.");
    const competences = await tx.competence.findMany({
      where: { bloc: { versionId: dossier.referentialVersionId } },
      select: { id: true },
    });
    const known = new Set(competences.map((c) => c.id));
    const results: Record<string, PositioningValue> = {};
    for (const [competenceId, value] of Object.entries(input.results)) {
      if (!known.has(competenceId)) return refuse("Une compétence n'appartient pas au référentiel du dossier.");
      results[competenceId] = value;
    }
    await tx.dossier.update({
      where: { id: dossier.id },
      data: { positioning: results as Prisma.InputJsonValue, positionedAt: input.positionedAt },
    });
    const values = Object.values(results);
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "dossier.positioning.record",
      subjectType: "Dossier",
      subjectId: dossier.id,
      data: {
        positionedAt: input.positionedAt.toISOString().slice(0, 10),
        acquired: values.filter((v) => v === "ACQUIRED").length,
        toAcquire: values.filter((v) => v === "TO_ACQUIRE").length,
        results,
      },
    });
    return { ok: true as const };
  });
}
