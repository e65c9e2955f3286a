/**
 * A delivery record's chain (its original and every duplicate, app/domain/delivery-record.ts `recordChain`), read
 * inside the caller's transaction under a row lock on the chain's original (FOR NO KEY UPDATE), so a revocation and
 * a duplicate of the same chain wait for each other: a duplicate never slips past a revocation that did not see it.
 * Lock order (docs/decisions/0017-lock-order.md): the record's original, then the counters and the audit chain.
 */
import { AppError } from "~/platform/app-error";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { chainRoot, recordChain } from "~/domain/delivery-record";

export async function lockRecordChain(tx: Prisma.TransactionClient, organisationId: string, recordId: string) {
  const found = await tx.deliveryRecord.findUnique({ where: { id: recordId }, select: { organisationId: true, candidateId: true } });
  if (!found || found.organisationId !== organisationId) throw new AppError("NOT_FOUND", "Document introuvable.");
  // Duplicates keep their original's candidate: the candidate's records hold the whole chain.
  const links = () =>
    tx.deliveryRecord.findMany({ where: { organisationId, candidateId: found.candidateId }, orderBy: [{ year: "asc" }, { sequence: "asc" }] });
  const root = chainRoot(await links(), recordId);
  if (!root) throw new AppError("NOT_FOUND", "Document introuvable.");
  await tx.$executeRaw`SELECT 1 FROM "DeliveryRecord" WHERE "id" = ${root.id} FOR NO KEY UPDATE`;
  // Read again under the lock: what decides the write is what the lock protects.
  const records = await links();
  const chain = recordChain(records, recordId);
  return { record: chain.find((r) => r.id === recordId)!, root: chain.find((r) => r.id === root.id) ?? root, chain };
}

/** What a duplicate names of its original: kind, number and issue date. */
export type OriginalRecord = { kind: "PARCHEMIN" | "ATTESTATION"; number: string; issuedAt: Date };

/**
 * The original a record duplicates (its chain's root: `duplicateOfId` followed up, should a duplicate point at
 * another duplicate), or null for an original.
 */
export async function originalOf(
  db: Prisma.TransactionClient | PrismaClient,
  record: { id: string; duplicateOfId: string | null },
): Promise<OriginalRecord | null> {
  let parentId = record.duplicateOfId;
  let original: (OriginalRecord & { duplicateOfId: string | null }) | null = null;
  const seen = new Set([record.id]);
  while (parentId && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = await db.deliveryRecord.findUnique({
      where: { id: parentId },
      select: { kind: true, number: true, issuedAt: true, duplicateOfId: true },
    });
    if (!parent) break;
    original = parent;
    parentId = parent.duplicateOfId;
  }
  return original ? { kind: original.kind, number: original.number, issuedAt: original.issuedAt } : null;
}
