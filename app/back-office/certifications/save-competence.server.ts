/** Adds a competence to a bloc of a draft version, or changes one. Refused on a published version. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { competenceCodeError, type Modality } from "~/domain/certification";
import { auditActor } from "~/platform/audit/record-audit.server";
import { fieldRefusal, refusal, type Actor, type Refusal } from "~/platform/app-error";
import { ITEM_NOT_FOUND, changeDraftVersion } from "./shared.server";

export type CompetenceInput = {
  competenceId?: string;
  blocId: string;
  code: string;
  statement: string;
  conditions: string | null;
  modalities: Modality[];
};

export async function saveCompetence(
  actor: Actor,
  versionId: string,
  input: CompetenceInput,
): Promise<{ ok: true; competenceId: string } | Refusal> {
  return changeDraftVersion(actor, versionId, async (tx) => {
    const bloc = await tx.bloc.findFirst({ where: { id: input.blocId, versionId }, select: { id: true } });
    if (!bloc) return refusal("CONFLICT", [ITEM_NOT_FOUND]);
    const code = input.code.trim();
    const codeError = competenceCodeError(code);
    if (codeError) return fieldRefusal("code", `Code : ${codeError}.`);
    const clash = await tx.competence.findFirst({
      where: { code, bloc: { versionId }, ...(input.competenceId ? { NOT: { id: input.competenceId } } : {}) },
      select: { id: true },
    });
    if (clash) {
      return fieldRefusal("code", `Le code ${code} est déjà celui d'une autre compétence de cette version.`);
    }
    const values = { code, statement: input.statement, conditions: input.conditions, modalities: input.modalities };

    if (input.competenceId) {
      const before = await tx.competence.findFirst({
        where: { id: input.competenceId, blocId: input.blocId },
        select: { code: true, statement: true, conditions: true, modalities: true },
      });
      if (!before) return refusal("CONFLICT", [ITEM_NOT_FOUND]);
      await tx.competence.update({ where: { id: input.competenceId }, data: values });
      await recordAudit(tx, {
        ...auditActor(actor),
        action: "referential.competence.update",
        subjectType: "Competence",
        subjectId: input.competenceId,
        data: { versionId, before, after: values },
      });
      return { ok: true as const, competenceId: input.competenceId };
    }
    const last = await tx.competence.findFirst({
      where: { blocId: input.blocId },
      orderBy: { position: "desc" },
      select: { position: true },
    });
    const competence = await tx.competence.create({
      data: { blocId: input.blocId, ...values, position: (last?.position ?? 0) + 1 },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.competence.create",
      subjectType: "Competence",
      subjectId: competence.id,
      data: { versionId, blocId: input.blocId, ...values },
    });
    return { ok: true as const, competenceId: competence.id };
  });
}
