/**
 * Use case: a voting member declares, for the candidate of an appeal on the jury's agenda, that he has no link with
 * him (« Je n'ai aucun lien avec ce candidat ») or a conflict of interest (which recuses him for that appeal), with an
 * optional note of at most 1,000 characters — the appeal's counterpart of declare-conflict (decision 0020): the jury
 * rules on an appeal only once every voting member present, not recused, has declared (decide-appeal). Refused once
 * the jury ruled on the appeal, and from a member recused for a link Quorum knows (the candidate's trainer or
 * evaluator: nothing to declare). A declaration does not need presence. Audited (jury.conflict_declared /
 * jury.no_conflict_declared, subject the appeal) and broadcast.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { knownLinkDeclarationRefusal } from "~/domain/jury-vote";
import {
  appealOnAgenda,
  broadcast,
  declarationNote,
  loadJury,
  lockJury,
  recusedForAppeal,
  requireDeclaringMember,
  type JuryCommand,
} from "./jury-context.server";

export async function declareAppealConflict(input: JuryCommand & { appealId: string; conflict: boolean; note?: string | null }) {
  const note = declarationNote(input.note);
  const changed = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requireDeclaringMember(ctx, input.actorId);
    const appeal = await appealOnAgenda(tx, ctx, input.appealId);
    if (appeal.status === "UPHELD" || appeal.status === "REJECTED") throw new AppError("CONFLICT", "Le jury a déjà statué sur ce recours.");
    if (ctx.session.status === "CLOSED") throw new AppError("CONFLICT", "La séance du jury est close.");
    // Recused for a link Quorum knows (his trainer, his evaluator): nothing to declare, « aucun lien » would be false.
    const knownLink = (await recusedForAppeal(tx, ctx, { dossierId: appeal.dossierId, declarations: [] })).get(input.actorId);
    const knownLinkRefusal = knownLinkDeclarationRefusal(knownLink);
    if (knownLinkRefusal) throw new AppError("CONFLICT", knownLinkRefusal);
    const previous = appeal.declarations.find((d) => d.userId === input.actorId);
    if (previous && previous.conflict === input.conflict && previous.note === note) return false; // the same declaration twice
    await tx.juryAppealDeclaration.upsert({
      where: { appealId_userId: { appealId: appeal.id, userId: input.actorId } },
      create: { appealId: appeal.id, userId: input.actorId, conflict: input.conflict, note },
      update: { conflict: input.conflict, note, declaredAt: new Date() },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: input.conflict ? "jury.conflict_declared" : "jury.no_conflict_declared",
      subjectType: "Appeal",
      subjectId: appeal.id,
      data: { sessionId: ctx.session.id, dossierId: appeal.dossierId, conflict: input.conflict, note },
      ...input.meta,
    });
    return true;
  });
  if (changed) {
    // As for a candidate on the agenda (declare-conflict): a conflict declared (or withdrawn) on the appeal bars (or
    // frees) the member from evaluating the candidate in a commission (`evaluationBar`): his open grids re-check now.
    await input.realtime
      .refreshUserAccess(input.actorId)
      .catch((error: unknown) => console.error(`[quorum] jury ${input.sessionId} : droits de ${input.actorId} sur les grilles non réévalués`, error));
    await broadcast(prisma, input, { type: "appeal-declaration", appealId: input.appealId, userId: input.actorId, conflict: input.conflict });
  }
  return { changed };
}
