/**
 * Use case: revoke a delivery record with a reason (never deleted). One transaction: revokedAt + reason and the
 * audit event; then the credential's status bit is set (revokeOpenBadge), so a wallet's status check fails.
 * Idempotent: revoking a revoked record changes nothing, also when two revocations run at once (the first wins).
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { revokeOpenBadge } from "./credentials/open-badge.server";
import type { CredentialsContext } from "./credentials/issuer.server";
import { credentialsContext } from "./finish-record.server";

export async function revokeRecord(
  input: { actor: Actor; recordId: string; reason: string },
  context: CredentialsContext = credentialsContext(),
) {
  const reason = input.reason.trim();
  if (reason.length < 3) throw AppError.field("reason", "Indiquez le motif de la révocation.");
  const record = await prisma.$transaction(async (tx) => {
    const found = await tx.deliveryRecord.findUnique({ where: { id: input.recordId } });
    if (!found || found.organisationId !== input.actor.organisationId) throw new AppError("NOT_FOUND", "Document introuvable.");
    if (found.revokedAt) return found;
    // Guarded by « not revoked yet »: a revocation committed since the read above (a double submit, or the
    // revocation that follows an appeal) wins; this one changes nothing and records nothing.
    const { count } = await tx.deliveryRecord.updateMany({
      where: { id: found.id, revokedAt: null },
      data: { revokedAt: new Date(), revocationReason: reason },
    });
    const updated = await tx.deliveryRecord.findUniqueOrThrow({ where: { id: found.id } });
    if (count === 0) return updated;
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: "delivery.record.revoked",
      subjectType: "DeliveryRecord",
      subjectId: found.id,
      data: { number: found.number, reason },
    });
    return updated;
  });
  if (record.credentialId) await revokeOpenBadge(context, record.organisationId, record.credentialId);
  return record;
}
