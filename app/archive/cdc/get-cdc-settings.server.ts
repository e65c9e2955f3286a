/** The organisation's Caisse des Dépôts identifiers as stored (empty strings when not set yet). */
import { prisma } from "~/platform/db/db.server";

export async function getCdcSettings(organisationId: string) {
  const organisation = await prisma.organisation.findUniqueOrThrow({
    where: { id: organisationId },
    select: { cdcIdClient: true, cdcIdContrat: true },
  });
  return { idClient: organisation.cdcIdClient ?? "", idContrat: organisation.cdcIdContrat ?? "" };
}
