/** Use case: the president (or the vice-president in their absence) moves a candidate to the next phase. */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { JURY_PHASES, juryPhaseRefusal, type JuryPhase } from "~/domain/jury-decision";
import { broadcast, presideOnCandidate, type JuryCommand } from "./jury-context.server";

export async function advanceCandidatePhase(input: JuryCommand & { agendaItemId: string; to: string }) {
  const to = input.to as JuryPhase;
  if (!JURY_PHASES.includes(to)) throw AppError.field("to", "Étape inconnue.");
  const changed = await prisma.$transaction(async (tx) => {
    const { ctx, item } = await presideOnCandidate(tx, input);
    if (item.phase === to) return false;
    const refusal = juryPhaseRefusal(item.phase, to, item.decision !== null);
    if (refusal) throw new AppError("CONFLICT", refusal);
    await tx.juryAgendaItem.update({ where: { id: item.id }, data: { phase: to, phaseStartedAt: new Date() } });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: "jury.phase_changed",
      subjectType: "JuryAgendaItem",
      subjectId: item.id,
      data: { sessionId: ctx.session.id, from: item.phase, to },
      ...input.meta,
    });
    return true;
  });
  if (changed) await broadcast(prisma, input, { type: "phase", agendaItemId: input.agendaItemId, phase: to });
  return { changed };
}
