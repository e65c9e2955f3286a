/** Sets the blocs a dossier targets (blocs of its pinned référentiel version only). */
import { prisma } from "~/platform/db/db.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { findOpenDossier, refuse } from "./find-dossier.server";

export async function updateDossierBlocs(actor: Actor, dossierId: string, blocIds: string[]): Promise<{ ok: true } | Refusal> {
  const wanted = [...new Set(blocIds)];
  return prisma.$transaction(async (tx) => {
    const { dossier, refusal } = await findOpenDossier(tx, actor.organisationId, dossierId);
    if (refusal) return refusal;
    const blocs = await tx.bloc.findMany({
      where: { versionId: dossier.referentialVersionId, id: { in: wanted } },
      select: { id: true, code: true },
    });
    if (blocs.length !== wanted.length) return refuse("Un bloc choisi n'appartient pas au référentiel du dossier.", "blocIds");
    await tx.dossierBloc.deleteMany({ where: { dossierId: dossier.id } });
    if (blocs.length > 0) {
      await tx.dossierBloc.createMany({ data: blocs.map((b) => ({ dossierId: dossier.id, blocId: b.id })) });
    }
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "dossier.blocs.update",
      subjectType: "Dossier",
      subjectId: dossier.id,
      data: { blocs: blocs.map((b) => b.code).sort() },
    });
    return { ok: true as const };
  });
}
