/**
 * Generates the declaration file: the holders never sent and the rejected ones (same idTechnique), declarable
 * only — validated against the shipped XSD before it is offered — and marks their passages exported, with the audit
 * event, in one transaction. Nothing to send → CONFLICT with the reason; settings missing → INVALID.
 */
import { randomBytes } from "node:crypto";
import { prisma } from "~/platform/db/db.server";
import { AppError, type Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { settingsErrors } from "./declaration";
import { prepareDeclaration } from "./validate-declaration.server";
import { listHolderDeclarations } from "./holder-declarations.server";

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
    throw new AppError("INVALID", "Renseignez d'abord l'identifiant client et le numéro de contrat Caisse des Dépôts de l'organisation.");
  }
  const holders = await listHolderDeclarations(actor.organisationId, now);
  const toSend = holders.filter((h) => h.status.kind === "to_declare" || h.status.kind === "past_deadline" || h.status.kind === "rejected");
  if (toSend.length === 0) throw new AppError("CONFLICT", "Aucun titulaire à déclarer : rien de nouveau ni de rejeté à envoyer.");
  const idFlux = `QRM${now.toISOString().slice(0, 10).replace(/-/g, "")}${randomBytes(4).toString("hex").toUpperCase()}`;
  const prepared = await prepareDeclaration({ settings, passages: toSend.map((h) => h.passage), idFlux, now });
  if (!prepared.file) throw new AppError("CONFLICT", "Aucun titulaire déclarable : complétez les identités signalées.");
  const included = new Set(prepared.included);
  await prisma.$transaction(async (tx) => {
    for (const holder of toSend.filter((h) => included.has(h.passage.idTechnique))) {
      await tx.cdcPassage.upsert({
        where: { organisationId_sourceKey: { organisationId: actor.organisationId, sourceKey: holder.passageKey } },
        create: {
          organisationId: actor.organisationId,
          sourceKey: holder.passageKey,
          candidateId: holder.candidateId,
          idTechnique: holder.passage.idTechnique,
          status: "exported",
          idFlux,
          exportedAt: now,
        },
        update: { status: "exported", idFlux, exportedAt: now, message: null },
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
