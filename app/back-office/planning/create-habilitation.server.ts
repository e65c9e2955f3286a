/**
 * Habilitates a person of the organisation (evaluator, jury member) for one of its certifications, from one
 * date to another (both inclusive, date-only values stored at midnight UTC). A period overlapping another of the
 * same person and certification is refused, also when the form is submitted twice at once (lockHabilitations).
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { dateKeyToUtc, utcDateKey } from "~/domain/planning";
import { refuseField } from "./planning-context.server";
import { formatLongDay } from "~/domain/paris-date";

export type CreateHabilitationInput = { userId: string; certificationId: string; validFrom: string; validUntil: string };

/**
 * Serialises the habilitation changes of one person for one certification (transaction-level advisory lock),
 * before the « overlapping » or « more recent » check: two submits at once both passed it and both inserted.
 */
export async function lockHabilitations(tx: Prisma.TransactionClient, userId: string, certificationId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`habilitation|${userId}|${certificationId}`}, 0))`;
}

export async function createHabilitation(
  input: CreateHabilitationInput,
  actor: Actor,
): Promise<Result<{ habilitationId: string }>> {
  if (input.validUntil < input.validFrom) {
    return refuseField("validUntil", "La fin de validité doit être après le début.");
  }
  return prisma.$transaction(async (tx) => {
    const membership = await tx.membership.findUnique({
      where: { userId_organisationId: { userId: input.userId, organisationId: actor.organisationId } },
      select: { user: { select: { displayName: true } } },
    });
    const certification = await tx.certification.findFirst({
      where: { id: input.certificationId, organisationId: actor.organisationId },
      select: { id: true, code: true, title: true },
    });
    if (!membership) return refuseField("userId", "Choisissez une personne de votre organisation.");
    if (!certification) return refuseField("certificationId", "Choisissez une certification de votre organisation.");
    await lockHabilitations(tx, input.userId, certification.id);
    const validFrom = dateKeyToUtc(input.validFrom);
    const validUntil = dateKeyToUtc(input.validUntil);
    const overlapping = await tx.habilitation.findFirst({
      where: {
        userId: input.userId,
        certificationId: certification.id,
        validFrom: { lte: validUntil },
        validUntil: { gte: validFrom },
      },
      select: { validFrom: true, validUntil: true },
    });
    if (overlapping) {
      return refuseField(
        "validFrom",
        `${membership.user.displayName} est déjà habilité(e) pour cette certification du ${formatLongDay(
          utcDateKey(overlapping.validFrom),
        )} au ${formatLongDay(utcDateKey(overlapping.validUntil))} : renouvelez cette habilitation.`,
      );
    }
    const habilitation = await tx.habilitation.create({
      data: { userId: input.userId, certificationId: certification.id, validFrom, validUntil },
    });
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      action: "habilitation.create",
      subjectType: "Habilitation",
      subjectId: habilitation.id,
      data: {
        userId: input.userId,
        person: membership.user.displayName,
        certification: certification.code,
        validFrom: input.validFrom,
        validUntil: input.validUntil,
      },
    });
    return { ok: true as const, habilitationId: habilitation.id };
  });
}
