/**
 * Use case, inside the last signature's transaction: the document is complete. The kind records its effect (the
 * grid: SIGNED, and the commission's result on the dossier), a durable render job is queued — the PDF is rendered
 * after the commit by ./render-jobs.server.ts, never inside this transaction — and, after every write of that
 * transaction (`completeSigning`, then the caller's own audit event), the completion is audited (`auditCompletion`). The
 * audit chain's head, that completion event, is then anchored (AuditAnchor, checked by `npm run audit:verify`) and
 * printed on the document's certificate page: deleting or rewriting the chain up to it is detected.
 */
import type { AuditHead } from "~/domain/audit";
import { anchorAuditHead, recordAudit } from "~/platform/audit/record-audit.server";
import { Prisma, prisma, type PrismaClient } from "~/platform/db/db.server";
import { sessionAuditData, type AnyDocumentKind, type LoadedDocument } from "./document-kind";
import type { AuditMeta } from "./ports";

/** A completion written (the kind's effects and its render job), waiting for its audit event (`auditCompletion`). */
export type Completion = {
  kind: AnyDocumentKind;
  document: LoadedDocument;
  actorId: string;
  meta: AuditMeta;
  effects: Record<string, unknown>;
  renderJobId: string;
};

/**
 * The completion's writes: the kind's effects (the grid: its passage SIGNED and the dossier's row) and the render job.
 * Made before any audit event of the last signature's transaction (its `.signed` one included): the audit chain's lock
 * is taken last (docs/decisions/0017-lock-order.md). Written after that event, the dossier's update waited, holding
 * the audit chain's lock, for a dossier change of the secretariat that itself waited for that lock: a deadlock, and
 * the last signer was answered « réessayez ».
 */
export async function completeSigning(
  tx: Prisma.TransactionClient,
  input: { kind: AnyDocumentKind; document: LoadedDocument; actorId: string; meta: AuditMeta },
): Promise<Completion> {
  const { kind, document } = input;
  const effects = await kind.markCompleted(tx, document);
  const job = await tx.renderJob.upsert({
    where: {
      documentKind_documentId_round: { documentKind: kind.kind, documentId: document.ref.documentId, round: document.round },
    },
    create: { documentKind: kind.kind, documentId: document.ref.documentId, round: document.round },
    update: {},
  });
  return { ...input, effects, renderJobId: job.id };
}

/** The completion's audit event, then the anchor of the chain's head (an insert nobody else locks). */
export async function auditCompletion(tx: Prisma.TransactionClient, completion: Completion): Promise<void> {
  const { kind, document } = completion;
  await recordAudit(tx, {
    organisationId: document.organisationId,
    actorId: completion.actorId,
    action: `${kind.audit.prefix}.completed`,
    subjectType: kind.audit.subjectType,
    subjectId: document.ref.documentId,
    data: { ...sessionAuditData(document), round: document.round, contentHash: document.sealedHash, renderJobId: completion.renderJobId, ...completion.effects },
    ...completion.meta,
  });
  await anchorAuditHead(tx, signingAnchorReason(kind.kind, document.ref.documentId, document.round));
}

/** The reason of the anchor a completed signing stores (one per kind, document and round). */
export const signingAnchorReason = (kind: string, documentId: string, round: number) =>
  `signature ${kind} ${documentId} tour ${round}`;

/**
 * The audit chain's head anchored when this round of the document was completed (null before anchoring existed).
 * In SQL: the render runner reads it once per PDF on the event loop, and a Prisma query naming a different reason
 * each time is compiled each time.
 */
export async function signingAuditHead(
  db: PrismaClient | Prisma.TransactionClient,
  kind: string,
  documentId: string,
  round: number,
): Promise<AuditHead | null> {
  const [anchor] = await db.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT "seq", "hash" FROM "AuditAnchor" WHERE "reason" = ${signingAnchorReason(kind, documentId, round)}
    ORDER BY "createdAt" DESC LIMIT 1`;
  return anchor ? { seq: String(anchor.seq), hash: anchor.hash } : null;
}

/**
 * A step of a signing round that may be its last (a signature, an empêchement recorded), in one transaction: `step`
 * answers whether it completed the round. Two tabs at once: the unique (kind, document, round, signer) index refuses
 * the second insert, whose step the first already made. A completed round's render job is committed: the render
 * queue is told at once.
 */
export async function runRoundStep(
  ports: { renderQueue?: { kick(): void } },
  step: (tx: Prisma.TransactionClient) => Promise<boolean>,
): Promise<boolean> {
  let completed = false;
  try {
    completed = await prisma.$transaction(step, { timeout: 10_000 });
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
  }
  if (completed) ports.renderQueue?.kick();
  return completed;
}
