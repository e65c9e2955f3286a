/**
 * Changes a planned session's title, date, times, place or means, and phase durations. Slots keep their Paris
 * wall-clock times on the new date and must still fit; every seated evaluator must still be habilitated on the
 * new date. A change of date, time or place voids the convocations already sent (to be sent again).
 */
import { refusal, type Actor, type Result } from "~/platform/app-error";
import { searchKeyOf } from "~/domain/search";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { habilitationRefusal, habilitationStateForSession, seatRequiresHabilitation } from "~/domain/eligibility";
import {
  parisLocalToUtc,
  phaseDurationsFrom,
  slotsOutsideSession,
  toParisParts,
  type SessionUpdateInput,
} from "~/domain/planning";
import { sessionInstants } from "./plan-session.server";
import {
  habilitationsOf,
  loadSessionForPlanning,
  NOT_EDITABLE,
  NOT_FOUND,
  refuse,
  toCandidateRef,
} from "./planning-context.server";

export async function updateSession(
  sessionId: string,
  input: SessionUpdateInput,
  actor: Actor,
  now = new Date(),
): Promise<Result<{ convocationsVoided: number }>> {
  const instants = sessionInstants(input, now);
  if (!instants.ok) return refusal("INVALID", [], instants.fieldErrors);
  const remote = input.mode === "remote";

  return prisma.$transaction(async (tx) => {
    const ctx = await loadSessionForPlanning(tx, sessionId, actor.organisationId);
    if (!ctx) return refuse([NOT_FOUND]);
    const { session, certification } = ctx;
    if (session.status !== "PLANNED") return refuse([NOT_EDITABLE]);

    // Slots keep their wall-clock times on the new date.
    const movedSlots = session.slots.map((s) => {
      const start = parisLocalToUtc(input.date, toParisParts(s.startsAt).time);
      const end = parisLocalToUtc(input.date, toParisParts(s.endsAt).time);
      return { id: s.id, candidateName: toCandidateRef(s.candidate).name, startsAt: start ?? s.startsAt, endsAt: end ?? s.endsAt };
    });
    const outside = slotsOutsideSession({ startsAt: instants.startsAt, endsAt: instants.endsAt }, movedSlots);
    if (outside.length > 0) return refuse(outside);

    if (certification) {
      const evaluators = ctx.seats.filter((s) => seatRequiresHabilitation(s.role));
      const habilitations = await habilitationsOf(tx, evaluators.map((s) => s.userId), certification.id);
      const refusals = evaluators
        .map((s) =>
          habilitationRefusal(
            s.displayName,
            certification.title,
            habilitationStateForSession(habilitations.get(s.userId) ?? [], instants.startsAt),
          ),
        )
        .filter((m): m is string => m !== null);
      if (refusals.length > 0) return refuse(refusals);
    }

    const place = remote ? null : (input.place ?? null);
    const remoteMeans = remote ? (input.remoteMeans ?? null) : null;
    const phaseDurations = session.kind === "COMMISSION" ? phaseDurationsFrom(input) : null;
    const logisticsChanged =
      session.startsAt.getTime() !== instants.startsAt.getTime() ||
      session.endsAt.getTime() !== instants.endsAt.getTime() ||
      session.remote !== remote ||
      session.place !== place ||
      session.remoteMeans !== remoteMeans;

    await tx.session.update({
      where: { id: session.id },
      data: {
        title: input.title,
        startsAt: instants.startsAt,
        endsAt: instants.endsAt,
        remote,
        place,
        remoteMeans,
        ...(phaseDurations ? { phaseDurations } : {}),
        searchKey: searchKeyOf(input.title, place),
      },
    });
    for (const slot of movedSlots) {
      await tx.sessionSlot.update({ where: { id: slot.id }, data: { startsAt: slot.startsAt, endsAt: slot.endsAt } });
    }
    let convocationsVoided = 0;
    if (logisticsChanged) {
      const voided = await tx.sessionMember.updateMany({
        where: { sessionId: session.id, convokedAt: { not: null } },
        data: { convokedAt: null },
      });
      convocationsVoided = voided.count;
    }
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      action: "session.update",
      subjectType: "Session",
      subjectId: session.id,
      data: {
        before: {
          title: session.title,
          startsAt: session.startsAt.toISOString(),
          endsAt: session.endsAt.toISOString(),
          remote: session.remote,
          place: session.place,
          remoteMeans: session.remoteMeans,
          phaseDurations: session.phaseDurations,
        },
        after: {
          title: input.title,
          startsAt: instants.startsAt.toISOString(),
          endsAt: instants.endsAt.toISOString(),
          remote,
          place,
          remoteMeans,
          phaseDurations,
        },
        convocationsVoided,
      },
    });
    return { ok: true as const, convocationsVoided };
  });
}
