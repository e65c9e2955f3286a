/** Removes a competence (with its criteria) from a draft version. Refused on a published version. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { refusal, type Actor, type Refusal } from "~/platform/app-error";
import { ITEM_NOT_FOUND, changeDraftVersion } from "./shared.server";

export async function deleteCompetence(actor: Actor, versionId: string, competenceId: string): Promise<{ ok: true } | Refusal> {
  return changeDraftVersion(actor, versionId, async (tx) => {
    const competence = await tx.competence.findFirst({
      where: { id: competenceId, bloc: { versionId } },
      select: { code: true, statement: true, blocId: true },
    });
    if (!competence) return refusal("CONFLICT", [ITEM_NOT_FOUND]);
    await tx.competence.delete({ where: { id: competenceId } });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.competence.delete",
      subjectType: "Competence",
      subjectId: competenceId,
      data: { versionId, ...competence },
    });
    return { ok: true as const };
  });
}
