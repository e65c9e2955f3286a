/**
 * The organisation's Caisse des Dépôts identifiers (idClient, idContrat), validated; audited. The identifiers already
 * recorded, sent again (a double click, « Enregistrer » on an unchanged form), write nothing.
 */
import { prisma } from "~/platform/db/db.server";
import { AppError, type Actor } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { settingsErrors } from "./declaration";

export async function updateCdcSettings(actor: Actor, input: { idClient: string; idContrat: string }) {
  const idClient = input.idClient.replace(/\s+/g, "").toUpperCase();
  const idContrat = input.idContrat.replace(/\s+/g, "").toUpperCase();
  const errors = settingsErrors({ emitterIdClient: idClient, certifierIdClient: idClient, contractId: idContrat });
  const fieldErrors: Record<string, string[]> = {};
  if (errors.certifierIdClient) fieldErrors.idClient = ["Identifiant client attendu sous la forme 12ABC345 (2 chiffres, 3 lettres, 3 chiffres)."];
  if (errors.contractId) fieldErrors.idContrat = [errors.contractId];
  if (Object.keys(fieldErrors).length) throw new AppError("INVALID", "Identifiants invalides.", { fieldErrors });
  await prisma.$transaction(async (tx) => {
    const before = await tx.organisation.findUniqueOrThrow({ where: { id: actor.organisationId }, select: { cdcIdClient: true, cdcIdContrat: true } });
    if (before.cdcIdClient === idClient && before.cdcIdContrat === idContrat) return;
    await tx.organisation.update({ where: { id: actor.organisationId }, data: { cdcIdClient: idClient, cdcIdContrat: idContrat } });
    await recordAudit(tx, {
      organisationId: actor.organisationId,
      actorId: actor.userId,
      action: "cdc.settings_updated",
      subjectType: "Organisation",
      subjectId: actor.organisationId,
      data: { idClient, idContrat },
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
  });
  return { idClient, idContrat };
}
