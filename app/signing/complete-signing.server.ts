/**
 * Use case, inside the last signature's transaction: the document is complete. The kind records its effect (the
 * grid: SIGNED, and the commission's result on the dossier), a durable render job is queued — the PDF is rendered
 * after the commit by ./render-jobs.server.ts, never inside this transaction — and the completion is audited. The
 * audit chain's head, that completion event, is then anchored (AuditAnchor, checked by `npm run audit:verify`) and
 * printed on the document's certificate page: deleting or rewriting the chain up to it is detected.
 */
import type { AuditHead } from "~/domain/audit";
import { anchorAuditHead, recordAudit } from "~/platform/audit/record-audit.server";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { sessionAuditData, type AnyDocumentKind, type LoadedDocument } from "./document-kind";
import type { AuditMeta } from "./ports";

export async function completeSigning(
  tx: Prisma.TransactionClient,
  input: { kind: AnyDocumentKind; document: LoadedDocument; actorId: string; meta: AuditMeta },
): Promise<void> {
  const { kind, document } = input;
  const effects = await input.kind.markCompleted(tx, document);
  const job = await tx.renderJob.upsert({
    where: {
      documentKind_documentId_round: { documentKind: kind.kind, documentId: document.ref.documentId, round: document.round },
    },
    create: { documentKind: kind.kind, documentId: document.ref.documentId, round: document.round },
    update: {},
  });
  await recordAudit(tx, {
    organisationId: document.organisationId,
    actorId: input.actorId,
    action: `${kind.audit.prefix}.completed`,
    subjectType: kind.audit.subjectType,
    subjectId: document.ref.documentId,
    data: { ...sessionAuditData(document), round: document.round, contentHash: document.sealedHash, renderJobId: job.id, ...effects },
    ...input.meta,
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
