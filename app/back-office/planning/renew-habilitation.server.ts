/**
 * Renews a habilitation: a new period for the same person and certification, from the day after the current one
 * ends (or today, when it has already expired) to the chosen date. The previous periods stay as history.
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { addDays, dateKeyToUtc, parisDateKey, utcDateKey } from "~/domain/planning";
import { lockHabilitations } from "./create-habilitation.server";
import { refuse, refuseField } from "./planning-context.server";
import { formatLongDay } from "~/domain/paris-date";

export async function renewHabilitation(
  habilitationId: string,
  input: { validUntil: string },
  actor: Actor,
  now = new Date(),
): Promise<Result<{ habilitationId: string }>> {
  return prisma.$transaction(async (tx) => {
    const current = await tx.habilitation.findFirst({
      where: {
        id: habilitationId,
        certification: { organisationId: actor.organisationId },
        user: { memberships: { some: { organisationId: actor.organisationId } } },
      },
      select: {
        id: true,
        userId: true,
        certificationId: true,
        validUntil: true,
        user: { select: { displayName: true } },
        certification: { select: { code: true } },
      },
    });
    if (!current) return refuse(["Cette habilitation n'existe pas ou n'appartient pas à votre organisation."]);
    await lockHabilitations(tx, current.userId, current.certificationId);
    const later = await tx.habilitation.findFirst({
      where: { userId: current.userId, certificationId: current.certificationId, validUntil: { gt: current.validUntil } },
      select: { id: true },
    });
    if (later) return refuse(["Une habilitation plus récente existe déjà : renouvelez celle-ci."]);

    const today = parisDateKey(now);
    const dayAfter = addDays(utcDateKey(current.validUntil), 1);
    const validFrom = dayAfter > today ? dayAfter : today;
    if (input.validUntil < validFrom) {
      return refuseField(
        "validUntil",
        `La nouvelle échéance doit être au plus tôt le ${formatLongDay(validFrom)}.`,
      );
    }
    const renewed = await tx.habilitation.create({
      data: {
        userId: current.userId,
        certificationId: current.certificationId,
        validFrom: dateKeyToUtc(validFrom),
        validUntil: dateKeyToUtc(input.validUntil),
      },
    });
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      action: "habilitation.renew",
      subjectType: "Habilitation",
      subjectId: renewed.id,
      data: {
        previousId: current.id,
        userId: current.userId,
        person: current.user.displayName,
        certification: current.certification.code,
        validFrom,
        validUntil: input.validUntil,
      },
    });
    return { ok: true as const, habilitationId: renewed.id };
  });
}
