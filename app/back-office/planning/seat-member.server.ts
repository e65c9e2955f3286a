/**
 * Seats a person of the organisation in a planned session: président(e), vice-président(e), membre, observateur
 * or secrétaire de séance, with a college in a jury. Refused when a seat that evaluates or judges lacks a
 * habilitation valid on the session date, when the person trained a candidate of the session, or when the seat
 * is taken.
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import type { SeatRole } from "~/domain/access";
import {
  habilitationRefusal,
  habilitationStateForSession,
  seatConflicts,
  seatRequiresHabilitation,
  seatStructureRefusals,
  type College,
} from "~/domain/eligibility";
import {
  habilitationsOf,
  isRefusal,
  loadEditableSession,
  refuse,
  refuseField,
} from "./planning-context.server";

export type SeatMemberInput = { userId: string; role: SeatRole; college?: College | null };

export async function seatMember(
  sessionId: string,
  input: SeatMemberInput,
  actor: Actor,
): Promise<Result<{ memberId: string }>> {
  return prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId);
    if (isRefusal(ctx)) return ctx;
    const { session, certification, rules } = ctx;

    const membership = await tx.membership.findUnique({
      where: { userId_organisationId: { userId: input.userId, organisationId: actor.organisationId } },
      select: { user: { select: { id: true, displayName: true } } },
    });
    if (!membership) return refuseField("userId", "Choisissez une personne de votre organisation.");
    const person = { userId: membership.user.id, displayName: membership.user.displayName };
    const college = session.kind === "JURY" ? (input.college ?? null) : null;
    const seat = { ...person, role: input.role, college };

    const structure = seatStructureRefusals(session.kind, seat, ctx.seats);
    if (structure.length > 0) {
      const collegeError = structure.find((m) => m.startsWith("Indiquez le collège"));
      return collegeError ? refuseField("college", collegeError) : refuseField("userId", ...structure);
    }

    if (seatRequiresHabilitation(input.role)) {
      if (!certification) return refuse(["La session n'est rattachée à aucune certification."]);
      const habilitations = await habilitationsOf(tx, [person.userId], certification.id);
      const state = habilitationStateForSession(habilitations.get(person.userId) ?? [], session.startsAt);
      const refusal = habilitationRefusal(person.displayName, certification.title, state);
      if (refusal) return refuseField("userId", refusal);
    }

    const conflicts = seatConflicts(person, input.role, ctx.candidates, rules.evaluatorMustNotBeTrainer);
    if (conflicts.length > 0) return refuseField("userId", ...conflicts);

    const member = await tx.sessionMember.create({
      data: { sessionId: session.id, userId: person.userId, role: input.role, college },
    });
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      action: "session.member.seat",
      subjectType: "Session",
      subjectId: session.id,
      data: { memberId: member.id, userId: person.userId, displayName: person.displayName, role: input.role, college },
    });
    return { ok: true as const, memberId: member.id };
  });
}
