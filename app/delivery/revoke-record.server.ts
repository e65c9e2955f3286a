/**
 * Use case: revoke a delivery record with a reason (never deleted), and with it its whole chain — the original and
 * every duplicate, at any depth: they attest the same jury decision, so a secretariat revoking any of them (the
 * original, or a duplicate « perdu » then found to be wrong) revokes the decision's document, and none of its copies
 * may stay « Valide » on /verifier or in a wallet. One transaction under the chain's lock (./record-chain.server.ts):
 * revokedAt + reason on every record of the chain not yet revoked, each with its audit event: that commit is the
 * revocation, and the status list served to wallets reads it (./get-status-list.server.ts); each credential's status
 * bit is then also written to the list's file (revokeOpenBadge), a cache that a failed write leaves to be repaired.
 * Idempotent: revoking a revoked chain changes nothing, also when two revocations run at once (the first wins); a
 * chain left partly revoked (records revoked one by one before chains were) is completed.
 */
import { textRefusal } from "~/domain/safe-text";
import { motiveProblem, MOTIVE_TOO_SHORT } from "~/domain/motive";
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { revokeOpenBadge } from "./credentials/open-badge.server";
import type { CredentialsContext } from "./credentials/issuer.server";
import { credentialsContext } from "./finish-record.server";
import { lockRecordChain } from "./record-chain.server";

/** As the record card's field allows: the reason is printed on every card and on /verifier. */
export const REVOCATION_REASON_MAX = 500;

export async function revokeRecord(
  input: { actor: Actor; recordId: string; reason: string },
  context: CredentialsContext = credentialsContext(),
) {
  const reason = input.reason.trim();
  if (reason.length < 3) throw AppError.field("reason", "Indiquez le motif de la révocation.");
  // Printed on the public verification page: words, not « ... » or « --- » (app/domain/motive.ts).
  if (motiveProblem(reason)) throw AppError.field("reason", `Indiquez le motif de la révocation : ${MOTIVE_TOO_SHORT}.`);
  if (reason.length > REVOCATION_REASON_MAX) {
    throw AppError.field("reason", `Le motif de la révocation tient en ${REVOCATION_REASON_MAX} caractères au plus.`);
  }
  // Printed in the register and the verification page, kept in the audit trail: nothing hidden or reversed in it.
  const reasonRefusal = textRefusal(reason, { multiline: true });
  if (reasonRefusal) throw AppError.field("reason", reasonRefusal);
  const { record, revoked } = await prisma.$transaction(async (tx) => {
    const { record: found, chain } = await lockRecordChain(tx, input.actor.organisationId, input.recordId);
    const revokedAt = new Date();
    // Every row of the chain first, then the audit events: the audit chain's lock is taken last (decision 0017), so
    // a render job holding a duplicate's row while it waits for that lock never deadlocks with this revocation.
    const pending = chain.filter((member) => !member.revokedAt);
    // Guarded by « not revoked yet » as well (the chain's lock already serialises the revocations).
    const updated = new Set(
      (
        await tx.deliveryRecord.updateManyAndReturn({
          where: { id: { in: pending.map((member) => member.id) }, revokedAt: null },
          data: { revokedAt, revocationReason: reason },
          select: { id: true },
        })
      ).map((row) => row.id),
    );
    const revoked: string[] = [];
    for (const member of pending) {
      if (!updated.has(member.id)) continue;
      await recordAudit(tx, {
        ...auditActor(input.actor),
        action: "delivery.record.revoked",
        subjectType: "DeliveryRecord",
        subjectId: member.id,
        data: member.id === found.id ? { number: member.number, reason } : { number: member.number, reason, withChainOf: found.number },
      });
      revoked.push(member.id);
    }
    return {
      record: await tx.deliveryRecord.findUniqueOrThrow({ where: { id: found.id } }),
      // Read after the updates (rows now ours): a credential stored meanwhile by a render job is seen.
      revoked: await tx.deliveryRecord.findMany({
        where: { id: { in: revoked } },
        orderBy: [{ year: "asc" }, { sequence: "asc" }],
        select: { number: true, organisationId: true, credentialId: true },
      }),
    };
  });
  // The status-list file is a cache of the database: the list served (./get-status-list.server.ts) marks every
  // revoked record's credential, so the revocation holds from the commit even if this write fails (disk full, file
  // not writable, crash here); the next read of the list writes it again. A record whose credential is not issued
  // yet gets its bit when it is (ensureCredential).
  for (const member of revoked) {
    if (!member.credentialId) continue;
    await revokeOpenBadge(context, member.organisationId, member.credentialId).catch((error: unknown) => {
      console.error(`Révocation de ${member.number} : liste de révocation non enregistrée (elle le sera à sa prochaine lecture)`, error);
    });
  }
  /** `revokedNumbers`: the chain's records this call revoked (none when it was already revoked). */
  return { ...record, revokedNumbers: revoked.map((member) => member.number) };
}
