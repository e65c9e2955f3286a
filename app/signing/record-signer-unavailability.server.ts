/**
 * Use case: the organisation's administration records that a signer can no longer sign a document submitted for
 * signature (« constater l'empêchement »: deceased, long illness, gone and unreachable), with the reason, after
 * re-entering its own password. Never a signature: the round completes once every other signer has signed (at
 * once, when they all have), and the certificate page names the person as prevented, with the reason and who recorded
 * it (docs/decisions/0028-signer-unable-to-sign.md). Refused for a signer who signed, and for the last signer who could
 * still sign (a document nobody signs is not a signed document). Idempotent: recorded once per signer and round (the
 * document's row lock, and a unique index for two tabs at once). Voided with the round if the document is reopened.
 * The president of a procès-verbal or of a fiche de décision may be replaced: the session's vice-president, named here
 * (`replacementId`), then signs in his stead, and the round waits for that signature (replacementRefusal says who may).
 */
import { unavailabilityReasonProblem, unavailabilityRefusal, everyoneAccountedFor, replacementRefusal } from "~/domain/signer-unavailability";
import { textRefusal } from "~/domain/safe-text";
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { reauthenticate, WRONG_PASSWORD } from "~/platform/auth/login.server";
import { prisma } from "~/platform/db/db.server";
import { auditCompletion, completeSigning, runRoundStep } from "./complete-signing.server";
import { sessionAuditData, type DocumentRef, type LoadedDocument } from "./document-kind";
import type { AuditMeta, SigningPorts } from "./ports";
import { documentKind } from "./registry.server";
import { replacementFactsOf } from "./replacement-facts";

export async function recordSignerUnavailability(input: {
  kind: string;
  ref: DocumentRef;
  /** The organisation the actor manages (the route's guard): a document of another one is unknown. */
  organisationId: string;
  actorId: string;
  signerId: string;
  reason: string;
  password: string;
  /** The session's vice-president, to sign in the stead of the prevented president (decision 0028); none: nobody. */
  replacementId?: string;
  meta: AuditMeta;
  ports: SigningPorts;
}): Promise<{ completed: boolean }> {
  const kind = documentKind(input.kind);
  const reason = input.reason.trim();
  const reasonProblem = unavailabilityReasonProblem(reason) ?? textRefusal(reason, { multiline: true });
  if (reasonProblem) throw AppError.field("reason", reasonProblem);
  if (input.signerId === input.actorId) throw new AppError("FORBIDDEN", "Vous ne pouvez pas constater votre propre empêchement : signez le document.");
  const refusal = await reauthenticate(input.actorId, input.password, input.meta.ip);
  if (refusal) throw AppError.field("password", refusal, refusal === WRONG_PASSWORD ? "INVALID" : "RATE_LIMITED");
  const completed = await runRoundStep(input.ports, async (tx) => {
    const document: LoadedDocument = await kind.lock(tx, input.ref);
    if (document.organisationId !== input.organisationId) throw new AppError("NOT_FOUND", "Document introuvable.");
    if (document.status !== "SIGNING" || !document.sealedHash) {
      throw new AppError(
        "CONFLICT",
        document.status === "SIGNED"
          ? kind.messages.signedByAll
          : `${kind.messages.notInSigning} Un empêchement se constate sur un document soumis à la signature.`,
      );
    }
    const round = { documentKind: kind.kind, documentId: input.ref.documentId, round: document.round, voidedAt: null };
    const [signatures, unavailabilities] = await Promise.all([
      tx.signature.findMany({ where: round, select: { userId: true } }),
      tx.signerUnavailability.findMany({ where: round, select: { userId: true, replacedById: true, replacementSignedAt: true } }),
    ]);
    const replaced = new Map(
      unavailabilities.flatMap((u) => (u.replacedById ? [[u.userId, { replacementId: u.replacedById, signed: u.replacementSignedAt !== null }] as const] : [])),
    );
    const state = {
      signers: document.signers,
      signed: new Set(signatures.map((s) => s.userId)),
      unavailable: new Set(unavailabilities.map((u) => u.userId)),
      replaced,
    };
    const replacementId = input.replacementId || null;
    const refused = unavailabilityRefusal(state, input.signerId, { replacementNamed: replacementId !== null });
    if (refused) throw new AppError("CONFLICT", refused);
    const already = unavailabilities.find((u) => u.userId === input.signerId);
    if (already) {
      // Idempotent: already recorded this round — as asked (the same replacement, or none named again).
      if (replacementId === null || already.replacedById === replacementId) return false;
      throw new AppError(
        "CONFLICT",
        "Son empêchement est déjà constaté pour ce tour de signature, sans ce remplaçant : rouvrez le document pour le constater à nouveau avec un remplaçant. Rien n'a été enregistré.",
      );
    }
    if (replacementId !== null) {
      const replacementProblem = replacementRefusal(
        replacementFactsOf(kind, document, { preventedId: input.signerId, namedId: replacementId, unavailable: state.unavailable }),
      );
      if (replacementProblem) throw AppError.field("replacementId", replacementProblem, "CONFLICT");
    }
    const recorded = await tx.signerUnavailability.create({
      data: {
        documentKind: kind.kind,
        documentId: input.ref.documentId,
        round: document.round,
        userId: input.signerId,
        reason,
        recordedById: input.actorId,
        contentHash: document.sealedHash,
        replacedById: replacementId,
      },
    });
    state.unavailable.add(input.signerId);
    if (replacementId !== null) replaced.set(input.signerId, { replacementId, signed: false });
    // Everyone else has signed: the round is complete now (its writes before the audit events, decision 0017).
    const completion = everyoneAccountedFor(state)
      ? await completeSigning(tx, { kind, document, actorId: input.actorId, meta: input.meta })
      : null;
    await recordAudit(tx, {
      organisationId: document.organisationId,
      actorId: input.actorId,
      action: `${kind.audit.prefix}.signer_unavailable`,
      subjectType: kind.audit.subjectType,
      subjectId: input.ref.documentId,
      data: {
        ...sessionAuditData(document),
        round: document.round,
        signerId: input.signerId,
        reason,
        contentHash: document.sealedHash,
        unavailabilityId: recorded.id,
        ...(replacementId !== null ? { replacedById: replacementId } : {}),
      },
      ...input.meta,
    });
    if (!completion) return false;
    await auditCompletion(tx, completion);
    return true;
  });
  await kind.publish(prisma, input.ref, input.ports.realtime);
  return { completed };
}
