/**
 * Use case: reopen a document in signing, before its last signature (the president, for the grid). The round's
 * signatures are voided — kept, marked, and counted on the page — a new round starts, and the content is unsealed
 * in the document store's same transaction: writers edit again once it committed.
 */
import { textRefusal } from "~/domain/safe-text";
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { sessionAuditData, type DocumentRef, type LoadedDocument } from "./document-kind";
import type { AuditMeta, SigningPorts } from "./ports";
import { documentKind } from "./registry.server";

export async function reopenSigning(input: {
  kind: string;
  ref: DocumentRef;
  actorId: string;
  reason: string;
  meta: AuditMeta;
  ports: SigningPorts;
}) {
  const kind = documentKind(input.kind);
  // The reason is kept in the audit trail and shown to the signers: nothing hidden or reversed in it.
  const reasonRefusal = textRefusal(input.reason, { multiline: true });
  if (reasonRefusal) throw AppError.field("reason", reasonRefusal);
  const before: LoadedDocument = await kind.load(prisma, input.ref);
  kind.requireManager(before, input.actorId, "reopen");
  const record = async (tx: Prisma.TransactionClient) => {
    const document: LoadedDocument = await kind.lock(tx, input.ref);
    kind.requireManager(document, input.actorId, "reopen");
    if (document.status === "SIGNED") throw new AppError("CONFLICT", kind.messages.cannotReopenSigned);
    if (document.status === "OPEN") {
      // The same request again (a double click, a retry after a lost answer): the reopening it asked for is done.
      if (await reopenedJustSo(tx, document)) return;
      throw new AppError("CONFLICT", kind.messages.notInSigning);
    }
    const refusal = (await kind.reopenRefusal?.(tx, document)) ?? null;
    if (refusal) throw new AppError("CONFLICT", refusal);
    const voided = await tx.signature.updateMany({
      where: { documentKind: kind.kind, documentId: input.ref.documentId, round: document.round, voidedAt: null },
      data: { voidedAt: new Date() },
    });
    // The round's empêchements constatés go with it (decision 0028): the new round's signers are asked again.
    await tx.signerUnavailability.updateMany({
      where: { documentKind: kind.kind, documentId: input.ref.documentId, round: document.round, voidedAt: null },
      data: { voidedAt: new Date() },
    });
    await kind.markReopened(tx, document);
    await recordAudit(tx, {
      organisationId: document.organisationId,
      actorId: input.actorId,
      action: `${kind.audit.prefix}.reopened`,
      subjectType: kind.audit.subjectType,
      subjectId: input.ref.documentId,
      data: { ...sessionAuditData(document), round: document.round, voidedSignatures: voided.count, reason: input.reason },
      ...input.meta,
    });
  };
  /** This round was opened by this actor's reopening of the previous one, for this very reason. */
  const reopenedJustSo = async (tx: Prisma.TransactionClient, document: LoadedDocument) => {
    if (document.round === 0) return false;
    const last = await tx.auditEvent.findFirst({
      where: { action: `${kind.audit.prefix}.reopened`, subjectType: kind.audit.subjectType, subjectId: input.ref.documentId },
      orderBy: { seq: "desc" },
      select: { actorId: true, data: true },
    });
    const data = (last?.data ?? {}) as { round?: unknown; reason?: unknown };
    return last?.actorId === input.actorId && data.round === document.round - 1 && data.reason === input.reason;
  };
  const live = kind.liveDocumentName?.(before);
  if (live) await input.ports.realtime.unseal(live, (tx) => record(tx));
  else await prisma.$transaction(record);
  return kind.publish(prisma, input.ref, input.ports.realtime);
}
