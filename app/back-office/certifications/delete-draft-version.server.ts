/** Deletes a draft version that nothing pins yet (a published version is never deleted). */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { refusal, type Actor, type Refusal } from "~/platform/app-error";
import { changeDraftVersion } from "./shared.server";

export async function deleteDraftVersion(actor: Actor, versionId: string): Promise<{ ok: true; certificationId: string } | Refusal> {
  return changeDraftVersion(actor, versionId, async (tx, draft) => {
    const pins = await tx.referentialVersion.findUniqueOrThrow({
      where: { id: versionId },
      select: { _count: { select: { sessions: true, dossiers: true } } },
    });
    if (pins._count.sessions > 0 || pins._count.dossiers > 0) {
      return refusal("CONFLICT", ["Ce brouillon est déjà utilisé par une session ou un dossier : il ne peut pas être supprimé."]);
    }
    await tx.referentialVersion.delete({ where: { id: versionId } });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.version.delete",
      subjectType: "ReferentialVersion",
      subjectId: versionId,
      data: { certificationId: draft.certificationId, version: draft.version },
    });
    return { ok: true as const, certificationId: draft.certificationId };
  });
}
