/**
 * Puts a candidate (through one of their dossiers for the session's certification) on a commission's timetable.
 * The slot falls inside the session, overlaps no other slot, and the candidate's trainer does not sit. A dossier on a
 * jury's agenda or decided gets no new passage (`commissionPassageRefusal`).
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import type { DossierStatus } from "~/domain/completeness";
import { candidateConflicts } from "~/domain/eligibility";
import { checkSlotTiming, commissionPassageRefusal, parisLocalToUtc, readPhaseDurations, toParisParts, totalPhaseMinutes } from "~/domain/planning";
import { NONEXISTENT_TIME } from "./plan-session.server";
import {
  isRefusal,
  loadEditableSession,
  refuseField,
  toCandidateRef,
} from "./planning-context.server";

export type AddSlotInput = { dossierId: string; startTime: string; endTime?: string };

export async function addSlot(
  sessionId: string,
  input: AddSlotInput,
  actor: Actor,
): Promise<Result<{ slotId: string }>> {
  return prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId, {
      required: "COMMISSION",
      otherwise: "Un jury n'a pas de créneaux de passage : ajoutez les dossiers à son ordre du jour.",
    });
    if (isRefusal(ctx)) return ctx;
    const { session, certification, rules } = ctx;

    // After the session (the planning's lock order), the dossier's row lock, the one putting it on a jury's agenda
    // takes (./add-agenda-item.server.ts): its status is judged as it is now, not before an agenda change committing
    // meanwhile.
    await tx.$executeRaw`SELECT 1 FROM "Dossier" WHERE "id" = ${input.dossierId} AND "organisationId" = ${actor.organisationId} FOR NO KEY UPDATE`;
    const dossier = await tx.dossier.findFirst({
      where: { id: input.dossierId, organisationId: actor.organisationId },
      select: {
        id: true,
        status: true,
        certificationId: true,
        candidate: { select: { id: true, birthName: true, usageName: true, givenNames: true, trainerId: true } },
        agendaItems: { orderBy: { session: { startsAt: "desc" } }, take: 1, select: { session: { select: { title: true } } } },
      },
    });
    if (!dossier || dossier.certificationId !== certification?.id) {
      return refuseField("dossierId", "Choisissez un candidat ayant un dossier pour la certification de la session.");
    }
    const candidate = toCandidateRef(dossier.candidate);
    // On a jury's agenda or decided: no new passage (app/domain/planning.ts says when one is legitimate).
    const closed = commissionPassageRefusal({
      status: dossier.status as DossierStatus,
      candidateName: candidate.name,
      jury: dossier.agendaItems[0]?.session ?? null,
    });
    if (closed) return refuseField("dossierId", closed);
    if (session.slots.some((s) => s.candidateId === dossier.candidate.id)) {
      return refuseField("dossierId", `${candidate.name} a déjà un créneau dans cette session.`);
    }

    const day = toParisParts(session.startsAt).date;
    const startsAt = parisLocalToUtc(day, input.startTime);
    if (!startsAt) return refuseField("startTime", NONEXISTENT_TIME);
    let endsAt: Date | null;
    if (input.endTime) {
      endsAt = parisLocalToUtc(day, input.endTime);
      if (!endsAt) return refuseField("endTime", NONEXISTENT_TIME);
    } else {
      endsAt = new Date(startsAt.getTime() + totalPhaseMinutes(readPhaseDurations(session.phaseDurations)) * 60_000);
    }
    const existing = session.slots.map((s) => ({
      id: s.id,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      candidateName: toCandidateRef(s.candidate).name,
    }));
    const timing = checkSlotTiming({ startsAt, endsAt }, session, existing);
    if (timing) return refuseField(timing.includes("fin du créneau") ? "endTime" : "startTime", timing);

    const conflicts = candidateConflicts(
      candidate,
      ctx.seats,
      rules.evaluatorMustNotBeTrainer,
    );
    if (conflicts.length > 0) return refuseField("dossierId", ...conflicts);

    const position = session.slots.reduce((max, s) => Math.max(max, s.position), 0) + 1;
    const slot = await tx.sessionSlot.create({
      data: { sessionId: session.id, candidateId: dossier.candidate.id, dossierId: dossier.id, startsAt, endsAt, position },
    });
    // Keep the order of passage chronological.
    const ordered = [...existing.map((s) => ({ id: s.id, startsAt: s.startsAt })), { id: slot.id, startsAt }].sort(
      (a, b) => a.startsAt.getTime() - b.startsAt.getTime(),
    );
    for (const [i, s] of ordered.entries()) {
      await tx.sessionSlot.update({ where: { id: s.id }, data: { position: i + 1 } });
    }
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      action: "session.slot.add",
      subjectType: "Session",
      subjectId: session.id,
      data: {
        slotId: slot.id,
        dossierId: dossier.id,
        candidateId: dossier.candidate.id,
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
      },
    });
    return { ok: true as const, slotId: slot.id };
  });
}
