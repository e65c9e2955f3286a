/** Removes a criterion from a draft version. Refused on a published version. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { refusal, type Actor, type Refusal } from "~/platform/app-error";
import { ITEM_NOT_FOUND, changeDraftVersion } from "./shared.server";

export async function deleteCriterion(actor: Actor, versionId: string, criterionId: string): Promise<{ ok: true } | Refusal> {
  return changeDraftVersion(actor, versionId, async (tx) => {
    const criterion = await tx.criterion.findFirst({
      where: { id: criterionId, competence: { bloc: { versionId } } },
      select: { statement: true, competenceId: true },
    });
    if (!criterion) return refusal("CONFLICT", [ITEM_NOT_FOUND]);
    await tx.criterion.delete({ where: { id: criterionId } });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.criterion.delete",
      subjectType: "Criterion",
      subjectId: criterionId,
      data: { versionId, ...criterion },
    });
    return { ok: true as const };
  });
}
