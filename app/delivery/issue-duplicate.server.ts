/**
 * Use case: issue a duplicate (« duplicata ») of a delivery record: a new number, the same content, marked as a
 * duplicate of the chain's original (a duplicate of a duplicate duplicates the original). Refused when any record of
 * the chain is revoked (they attest the same decision: ./revoke-record.server.ts revokes them together). One
 * transaction under the chain's lock (./record-chain.server.ts), with its audit event. Refused too while the decision
 * it attests is not final (app/domain/decision-validation.ts).
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { duplicateJustIssued, KEYLESS_WINDOW_MS } from "~/domain/delivery-record";
import { oncePerSubmission, recentSubmission, rememberKeyless } from "~/platform/http/submission-key.server";
import type { RenderQueuePort } from "~/signing/ports";
import { documentKindOf } from "./finish-record.server";
import { finalityOf } from "./decisions-finality.server";
import { lockRecordChain } from "./record-chain.server";
import { createDeliveryRecord, type RecordSnapshot } from "./record-store.server";

/**
 * `submissionKey`: the form's (app/platform/http/submission-key.server.ts): the same click sent twice issues one
 * duplicata, and both answers name it. Without it (a form stripped of its key), a second duplicata of the same record
 * by the same person within KEYLESS_WINDOW_MS is refused, naming the one just issued.
 */
export async function issueDuplicate(input: { actor: Actor; recordId: string; renderQueue?: RenderQueuePort; submissionKey?: string | null }) {
  const submission = { userId: input.actor.userId, key: input.submissionKey ?? null, action: `delivery.duplicate:${input.recordId}` };
  const keyless = submission.key === null;
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
    const { record, root: original, chain } = await lockRecordChain(tx, input.actor.organisationId, input.recordId);
    if (record.revokedAt) throw new AppError("CONFLICT", "Ce document est révoqué : pas de duplicata.");
    const revoked = chain.find((r) => r.revokedAt);
    if (revoked) throw new AppError("CONFLICT", `Le document n° ${revoked.number}, qui atteste la même décision, est révoqué : pas de duplicata.`);
    // A decision no longer final (returned to the jury, or awaiting the CPNE's validation the scheme now asks for):
    // its document stays as issued, but no new copy is delivered until the decision is final again.
    const session = original.decisionId ? await tx.juryDecision.findUnique({ where: { id: original.decisionId }, select: { sessionId: true } }) : null;
    if (session) {
      const finality = await finalityOf(tx, session.sessionId);
      if (!finality.final) throw new AppError("CONFLICT", `Pas de duplicata tant que la décision n'est pas définitive. ${finality.reason}`);
    }
    if (keyless) {
      // Sent without the form's key (a tampered form, a script, replayed): the same person's duplicata of this record a
      // moment ago answers for it — read under the chain's lock, so two such requests at once make one.
      const recent = await recentSubmission(tx, submission, KEYLESS_WINDOW_MS);
      if (recent) {
        const earlier = await tx.deliveryRecord.findUnique({ where: { id: recent.resultId }, select: { number: true } });
        throw new AppError("CONFLICT", duplicateJustIssued(earlier?.number ?? null, recent.createdAt));
      }
    }
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
    if (keyless) await rememberKeyless(tx, submission, duplicate.id);
    return duplicate;
  }
}
