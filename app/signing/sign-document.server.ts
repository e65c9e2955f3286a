/**
 * Use case: a signer signs a sealed document after re-entering their password and giving explicit consent; the
 * signature binds to the SHA-256 of the sealed canonical content — the one the signer was shown: a page sends the
 * hash it displayed (`shownHash`), and a signature is refused when the document was reopened and sealed again since
 * (a tab left open on an earlier version never signs a text its user did not see). Idempotent: one signature per signer, document and
 * round (checked under the document's row lock, and a unique index for two tabs at once). The last signature
 * completes the document (./complete-signing.server.ts) in the same transaction — its writes before the signature's
 * audit event, the completion's event after it; its PDF is rendered after the commit, so the answer never waits for
 * a render. The vice-president named to sign for a prevented president (decision 0028) signs here too: one act gives
 * his own signature if he owes one and the one for the president, kept on the president's empêchement, never as his.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { reauthenticate, WRONG_PASSWORD } from "~/platform/auth/login.server";
import { prisma } from "~/platform/db/db.server";
import { everyoneAccountedFor } from "~/domain/signer-unavailability";
import { auditCompletion, completeSigning, runRoundStep } from "./complete-signing.server";
import { sessionAuditData, type DocumentRef, type LoadedDocument } from "./document-kind";
import type { AuditMeta, SigningPorts } from "./ports";
import { documentKind } from "./registry.server";

export async function signDocument(input: {
  kind: string;
  ref: DocumentRef;
  actorId: string;
  password: string;
  consent: boolean;
  /**
   * The sealed hash the signer's page displayed (forms send it in `contentHash`). Required from a page; left out by
   * a use case that seals and signs in one act (the CPNE validation), where nothing was displayed in between.
   */
  shownHash?: string;
  meta: AuditMeta;
  ports: SigningPorts;
}) {
  const kind = documentKind(input.kind);
  if (!input.consent) throw new AppError("INVALID", "Cochez la case de consentement pour signer.");
  const refusal = await reauthenticate(input.actorId, input.password, input.meta.ip);
  if (refusal) throw new AppError(refusal === WRONG_PASSWORD ? "INVALID" : "RATE_LIMITED", refusal);
  await runRoundStep(input.ports, async (tx) => {
    const document: LoadedDocument = await kind.lock(tx, input.ref);
    const where = { documentKind: kind.kind, documentId: input.ref.documentId, round: document.round, voidedAt: null };
    const [active, unavailable] = await Promise.all([
      tx.signature.findMany({ where, select: { userId: true } }),
      tx.signerUnavailability.findMany({ where, select: { id: true, userId: true, replacedById: true, replacementSignedAt: true } }),
    ]);
    const isSigner = document.signers.some((s) => s.userId === input.actorId);
    // Named to sign in the stead of a prevented president (decision 0028): a signer of this round too.
    const replacing = unavailable.filter((u) => u.replacedById === input.actorId);
    if (!isSigner && replacing.length === 0) throw new AppError("FORBIDDEN", kind.messages.notSigner);
    const ownDue = isSigner && !active.some((s) => s.userId === input.actorId) && !unavailable.some((u) => u.userId === input.actorId);
    const forOthersDue = replacing.filter((u) => u.replacementSignedAt === null);
    if (isSigner && forOthersDue.length === 0 && unavailable.some((u) => u.userId === input.actorId)) {
      throw new AppError(
        "CONFLICT",
        "Votre empêchement de signer ce document a été constaté par l'organisme : il sera complet sans votre signature. Si vous pouvez signer, demandez au secrétariat de le rouvrir. Rien n'a été signé.",
      );
    }
    if (!ownDue && forOthersDue.length === 0) return false; // idempotent: every signature this person owes already stands
    if (document.status !== "SIGNING" || !document.sealedHash) {
      throw new AppError("CONFLICT", document.status === "SIGNED" ? kind.messages.signedByAll : kind.messages.notOpenForSigning);
    }
    // What the kind forbids this signer now (a grid: `evaluationBar`), before anything is written.
    const refused = ownDue && kind.signRefusal ? await kind.signRefusal(tx, document, input.actorId) : null;
    if (refused) throw new AppError("FORBIDDEN", `${refused} Rien n'a été signé.`);
    if (input.shownHash !== undefined && input.shownHash !== document.sealedHash) {
      throw new AppError(
        "CONFLICT",
        input.shownHash
          ? `Le document a été modifié et scellé à nouveau depuis que vous l'avez ouvert (empreinte affichée ${input.shownHash.slice(0, 16)}…, empreinte actuelle ${document.sealedHash.slice(0, 16)}…). Rechargez la page et relisez-le avant de signer : rien n'a été signé.`
          : "La page ne dit pas quelle version du document vous signez : rechargez-la et relisez le document avant de signer. Rien n'a été signé.",
      );
    }
    const signature = ownDue
      ? await tx.signature.create({
          data: {
            documentKind: kind.kind,
            documentId: input.ref.documentId,
            round: document.round,
            userId: input.actorId,
            contentHash: document.sealedHash,
            ...input.meta,
          },
        })
      : null;
    // The signature given for a prevented president: kept on his empêchement, never as his Signature (decision 0028).
    const signedAt = new Date();
    for (const duty of forOthersDue) {
      const { count } = await tx.signerUnavailability.updateMany({
        where: { id: duty.id, replacementSignedAt: null, voidedAt: null },
        data: { replacementSignedAt: signedAt, replacementIp: input.meta.ip ?? null, replacementUserAgent: input.meta.userAgent ?? null },
      });
      if (count === 0) throw new AppError("CONFLICT", kind.messages.changedMeanwhile);
    }
    // The last signature completes the document: its writes (the grid's dossier row among them) before the audit
    // events, so the audit chain's lock is taken last (docs/decisions/0017-lock-order.md).
    // Everyone has signed, or is recorded as prevented — with their replacement's signature when one was named
    // (decision 0028): the round is complete.
    const state = {
      signers: document.signers,
      signed: new Set([...active.map((s) => s.userId), ...(signature ? [input.actorId] : [])]),
      unavailable: new Set(unavailable.map((u) => u.userId)),
      replaced: new Map(
        unavailable.flatMap((u) =>
          u.replacedById ? [[u.userId, { replacementId: u.replacedById, signed: u.replacementSignedAt !== null || forOthersDue.includes(u) }] as const] : [],
        ),
      ),
    };
    const completion = everyoneAccountedFor(state) ? await completeSigning(tx, { kind, document, actorId: input.actorId, meta: input.meta }) : null;
    if (signature) {
      await recordAudit(tx, {
        organisationId: document.organisationId,
        actorId: input.actorId,
        action: `${kind.audit.prefix}.signed`,
        subjectType: kind.audit.subjectType,
        subjectId: input.ref.documentId,
        data: { ...sessionAuditData(document), round: document.round, contentHash: document.sealedHash, signatureId: signature.id },
        ...input.meta,
      });
    }
    for (const duty of forOthersDue) {
      await recordAudit(tx, {
        organisationId: document.organisationId,
        actorId: input.actorId,
        action: `${kind.audit.prefix}.signed_for_prevented`,
        subjectType: kind.audit.subjectType,
        subjectId: input.ref.documentId,
        data: { ...sessionAuditData(document), round: document.round, contentHash: document.sealedHash, onBehalfOf: duty.userId, unavailabilityId: duty.id },
        ...input.meta,
      });
    }
    if (!completion) return false;
    await auditCompletion(tx, completion);
    return true;
  });
  return kind.publish(prisma, input.ref, input.ports.realtime);
}
