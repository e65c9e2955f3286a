/**
 * Use case: the president closes the sitting: every candidate decided (or reported to a later jury), no vote open, every appeal on its agenda decided
 * (an appeal the jury was convened to hear is told in its minutes with its outcome: closing with one still pending
 * would leave the appellant without an answer and the minutes without it); actual end time recorded. Irreversible (the
 * sitting is never reopened: no arrival, departure or proxy, no vote, decision or appeal ruling after it), so the
 * president confirms it (`confirmed`, the room's « Oui, lever la séance »); without it nothing is written and the
 * answer says what closing would make impossible.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { candidateName } from "~/domain/identity";
import { broadcast, loadJury, lockJury, requirePresiding, type JuryCommand } from "./jury-context.server";

/** The refusal of a close not confirmed: what closing makes impossible, as the room says before « Oui, lever la séance » (app/components/jury/jury-room.tsx). */
export const CLOSE_NOT_CONFIRMED =
  "Confirmez la levée de la séance : une fois levée, elle ne peut plus être rouverte, et l'émargement, les procurations, les votes, les décisions et les recours ne peuvent plus être enregistrés ni modifiés.";

export async function closeJurySession(input: JuryCommand & { confirmed?: boolean }) {
  const changed = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requirePresiding(ctx, input.actorId);
    if (ctx.session.status === "CLOSED") return false;
    if (ctx.session.status === "PLANNED") throw new AppError("CONFLICT", "La séance du jury n'a pas commencé.");
    if (ctx.session.polls.some((p) => p.state === "STARTED")) {
      throw new AppError("CONFLICT", "Un vote est en cours : clôturez-le avant de lever la séance.");
    }
    // A candidate reported to a later jury (recusal deadlock) is not deliberated here: no decision awaited.
    const undecided = ctx.session.agenda.filter((a) => !a.decision && !a.postponedAt);
    if (undecided.length > 0) {
      throw new AppError("CONFLICT", "Des candidats n'ont pas encore de décision : la séance ne peut être close.", {
        details: undecided.map((a) => `${a.dossier.candidate.givenNames} ${a.dossier.candidate.usageName ?? a.dossier.candidate.birthName}`),
      });
    }
    // On its agenda and not decided (upheld or rejected) yet: still to be heard.
    const pendingAppeals = await tx.appeal.findMany({
      where: { sessionId: ctx.session.id, status: { in: ["RECEIVED", "SCHEDULED"] } },
      orderBy: { receivedAt: "asc" },
      select: { dossierId: true },
    });
    if (pendingAppeals.length > 0) {
      const dossiers = await tx.dossier.findMany({
        where: { id: { in: pendingAppeals.map((a) => a.dossierId) } },
        select: { id: true, candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true } } },
      });
      const nameOf = new Map(dossiers.map((d) => [d.id, candidateName(d.candidate)]));
      throw new AppError(
        "CONFLICT",
        `${pendingAppeals.length > 1 ? `${pendingAppeals.length} recours inscrits à l'ordre du jour n'ont` : "Un recours inscrit à l'ordre du jour n'a"} pas encore été tranché${pendingAppeals.length > 1 ? "s" : ""} : la séance ne peut être close. Statuez sur ${pendingAppeals.length > 1 ? "chacun" : "ce recours"} (« Recours examinés ») avant de lever la séance.`,
        { details: pendingAppeals.map((a) => `Recours de ${nameOf.get(a.dossierId) ?? "candidat inconnu"}`) },
      );
    }
    // Last: a sitting that cannot close yet says why, whether confirmed or not.
    if (input.confirmed !== true) throw new AppError("INVALID", CLOSE_NOT_CONFIRMED);
    const now = new Date();
    await tx.session.update({ where: { id: ctx.session.id }, data: { status: "CLOSED", actualEndAt: now } });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.session_closed",
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: { at: now.toISOString() },
      ...input.meta,
    });
    return true;
  });
  if (changed) await broadcast(prisma, input, { type: "session", status: "CLOSED" });
  return { changed };
}
