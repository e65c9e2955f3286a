/**
 * Use case: the sitting's president reports a candidate to a later jury (« Reporter à un jury ultérieur »), when
 * recusals alone leave nobody to deliberate on her in this jury (a college without members entitled to it, or no chair
 * to conduct it: recusalDeadlock) and the sitting is open, so its composition and agenda no longer change. Without it
 * the jury could neither deliberate on her nor close (close-jury-session: every candidate decided).
 *
 * Only whoever presides the SITTING (requirePresiding, recusals for her not considered: reporting her is not
 * deliberating on her), only while the sitting is open, only for a candidate in deadlock, without a decision and with
 * no vote open on her; anything else is refused with its French reason. Irreversible, so confirmed (`confirmed`, the
 * room's « Oui, reporter »). The agenda item is marked postponed (when, by whom, why: the deadlock's statement), the
 * dossier goes back to COMPLETE as when it is withdrawn in planning, so the secretariat puts it on another jury's
 * agenda. Retried, it is the same report (nothing written again). Audited (`jury.candidate_postponed`) and broadcast.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { candidateName } from "~/domain/identity";
import { dossierBackToComplete, dossierBackToCompleteAudit } from "~/back-office/planning/planning-context.server";
import {
  agendaItemOf,
  broadcast,
  candidateDeadlock,
  evaluationsOfDossier,
  loadJury,
  lockJury,
  recusalsOf,
  requireInProgress,
  requirePresiding,
  type JuryCommand,
} from "./jury-context.server";

/** The refusal of a report not confirmed: what it does, as the room says before « Oui, reporter ». */
export const POSTPONE_NOT_CONFIRMED =
  "Confirmez le report : le candidat ne sera pas délibéré dans cette séance, et son dossier retournera au secrétariat pour être inscrit à l'ordre du jour d'un autre jury.";

export const NOT_IN_DEADLOCK =
  "Ce candidat peut être délibéré dans ce jury : seul un candidat que les récusations laissent sans personne pour délibérer sur ce candidat (ou sans président pour conduire sa délibération) peut être reporté à un jury ultérieur.";

export async function postponeCandidate(input: JuryCommand & { agendaItemId: string; confirmed?: boolean }) {
  const result = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    requirePresiding(ctx, input.actorId);
    const item = agendaItemOf(ctx, input.agendaItemId);
    // A double click, or a retry after a lost answer: already reported, nothing more to do.
    if (item.postponedAt) return { agendaItemId: item.id, changed: false };
    requireInProgress(ctx);
    if (item.decision) throw new AppError("CONFLICT", "La décision est rendue pour ce candidat : il ne peut plus être reporté à un jury ultérieur.");
    if (ctx.session.polls.some((p) => p.agendaItemId === item.id && p.state === "STARTED")) {
      throw new AppError("CONFLICT", "Un vote est en cours sur ce candidat : clôturez-le avant de le reporter à un jury ultérieur.");
    }
    const evaluations = await evaluationsOfDossier(tx, {
      dossierId: item.dossierId,
      candidateId: item.dossier.candidateId,
      certificationId: ctx.session.referentialVersion?.certification.id ?? "",
    });
    const deadlock = candidateDeadlock(ctx, recusalsOf(ctx, item, [...evaluations.keys()]), evaluations);
    if (!deadlock) throw new AppError("CONFLICT", NOT_IN_DEADLOCK);
    // Last: a report that cannot be made says why, whether confirmed or not.
    if (input.confirmed !== true) throw new AppError("INVALID", POSTPONE_NOT_CONFIRMED);

    const now = new Date();
    // Who is recused and why, as the room said it: what the minutes print as the reason.
    const reason = deadlock.lines.join(" ");
    // Guarded: a concurrent report (the jury's lock serialises them anyway) writes nothing twice.
    const marked = await tx.juryAgendaItem.updateMany({
      where: { id: item.id, postponedAt: null, decision: { is: null } },
      data: { postponedAt: now, postponedById: input.actorId, postponedReason: reason },
    });
    if (marked.count !== 1) return { agendaItemId: item.id, changed: false };
    // Awaiting a jury again, as when withdrawn in planning: the secretariat puts it on another jury's agenda. (The
    // dossier's row before the audit chain's, the order every use case takes them in.)
    const reverted = await dossierBackToComplete(tx, { dossierId: item.dossierId, organisationId: ctx.session.organisationId });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.candidate_postponed",
      subjectType: "JuryAgendaItem",
      subjectId: item.id,
      data: { sessionId: ctx.session.id, agendaItemId: item.id, dossierId: item.dossierId, candidate: candidateName(item.dossier.candidate), reason, at: now.toISOString() },
      ...input.meta,
    });
    if (reverted) {
      await recordAudit(
        tx,
        dossierBackToCompleteAudit({ dossierId: item.dossierId, sessionId: ctx.session.id, organisationId: ctx.session.organisationId, actorId: input.actorId, ...input.meta }),
      );
    }
    return { agendaItemId: item.id, changed: true };
  });
  if (result.changed) await broadcast(prisma, input, { type: "postponed", agendaItemId: result.agendaItemId });
  return { changed: result.changed };
}
