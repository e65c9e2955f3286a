/** Changes the notes of a draft version (what changed, why). Refused on a published version. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { changeDraftVersion } from "./shared.server";

export async function updateVersionNotes(actor: Actor, versionId: string, notes: string | null): Promise<{ ok: true } | Refusal> {
  return changeDraftVersion(actor, versionId, async (tx) => {
    const before = await tx.referentialVersion.findUniqueOrThrow({ where: { id: versionId }, select: { notes: true } });
    await tx.referentialVersion.update({ where: { id: versionId }, data: { notes } });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.version.notes",
      subjectType: "ReferentialVersion",
      subjectId: versionId,
      data: { before: before.notes, after: notes },
    });
    return { ok: true as const };
  });
}
