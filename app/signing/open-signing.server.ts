/**
 * Use case: open signing of a document (the president, for the grid). Its content is sealed — frozen, read, hashed —
 * and checked for what is missing, and the signing state recorded, all in the document store's ONE sealing
 * transaction: anything missing throws, the transaction rolls back, nothing is sealed and the document is editable
 * again. The check and the signed content are therefore the same content. Opening twice — a double click, two tabs —
 * is one opening: the second request gets the open signature. Its signers must still be members of the document's
 * organisation (their memberships are held until the commit: a removal never misses a submission, decision 0023).
 */
import { sha256Hex } from "~/domain/canonical";
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { sessionAuditData, type DocumentRef, type LoadedDocument, type SealedContent } from "./document-kind";
import type { AuditMeta, SigningPorts } from "./ports";
import { documentKind } from "./registry.server";
import { lockSignerMemberships } from "./signer-memberships.server";

export async function openSigning(input: { kind: string; ref: DocumentRef; actorId: string; meta: AuditMeta; ports: SigningPorts }) {
  const kind = documentKind(input.kind);
  const before: LoadedDocument = await kind.load(prisma, input.ref);
  kind.requireManager(before, input.actorId, "open");
  if (before.status === "SIGNED") throw new AppError("CONFLICT", kind.messages.alreadySigned);
  if (before.status === "OPEN") {
    const record = async (tx: Prisma.TransactionClient, sealed: SealedContent) => {
      const document: LoadedDocument = await kind.lock(tx, input.ref);
      kind.requireManager(document, input.actorId, "open");
      // Opened meanwhile by another request (a double click, a second tab): that is the opening asked for, and the
      // caller gets the signature as it stands. (A kind may store the hash of more than the live document — the sheet,
      // the minutes —, so the stored hash is not compared with the store's.)
      if (document.status === "SIGNING") return;
      if (document.status === "SIGNED") throw new AppError("CONFLICT", kind.messages.alreadySigned);
      // Its signers stay members until this commits: a removal checking their pending signatures waits (decision 0023).
      await lockSignerMemberships(tx, document);
      const missing = kind.missing(document, sealed);
      if (missing.length > 0) {
        throw new AppError("CONFLICT", "Passage à la signature impossible : des éléments obligatoires manquent.", { details: missing });
      }
      await kind.markSealed(tx, document, sealed);
      await recordAudit(tx, {
        organisationId: document.organisationId,
        actorId: input.actorId,
        action: `${kind.audit.prefix}.sealed`,
        subjectType: kind.audit.subjectType,
        subjectId: input.ref.documentId,
        data: { ...sessionAuditData(document), round: document.round, contentHash: sealed.hash },
        ...input.meta,
      });
    };
    const live = kind.liveDocumentName?.(before);
    if (live) {
      await input.ports.realtime.seal(live, (tx, sealed) => record(tx, sealed));
    } else {
      await prisma.$transaction(async (tx) => {
        const canonical = await kind.canonicalContent!(tx, await kind.lock(tx, input.ref));
        await record(tx, { canonical, hash: sha256Hex(canonical) });
      });
    }
  }
  return kind.publish(prisma, input.ref, input.ports.realtime);
}
