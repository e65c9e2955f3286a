/** Removes a bloc (with its competences and criteria) from a draft version. Refused on a published version. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { refusal, type Actor, type Refusal } from "~/platform/app-error";
import { ITEM_NOT_FOUND, changeDraftVersion } from "./shared.server";

export async function deleteBloc(actor: Actor, versionId: string, blocId: string): Promise<{ ok: true } | Refusal> {
  return changeDraftVersion(actor, versionId, async (tx) => {
    const bloc = await tx.bloc.findFirst({
      where: { id: blocId, versionId },
      select: { code: true, title: true, _count: { select: { competences: true, dossierBlocs: true } } },
    });
    if (!bloc) return refusal("CONFLICT", [ITEM_NOT_FOUND]);
    if (bloc._count.dossierBlocs > 0) {
      return refusal("CONFLICT", [`Le bloc ${bloc.code} est visé par des dossiers : il ne peut pas être supprimé.`]);
    }
    await tx.bloc.delete({ where: { id: blocId } });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.bloc.delete",
      subjectType: "Bloc",
      subjectId: blocId,
      data: { versionId, code: bloc.code, title: bloc.title, competences: bloc._count.competences },
    });
    return { ok: true as const };
  });
}
