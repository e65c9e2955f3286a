/**
 * The organisation's retention period for signed and issued documents (years), shown on each archive entry.
 * Documents are never deleted whatever its value: it says how long the organisation commits to keep them.
 * Secretariat and administrators only; validated; audited in the same transaction. Idempotent.
 */
import { prisma } from "~/platform/db/db.server";
import { AppError, type Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";

export const RETENTION_MIN_YEARS = 5;
export const RETENTION_MAX_YEARS = 100;

export async function updateRetention(actor: Actor & { manages: boolean }, input: { years: string }) {
  if (!actor.manages) throw new AppError("FORBIDDEN", "Seuls le secrétariat et l'administration fixent la durée de conservation.");
  const text = input.years.trim();
  const years = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(years) || years < RETENTION_MIN_YEARS || years > RETENTION_MAX_YEARS) {
    throw AppError.field("retentionYears", `Indiquez un nombre entier d'années entre ${RETENTION_MIN_YEARS} et ${RETENTION_MAX_YEARS}.`);
  }
  return prisma.$transaction(async (tx) => {
    const before = await tx.organisation.findUniqueOrThrow({ where: { id: actor.organisationId }, select: { retentionYears: true } });
    if (before.retentionYears === years) return { retentionYears: years };
    await tx.organisation.update({ where: { id: actor.organisationId }, data: { retentionYears: years } });
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      action: "archive.retention_updated",
      subjectType: "Organisation",
      subjectId: actor.organisationId,
      data: { from: before.retentionYears, to: years },
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    return { retentionYears: years };
  });
}
