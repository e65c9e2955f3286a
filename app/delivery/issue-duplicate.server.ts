/**
 * Use case: issue a duplicate (« duplicata ») of a delivery record: a new number, the same content, marked as a
 * duplicate of the original. Refused for a revoked record. One transaction with its audit event.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import type { RenderQueuePort } from "~/signing/ports";
import { documentKindOf } from "./finish-record.server";
import { createDeliveryRecord, type RecordSnapshot } from "./record-store.server";

/**
 * `submissionKey`: the form's (app/platform/http/submission-key.server.ts): the same click sent twice issues one
 * duplicata, and both answers name it.
 */
export async function issueDuplicate(input: { actor: Actor; recordId: string; renderQueue?: RenderQueuePort; submissionKey?: string | null }) {
  const submission = { userId: input.actor.userId, key: input.submissionKey ?? null, action: `delivery.duplicate:${input.recordId}` };
  const duplicate = await prisma.$transaction((tx) =>
    oncePerSubmission(
      tx,
      submission,
      async () => {
        const created = await issue(tx);
        return { value: created, resultId: created.id };
      },
      (duplicateId) => tx.deliveryRecord.findUniqueOrThrow({ where: { id: duplicateId } }),
    ),
  );
  input.renderQueue?.kick();
  return duplicate;

  async function issue(tx: Prisma.TransactionClient) {
    const original = await tx.deliveryRecord.findUnique({ where: { id: input.recordId } });
    if (!original || original.organisationId !== input.actor.organisationId) throw new AppError("NOT_FOUND", "Document introuvable.");
    if (original.revokedAt) throw new AppError("CONFLICT", "Ce document est révoqué : pas de duplicata.");
    const duplicate = await createDeliveryRecord(tx, {
      organisationId: original.organisationId,
      kind: original.kind,
      candidateId: original.candidateId,
      certificationId: original.certificationId,
      decisionId: original.decisionId,
      snapshot: {
        holder: original.holder as RecordSnapshot["holder"],
        certification: original.certification as RecordSnapshot["certification"],
        blocs: original.blocs as RecordSnapshot["blocs"],
        missingBlocs: original.missingBlocs as RecordSnapshot["missingBlocs"],
      },
      preconisations: original.preconisations,
      validUntil: original.validUntil,
      placeOfIssue: original.placeOfIssue,
      issuedById: input.actor.userId,
      duplicateOfId: original.id,
    });
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: "delivery.record.duplicated",
      subjectType: "DeliveryRecord",
      subjectId: duplicate.id,
      data: { number: duplicate.number, original: original.number },
    });
    // Its credential and sealed PDF (marked « DUPLICATA ») are rendered after the commit.
    await tx.renderJob.create({ data: { documentKind: documentKindOf(duplicate.kind), documentId: duplicate.id, round: 0 } });
    return duplicate;
  }
}
