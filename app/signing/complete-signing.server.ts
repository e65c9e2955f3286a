/**
 * Use case, inside the last signature's transaction: the document is complete. The kind records its effect (the
 * grid: SIGNED, and the commission's result on the dossier), a durable render job is queued — the PDF is rendered
 * after the commit by ./render-jobs.server.ts, never inside this transaction — and the completion is audited.
 */
import { recordAudit } from "~/platform/audit/record-audit.server";
import type { Prisma } from "~/platform/db/db.server";
import type { AnyDocumentKind, LoadedDocument } from "./document-kind";
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
    data: { round: document.round, contentHash: document.sealedHash, renderJobId: job.id, ...effects },
    ...input.meta,
  });
}
