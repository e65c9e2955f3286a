/** Removes a criterion from a draft version. Refused on a published version. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { auditFields, ITEM_NOT_FOUND, lockDraftVersion, type Actor, type Refusal } from "./shared.server";

export async function deleteCriterion(actor: Actor, versionId: string, criterionId: string): Promise<{ ok: true } | Refusal> {
  return prisma.$transaction(async (tx) => {
    const locked = await lockDraftVersion(tx, actor, versionId);
    if (!locked.ok) return locked;
    const criterion = await tx.criterion.findFirst({
      where: { id: criterionId, competence: { bloc: { versionId } } },
      select: { statement: true, competenceId: true },
    });
    if (!criterion) return { ok: false as const, formError: ITEM_NOT_FOUND };
    await tx.criterion.delete({ where: { id: criterionId } });
    await recordAudit(tx, {
      ...auditFields(actor),
      action: "referential.criterion.delete",
      subjectType: "Criterion",
      subjectId: criterionId,
      data: { versionId, ...criterion },
    });
    return { ok: true as const };
  });
}
