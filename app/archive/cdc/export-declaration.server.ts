/**
 * Generates the declaration file: the holders never sent, the rejected ones and those whose identity was corrected
 * since it was declared (same idTechnique), declarable only — validated against the shipped XSD before it is offered — and marks their passages exported, with the audit
 * event, in one transaction. Nothing to send → CONFLICT with the reason; settings missing → INVALID; the passages
 * changed since they were listed (a double submit, an acknowledgement imported meanwhile) → CONFLICT.
 */
import { randomBytes } from "node:crypto";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { AppError, type Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { settingsErrors } from "./declaration";
import { prepareDeclaration } from "./validate-declaration.server";
import { activeHolderDeclarations } from "./holder-declarations.server";
import { DECISION_KEY } from "~/archive/list-decisions.server";
import { declaredIdentityKey, holderFromIdentity } from "./declaration";
import { DECLARATION_FILE_REFUSALS, TO_SEND_KINDS } from "./declaration-status";

export const CHANGED_MEANWHILE = DECLARATION_FILE_REFUSALS.entretemps;

/** Serialises the changes of an organisation's passages (a file generated, an acknowledgement imported). */
export async function lockDeclarations(tx: Prisma.TransactionClient, organisationId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM "Organisation" WHERE "id" = ${organisationId} FOR NO KEY UPDATE`;
}

export async function exportDeclaration(actor: Actor, now = new Date()) {
  const organisation = await prisma.organisation.findUniqueOrThrow({
    where: { id: actor.organisationId },
    select: { cdcIdClient: true, cdcIdContrat: true },
  });
  const settings = {
    emitterIdClient: organisation.cdcIdClient ?? "",
    certifierIdClient: organisation.cdcIdClient ?? "",
    contractId: organisation.cdcIdContrat ?? "",
  };
  if (Object.values(settingsErrors(settings)).some(Boolean)) {
    throw new AppError("INVALID", DECLARATION_FILE_REFUSALS.identifiants);
  }
  // Those already exported or accepted, as they still are, are never sent again: read only the others (not an
  // organisation's years of holders).
  const holders = await activeHolderDeclarations(actor.organisationId, now);
  const toSend = holders.filter((h) => TO_SEND_KINDS.includes(h.status.kind));
  if (toSend.length === 0) throw new AppError("CONFLICT", DECLARATION_FILE_REFUSALS.rien);
  const idFlux = `QRM${now.toISOString().slice(0, 10).replace(/-/g, "")}${randomBytes(4).toString("hex").toUpperCase()}`;
  const prepared = await prepareDeclaration({ settings, passages: toSend.map((h) => h.passage), idFlux, now });
  if (!prepared.file) throw new AppError("CONFLICT", DECLARATION_FILE_REFUSALS.incomplets);
  const included = new Set(prepared.included);
  const sent = toSend.filter((h) => included.has(h.passage.idTechnique));
  await prisma.$transaction(async (tx) => {
    // The holders were listed before this transaction (the file is built and validated outside it): under the
    // organisation's lock, taken by every change of its passages (./import-acknowledgement.server.ts), they must
    // still be as listed. A second click, or an acknowledgement imported meanwhile, would otherwise send a passage
    // awaiting its acknowledgement again, or turn an accepted one back to « exported ».
    await lockDeclarations(tx, actor.organisationId);
    const rows = await tx.cdcPassage.findMany({
      where: { organisationId: actor.organisationId, sourceKey: { in: sent.map((h) => h.passageKey) } },
      select: { sourceKey: true, status: true, idFlux: true },
    });
    const current = new Map(rows.map((r) => [r.sourceKey, r]));
    const changed = sent.some((h) => {
      const row = current.get(h.passageKey);
      return (row?.status ?? null) !== (h.record?.state ?? null) || (row?.idFlux ?? null) !== (h.record?.idFlux ?? null);
    });
    if (changed) throw new AppError("CONFLICT", CHANGED_MEANWHILE);
    // The identities as they are now, under the lock a correction takes too (updateCandidate): one corrected since the
    // file was built leaves its passage declared under what the file says, and to declare again.
    const candidates = await tx.candidate.findMany({ where: { id: { in: [...new Set(sent.map((h) => h.candidateId))] } } });
    const identityNow = new Map(candidates.map((c) => [c.id, declaredIdentityKey(holderFromIdentity(c, c.birthCode))]));
    for (const holder of sent) {
      const declaredHolder = declaredIdentityKey(holder.passage.holder);
      const identityChangedAt = identityNow.get(holder.candidateId) === declaredHolder ? null : now;
      // A passage keyed by its decision names it (the desk's working set); a legacy "slot:" one does not.
      const decisionId = holder.passageKey.startsWith(DECISION_KEY) ? holder.passageKey.slice(DECISION_KEY.length) : null;
      await tx.cdcPassage.upsert({
        where: { organisationId_sourceKey: { organisationId: actor.organisationId, sourceKey: holder.passageKey } },
        create: {
          organisationId: actor.organisationId,
          sourceKey: holder.passageKey,
          decisionId,
          candidateId: holder.candidateId,
          idTechnique: holder.passage.idTechnique,
          status: "exported",
          idFlux,
          exportedAt: now,
          declaredHolder,
          identityChangedAt,
        },
        update: { status: "exported", idFlux, exportedAt: now, message: null, decisionId, declaredHolder, identityChangedAt },
      });
    }
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      action: "cdc.declaration_exported",
      subjectType: "Organisation",
      subjectId: actor.organisationId,
      data: { idFlux, passages: prepared.included, notDeclarable: prepared.notDeclarable.map((n) => n.idTechnique) },
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
  });
  return { ...prepared.file, idFlux, count: prepared.included.length };
}
