/** Adds a bloc to a draft version, or changes a bloc's code and title. Refused on a published version. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { blocCodeError } from "~/domain/certification";
import { auditActor } from "~/platform/audit/record-audit.server";
import { fieldRefusal, refusal, type Actor, type Refusal } from "~/platform/app-error";
import { ITEM_NOT_FOUND, changeDraftVersion } from "./shared.server";

export type BlocInput = { blocId?: string; code: string; title: string };

export async function saveBloc(actor: Actor, versionId: string, input: BlocInput): Promise<{ ok: true; blocId: string } | Refusal> {
  return changeDraftVersion(actor, versionId, async (tx, draft) => {
    const code = input.code.trim().toUpperCase();
    const codeError = blocCodeError(draft.certificationCode, code);
    if (codeError) return fieldRefusal("code", `Code : ${codeError}.`);
    const clash = await tx.bloc.findFirst({
      where: { versionId, code, ...(input.blocId ? { NOT: { id: input.blocId } } : {}) },
      select: { id: true },
    });
    if (clash) return fieldRefusal("code", `Le code ${code} est déjà celui d'un autre bloc de cette version.`);

    if (input.blocId) {
      const before = await tx.bloc.findFirst({ where: { id: input.blocId, versionId }, select: { code: true, title: true } });
      if (!before) return refusal("CONFLICT", [ITEM_NOT_FOUND]);
      await tx.bloc.update({ where: { id: input.blocId }, data: { code, title: input.title } });
      await recordAudit(tx, {
        ...auditActor(actor),
        action: "referential.bloc.update",
        subjectType: "Bloc",
        subjectId: input.blocId,
        data: { versionId, before, after: { code, title: input.title } },
      });
      return { ok: true as const, blocId: input.blocId };
    }
    const last = await tx.bloc.findFirst({ where: { versionId }, orderBy: { position: "desc" }, select: { position: true } });
    const bloc = await tx.bloc.create({
      data: { versionId, code, title: input.title, position: (last?.position ?? 0) + 1 },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "referential.bloc.create",
      subjectType: "Bloc",
      subjectId: bloc.id,
      data: { versionId, code, title: input.title },
    });
    return { ok: true as const, blocId: bloc.id };
  });
}
