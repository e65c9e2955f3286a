/**
 * Records the VAE recevabilité checked by the secretariat: months of experience, decision, note and date.
 * A "recevable" decision below the scheme's minimum experience is refused.
 */
import { prisma } from "~/platform/db/db.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { completenessRulesFromScheme, type VaeAdmissibility } from "~/domain/completeness";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { findOpenDossier, refuse } from "./find-dossier.server";

export async function recordVaeAdmissibility(
  actor: Actor,
  dossierId: string,
  input: { experienceMonths: number | null; decision: VaeAdmissibility; note: string | null; decidedAt: Date | null },
): Promise<{ ok: true } | Refusal> {
  return prisma.$transaction(async (tx) => {
    const { dossier, refusal } = await findOpenDossier(tx, actor.organisationId, dossierId);
    if (refusal) return refusal;
    if (dossier.route !== "VAE") return refuse("La recevabilité ne concerne que les parcours VAE.");
    const { vaeMinimumExperienceMonths: minimum } = completenessRulesFromScheme(dossier.certification.scheme);
    if (input.decision === "ADMISSIBLE" && minimum !== null) {
      if (input.experienceMonths === null) {
        return refuse(`Renseignez la durée d'expérience (minimum ${minimum} mois) avant de déclarer la demande recevable.`, "experienceMonths");
      }
      if (input.experienceMonths < minimum) {
        return refuse(
          `${input.experienceMonths} mois d'expérience : en dessous du minimum de ${minimum} mois fixé pour cette certification, la demande ne peut pas être recevable.`,
          "experienceMonths",
        );
      }
    }
    await tx.dossier.update({
      where: { id: dossier.id },
      data: {
        vaeExperienceMonths: input.experienceMonths,
        vaeAdmissibility: input.decision,
        vaeDecisionNote: input.note,
        vaeDecidedAt: input.decision === "PENDING" ? null : input.decidedAt,
      },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "dossier.vae-admissibility.record",
      subjectType: "Dossier",
      subjectId: dossier.id,
      data: {
        experienceMonths: input.experienceMonths,
        decision: input.decision,
        decidedAt: input.decidedAt && input.decision !== "PENDING" ? input.decidedAt.toISOString().slice(0, 10) : null,
        note: input.note,
      },
    });
    return { ok: true as const };
  });
}
