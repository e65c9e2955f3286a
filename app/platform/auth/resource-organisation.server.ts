/**
 * The organisation a resource belongs to, for the guards (app/platform/auth/guards.server.ts): a route acting on a
 * session, a candidate, a document… is authorised with the person's role in THAT organisation. Read only for a person
 * with several memberships (one statement, the resource's `organisationId` by its key); a person in one organisation
 * acts there, and the use case's own scoping answers « introuvable » for anything else. A resource never changes
 * organisation, so what was read is kept in memory (bounded): the next page about it reads nothing more
 * (docs/decisions/0027-resource-organisation-memo.md).
 */
import { prisma } from "~/platform/db/db.server";

export type OrgResource =
  | { session: string }
  | { candidate: string }
  | { dossier: string }
  | { certification: string }
  | { deliveryRecord: string }
  | { outboxEmail: string }
  /** An archived document by its id (SignedDocument). */
  | { signedDocument: string }
  /** A signed or issued document by its kind and document id (its SignedDocument, or a lookup of its own). */
  | { signedKind: string; documentId: string }
  /** Any other resource: how to read its organisation (null: unknown). */
  | { organisationOf: () => Promise<string | null> };

const byId = { select: { organisationId: true } } as const;

/** Resources whose organisation was read, by kind and key (insertion order: the oldest is dropped first). */
const known = new Map<string, string>();
const KNOWN_MAX = 20_000;

/** The resource's organisation id, or null when it does not exist (or has none). */
export async function organisationOfResource(resource: OrgResource): Promise<string | null> {
  if ("organisationOf" in resource) return resource.organisationOf();
  // Only what was found is kept: an unknown key is read again (it answers « introuvable » either way).
  const key = JSON.stringify(resource);
  const memo = known.get(key);
  if (memo !== undefined) return memo;
  const organisationId = await readOrganisationOf(resource);
  if (organisationId !== null) {
    if (known.size >= KNOWN_MAX) known.delete(known.keys().next().value!);
    known.set(key, organisationId);
  }
  return organisationId;
}

async function readOrganisationOf(resource: Exclude<OrgResource, { organisationOf: () => Promise<string | null> }>): Promise<string | null> {
  if ("session" in resource) return (await prisma.session.findUnique({ where: { id: resource.session }, ...byId }))?.organisationId ?? null;
  if ("candidate" in resource) return (await prisma.candidate.findUnique({ where: { id: resource.candidate }, ...byId }))?.organisationId ?? null;
  if ("dossier" in resource) return (await prisma.dossier.findUnique({ where: { id: resource.dossier }, ...byId }))?.organisationId ?? null;
  if ("certification" in resource) return (await prisma.certification.findUnique({ where: { id: resource.certification }, ...byId }))?.organisationId ?? null;
  if ("deliveryRecord" in resource) return (await prisma.deliveryRecord.findUnique({ where: { id: resource.deliveryRecord }, ...byId }))?.organisationId ?? null;
  if ("outboxEmail" in resource) return (await prisma.outboxEmail.findUnique({ where: { id: resource.outboxEmail }, ...byId }))?.organisationId ?? null;
  if ("signedDocument" in resource) return (await prisma.signedDocument.findUnique({ where: { id: resource.signedDocument }, ...byId }))?.organisationId ?? null;
  const document = await prisma.signedDocument.findUnique({ where: { kind_documentId: { kind: resource.signedKind, documentId: resource.documentId } }, ...byId });
  return document?.organisationId ?? null;
}
