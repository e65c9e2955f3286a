/**
 * Shared by the dossier use cases: how a refusal comes back to a form (app/platform/app-error.ts), and the
 * organisation-scoped lookup of a dossier that may still be changed.
 */
import { data } from "@remix-run/node";
import { fieldRefusal, refusal, type Refusal } from "~/platform/app-error";
import type { Prisma } from "~/platform/db/db.server";
import { DOSSIER_STATUS_LABELS, isDossierClosed, type DossierStatus } from "~/domain/completeness";

/** A refused change (the one Refusal shape): a French message at the field, or for the whole form. Nothing was written. */
export const refuse = (message: string, field?: string): Refusal =>
  field ? fieldRefusal(field, message) : refusal("CONFLICT", [message]);

export const DOSSIER_NOT_FOUND = "Ce dossier n'existe pas ou n'appartient pas à votre organisation.";

/** A 404 the route's error boundary shows; thrown inside a transaction, it also rolls it back. */
export const dossierNotFound = () => data(DOSSIER_NOT_FOUND, { status: 404 });

/**
 * The dossier of this organisation (404 otherwise) with a refusal when it is closed (decided or withdrawn).
 * Call it inside the transaction that changes the dossier: its row stays locked until that transaction ends, so a
 * jury decision committed meanwhile is seen (the change is refused) rather than overwritten or added to. FOR NO KEY
 * UPDATE: what only references the dossier (a decision's insert, an agenda item's) does not wait.
 */
export async function findOpenDossier(tx: Prisma.TransactionClient, organisationId: string, dossierId: string) {
  await tx.$executeRaw`SELECT 1 FROM "Dossier" WHERE "id" = ${dossierId} AND "organisationId" = ${organisationId} FOR NO KEY UPDATE`;
  const dossier = await tx.dossier.findFirst({
    where: { id: dossierId, organisationId },
    select: {
      id: true,
      status: true,
      route: true,
      candidateId: true,
      certificationId: true,
      referentialVersionId: true,
      certification: { select: { scheme: true } },
    },
  });
  if (!dossier) throw dossierNotFound();
  const status = dossier.status as DossierStatus;
  const closed: Refusal | null = isDossierClosed(status)
    ? refuse(`Dossier clos (« ${DOSSIER_STATUS_LABELS[status]} ») : il ne peut plus être modifié.`)
    : null;
  return { dossier, refusal: closed };
}
