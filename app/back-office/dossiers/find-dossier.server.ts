/**
 * Shared by the dossier use cases: who acts (for the audit trail), how a refusal comes back to a form, and the
 * organisation-scoped lookup of a dossier that may still be changed.
 */
import { data } from "@remix-run/node";
import type { Prisma } from "~/platform/db/db.server";
import { DOSSIER_STATUS_LABELS, isDossierClosed, type DossierStatus } from "~/domain/completeness";

/** The acting user, their organisation, and the request metadata the audit event records. */
export type Actor = { organisationId: string; userId: string; ip: string | null; userAgent: string | null };

/** A refused change: French messages for the whole form and/or per field. Nothing was written. */
export type Refused = { ok: false; formErrors?: string[]; fieldErrors?: Record<string, string[]> };

export const refuse = (message: string, field?: string): Refused =>
  field ? { ok: false, fieldErrors: { [field]: [message] } } : { ok: false, formErrors: [message] };

export const DOSSIER_NOT_FOUND = "Ce dossier n'existe pas ou n'appartient pas à votre organisation.";

/** A 404 the route's error boundary shows; thrown inside a transaction, it also rolls it back. */
export const dossierNotFound = () => data(DOSSIER_NOT_FOUND, { status: 404 });

export function auditActor(actor: Actor) {
  return { organisationId: actor.organisationId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent };
}

/**
 * The dossier of this organisation (404 otherwise) with a refusal when it is closed (decided or withdrawn).
 * Call it inside the transaction that changes the dossier.
 */
export async function findOpenDossier(tx: Prisma.TransactionClient, organisationId: string, dossierId: string) {
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
  const refusal: Refused | null = isDossierClosed(status)
    ? refuse(`Dossier clos (« ${DOSSIER_STATUS_LABELS[status]} ») : il ne peut plus être modifié.`)
    : null;
  return { dossier, refusal };
}
