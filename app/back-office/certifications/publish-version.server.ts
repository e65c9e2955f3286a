/**
 * Publishes a draft: checks that it is complete (the import rules: blocs, competences, criteria, codes), then
 * freezes it (publishedAt). Sessions and dossiers pin published versions, which never change again. Irreversible, so
 * the secretariat confirms it (`confirmed`: the page's « Je confirme la publication » box); without it nothing is
 * written and the refusal, at that box, says what publishing makes impossible.
 */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { formatImportError, validateReferential } from "~/domain/referential-import";
import { readVersionContent } from "./read-version-content.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { fieldRefusal, refusal, type Actor, type Result } from "~/platform/app-error";
import { changeDraftVersion } from "./shared.server";

/** The refusal of a publication not confirmed, at the confirmation box. */
export const PUBLISH_NOT_CONFIRMED =
  "Cochez la confirmation pour publier : une fois publiée, la version est figée et ne pourra plus être modifiée ni supprimée.";

export async function publishVersion(
  actor: Actor,
  versionId: string,
  options: { confirmed: boolean },
): Promise<Result<{ publishedAt: Date }>> {
  return changeDraftVersion(actor, versionId, async (tx, draft) => {
    const content = await readVersionContent(tx, versionId);
    const check = validateReferential(content, draft.certificationCode);
    if (!check.ok) {
      // The message, then each problem on its own line (as AppError's details).
      return refusal("INVALID", [
        "Cette version est incomplète ou contient des erreurs : corrigez-les avant de la publier.",
        ...check.errors.map(formatImportError),
      ]);
    }
    // After the completeness check: an incomplete draft says what to correct first, confirmed or not.
    if (!options.confirmed) return fieldRefusal("confirm", PUBLISH_NOT_CONFIRMED);
    const publishedAt = new Date();
    await tx.referentialVersion.update({ where: { id: versionId }, data: { publishedAt } });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.publish",
      subjectType: "ReferentialVersion",
      subjectId: versionId,
      data: { certificationId: draft.certificationId, version: draft.version, blocs: content.blocs.length },
    });
    return { ok: true as const, publishedAt };
  });
}
