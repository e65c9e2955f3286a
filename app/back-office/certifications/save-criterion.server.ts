/** Adds a criterion to a competence of a draft version, or changes one. Refused on a published version. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { refusal, type Actor, type Refusal } from "~/platform/app-error";
import { ITEM_NOT_FOUND, changeDraftVersion } from "./shared.server";

export type CriterionInput = {
  criterionId?: string;
  competenceId: string;
  statement: string;
  measurable: boolean;
  mandatory: boolean;
  expected: string | null;
};

export async function saveCriterion(
  actor: Actor,
  versionId: string,
  input: CriterionInput,
): Promise<{ ok: true; criterionId: string } | Refusal> {
  return changeDraftVersion(actor, versionId, async (tx) => {
    const competence = await tx.competence.findFirst({
      where: { id: input.competenceId, bloc: { versionId } },
      select: { id: true },
    });
    if (!competence) return refusal("CONFLICT", [ITEM_NOT_FOUND]);
    const values = {
      statement: input.statement,
      measurable: input.measurable,
      mandatory: input.mandatory,
      expected: input.expected,
    };
    if (input.criterionId) {
      const before = await tx.criterion.findFirst({
        where: { id: input.criterionId, competenceId: input.competenceId },
        select: { statement: true, measurable: true, mandatory: true, expected: true },
      });
      if (!before) return refusal("CONFLICT", [ITEM_NOT_FOUND]);
      await tx.criterion.update({ where: { id: input.criterionId }, data: values });
      await recordAudit(tx, {
        ...auditActor(actor),
        action: "referential.criterion.update",
        subjectType: "Criterion",
        subjectId: input.criterionId,
        data: { versionId, before, after: values },
      });
      return { ok: true as const, criterionId: input.criterionId };
    }
    const last = await tx.criterion.findFirst({
      where: { competenceId: input.competenceId },
      orderBy: { position: "desc" },
      select: { position: true },
    });
    const criterion = await tx.criterion.create({
      data: { competenceId: input.competenceId, ...values, position: (last?.position ?? 0) + 1 },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.criterion.create",
      subjectType: "Criterion",
      subjectId: criterion.id,
      data: { versionId, competenceId: input.competenceId, ...values },
    });
    return { ok: true as const, criterionId: criterion.id };
  });
}
