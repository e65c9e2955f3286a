/** Records the company's opinion (avis de l'entreprise): favourable or not, its text and its date. */
import { prisma } from "~/platform/db/db.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { findOpenDossier, refuse } from "./find-dossier.server";

export async function recordCompanyOpinion(
  actor: Actor,
  dossierId: string,
  input: { favourable: boolean; text: string | null; givenAt: Date },
): Promise<{ ok: true } | Refusal> {
  return prisma.$transaction(async (tx) => {
    const { dossier, refusal } = await findOpenDossier(tx, actor.organisationId, dossierId);
    if (refusal) return refusal;
    if (dossier.route === "VAE") return refuse("L'avis de l'entreprise ne s'applique pas à un parcours VAE.");
    await tx.dossier.update({
      where: { id: dossier.id },
      data: { companyOpinionFavourable: input.favourable, companyOpinion: input.text, companyOpinionAt: input.givenAt },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "dossier.company-opinion.record",
      subjectType: "Dossier",
      subjectId: dossier.id,
      data: { favourable: input.favourable, givenAt: input.givenAt.toISOString().slice(0, 10), text: input.text },
    });
    return { ok: true as const };
  });
}
