/**
 * Who sees which archived document. The secretariat and administrators see every document of their organisation;
 * any other member only the documents of the sessions they sat on, and of those only the kinds of the deliberation
 * (`readableArchiveKinds`, app/domain/archive-scope.ts: grids, decision sheets, minutes — not the letters, parchemins
 * and attestations issued for the candidate). Every archive query goes through `visibleDocuments`, so the rule lives
 * in one place. A document outside the member's sessions is « introuvable » (404); a document of a session they sat on
 * whose kind is withheld is « réservé au secrétariat » (403, `refuseArchivedDocument`). It first indexes any document
 * stored without its links (`indexArchive`; writers index theirs), so every kind is covered.
 */
import { prisma, Prisma } from "~/platform/db/db.server";
import { AppError } from "~/platform/app-error";
import { mayReadArchivedKind, readableArchiveKinds, WITHHELD_FROM_MEMBER } from "~/domain/archive-scope";
import { indexArchive } from "./index-archive.server";

export type ArchiveViewer = { userId: string; organisationId: string; manages: boolean };

/** The sessions whose documents a non-managing member may see: those they sit or sat on. */
async function sessionsSatOn(viewer: ArchiveViewer): Promise<string[]> {
  const seats = await prisma.sessionMember.findMany({
    where: { userId: viewer.userId, session: { organisationId: viewer.organisationId } },
    select: { sessionId: true },
  });
  return seats.map((s) => s.sessionId);
}

/** The documents of the viewer's sessions, whatever their kind (the whole organisation for a manager). */
async function documentsOfSessions(viewer: ArchiveViewer): Promise<Prisma.SignedDocumentWhereInput> {
  if (viewer.manages) return { organisationId: viewer.organisationId };
  return { organisationId: viewer.organisationId, sessionId: { in: await sessionsSatOn(viewer) } };
}

export async function visibleDocuments(viewer: ArchiveViewer): Promise<Prisma.SignedDocumentWhereInput> {
  await indexArchive();
  const kinds = readableArchiveKinds(viewer);
  const scope = await documentsOfSessions(viewer);
  return kinds ? { ...scope, kind: { in: [...kinds] } } : scope;
}

/**
 * The same rule as `visibleDocuments`, as an SQL condition on the `SignedDocument` row aliased `d` (the archive's list
 * reads in one statement): the organisation's documents, for a non-managing member only the deliberation's documents
 * of the sessions they sat on.
 */
export async function visibleDocumentsSql(viewer: ArchiveViewer): Promise<Prisma.Sql> {
  await indexArchive();
  const organisation = Prisma.sql`d."organisationId" = ${viewer.organisationId}::text`;
  const kinds = readableArchiveKinds(viewer);
  if (!kinds) return organisation;
  return Prisma.sql`${organisation} AND d.kind IN (${Prisma.join(kinds.map((k) => Prisma.sql`${k}::text`))})
    AND d."sessionId" IN (SELECT m."sessionId" FROM "SessionMember" m JOIN "Session" s ON s.id = m."sessionId"
    WHERE m."userId" = ${viewer.userId}::text AND s."organisationId" = ${viewer.organisationId}::text)`;
}

export function visibleSession(viewer: ArchiveViewer, sessionId: string): Prisma.SessionWhereInput {
  return {
    id: sessionId,
    organisationId: viewer.organisationId,
    ...(viewer.manages ? {} : { members: { some: { userId: viewer.userId } } }),
  };
}

export const DOCUMENT_NOT_FOUND = "Ce document n'existe pas ou ne fait pas partie de vos archives.";
export const SESSION_NOT_FOUND = "Cette session n'existe pas ou ne fait pas partie de vos archives.";

/**
 * Why `documentId` is not among the viewer's visible documents: a document of a session they sat on whose kind is not
 * theirs to read → 403 with the reason; anything else (another session's, another organisation's, none) → 404.
 */
export async function refuseArchivedDocument(viewer: ArchiveViewer, documentId: string): Promise<never> {
  const withheld = await prisma.signedDocument.findFirst({
    where: { AND: [{ id: documentId }, await documentsOfSessions(viewer)] },
    select: { kind: true },
  });
  if (withheld && !mayReadArchivedKind(viewer, withheld.kind)) throw new AppError("FORBIDDEN", WITHHELD_FROM_MEMBER);
  throw new AppError("NOT_FOUND", DOCUMENT_NOT_FOUND);
}
