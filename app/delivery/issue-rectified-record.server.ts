/**
 * Use case: after a record was revoked for a material error (a name misspelt, a wrong birth date…), issue a rectified
 * record (« Délivrer un document rectifié ») for the same jury decision: a new number (the next of the year), the
 * holder's identity as the candidate's file says it now (corrected), the rest as the revoked record attested it
 * (certification, blocs, validity, préconisations, place of issue), and `replacesId` naming the revoked original: the
 * PDF and /verifier say « Document rectifié : remplace le parchemin n° …, révoqué le … », and the revoked record's
 * /verifier names its replacement. Its credential and sealed PDF are produced by the render job, as any record's.
 *
 * Refused (French, 409) while any record of the chain is valid (a duplicata is what a valid record gets), once a valid
 * record exists for the decision (this one rectified already, or issued otherwise), once the revoked record was
 * rectified already, for a decision replaced by an upheld appeal (the revised decision's record replaces it), and while
 * the decision is not final. One transaction, in the lock order of decision 0017: the submission key (a double submit
 * issues one record, both answers name it), the decision's session (as every issuance: `lockSessionIssuance`), the
 * chain's original (`lockRecordChain`), the year's counter, the audit chain last.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import type { RenderQueuePort } from "~/signing/ports";
import { documentKindOf } from "./finish-record.server";
import { finalityOf } from "./decisions-finality.server";
import { lockSessionIssuance } from "./issue-records.server";
import { lockRecordChain } from "./record-chain.server";
import { createDeliveryRecord, type RecordSnapshot } from "./record-store.server";

export async function issueRectifiedRecord(input: { actor: Actor; recordId: string; renderQueue?: RenderQueuePort; submissionKey?: string | null }) {
  const submission = { userId: input.actor.userId, key: input.submissionKey ?? null, action: `delivery.rectify:${input.recordId}` };
  const result = await prisma.$transaction((tx) =>
    oncePerSubmission(
      tx,
      submission,
      async () => {
        const created = await issue(tx);
        return { value: created, resultId: created.record.id };
      },
      async (recordId) => {
        const record = await tx.deliveryRecord.findUniqueOrThrow({ where: { id: recordId } });
        const replaced = await tx.deliveryRecord.findUniqueOrThrow({ where: { id: record.replacesId! }, select: { number: true } });
        return { record, replaces: replaced.number };
      },
    ),
  );
  input.renderQueue?.kick();
  return result;

  async function issue(tx: Prisma.TransactionClient) {
    const found = await tx.deliveryRecord.findUnique({ where: { id: input.recordId }, select: { organisationId: true, decisionId: true } });
    if (!found || found.organisationId !== input.actor.organisationId) throw new AppError("NOT_FOUND", "Document introuvable.");
    if (!found.decisionId) throw new AppError("CONFLICT", "Ce document ne renvoie à aucune décision du jury : pas de document rectifié.");
    const decision = await tx.juryDecision.findUniqueOrThrow({ where: { id: found.decisionId }, select: { id: true, sessionId: true } });
    // Every issuance of the session's records waits for the others (two rectifications, or one and « Délivrer »).
    await lockSessionIssuance(tx, decision.sessionId);
    const { root, chain } = await lockRecordChain(tx, input.actor.organisationId, input.recordId);
    const valid = chain.find((r) => !r.revokedAt);
    if (valid) {
      throw new AppError(
        "CONFLICT",
        `Le document n° ${valid.number} n'est pas révoqué : un document rectifié remplace un document révoqué (pour un exemplaire de plus, émettez un duplicata).`,
      );
    }
    // Checked under the session's lock: a rectification or an issuance that committed meanwhile is seen.
    const current = await tx.deliveryRecord.findFirst({
      where: { decisionId: decision.id, revokedAt: null },
      orderBy: [{ year: "asc" }, { sequence: "asc" }],
      select: { number: true },
    });
    if (current) throw new AppError("CONFLICT", `Le document n° ${current.number}, délivré pour la même décision, est valide : pas de document rectifié.`);
    const already = await tx.deliveryRecord.findUnique({ where: { replacesId: root.id }, select: { number: true } });
    if (already) throw new AppError("CONFLICT", `Le document n° ${root.number} a déjà été remplacé par le document rectifié n° ${already.number}.`);
    const appeal = await tx.appeal.findFirst({ where: { decisionId: decision.id, status: "UPHELD", newDecisionId: { not: null } }, select: { id: true } });
    if (appeal) {
      throw new AppError("CONFLICT", "Cette décision a été remplacée à la suite d'un recours : le document de la décision révisée la remplace.");
    }
    const finality = await finalityOf(tx, decision.sessionId);
    if (!finality.final) throw new AppError("CONFLICT", `Pas de document rectifié tant que la décision n'est pas définitive. ${finality.reason}`);
    // The holder as the candidate's file says it now: the correction is why the record is issued again.
    const candidate = await tx.candidate.findUniqueOrThrow({ where: { id: root.candidateId } });
    const holder: RecordSnapshot["holder"] = {
      birthName: candidate.birthName,
      usageName: candidate.usageName,
      givenNames: candidate.givenNames,
      birthDate: candidate.birthDate?.toISOString().slice(0, 10) ?? null,
      birthPlace: candidate.birthPlace,
      birthCountry: candidate.birthPlace ? null : candidate.birthCountry,
      email: candidate.email,
    };
    const record = await createDeliveryRecord(tx, {
      organisationId: root.organisationId,
      kind: root.kind,
      candidateId: root.candidateId,
      certificationId: root.certificationId,
      decisionId: decision.id,
      snapshot: {
        holder,
        certification: root.certification as RecordSnapshot["certification"],
        blocs: root.blocs as RecordSnapshot["blocs"],
        missingBlocs: root.missingBlocs as RecordSnapshot["missingBlocs"],
      },
      preconisations: root.preconisations,
      validUntil: root.validUntil,
      placeOfIssue: root.placeOfIssue,
      issuedById: input.actor.userId,
      replacesId: root.id,
    });
    // The audit chain's lock last (decision 0017); the render job's row is ours alone.
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: "delivery.record.rectified",
      subjectType: "DeliveryRecord",
      subjectId: record.id,
      data: { number: record.number, replaces: root.number, decisionId: decision.id, revocationReason: root.revocationReason },
    });
    await tx.renderJob.create({ data: { documentKind: documentKindOf(record.kind), documentId: record.id, round: 0 } });
    return { record, replaces: root.number };
  }
}
