/**
 * Who sees which archived document. The secretariat and administrators see every document of their organisation;
 * any other member only the documents of the sessions they sat on. Every archive query goes through `visibleDocuments`,
 * so the rule lives in one place and a document outside it is « introuvable » (404), never « interdit ». It first
 * indexes any document stored without its links (`indexArchive`; writers index theirs), so every kind is covered.
 */
import { prisma, Prisma } from "~/platform/db/db.server";
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

export async function visibleDocuments(viewer: ArchiveViewer): Promise<Prisma.SignedDocumentWhereInput> {
  await indexArchive();
  if (viewer.manages) return { organisationId: viewer.organisationId };
  return { organisationId: viewer.organisationId, sessionId: { in: await sessionsSatOn(viewer) } };
}

/**
 * The same rule as `visibleDocuments`, as an SQL condition on the `SignedDocument` row aliased `d` (the archive's list
 * reads in one statement): the organisation's documents, for a non-managing member only those of the sessions they sat on.
 */
export async function visibleDocumentsSql(viewer: ArchiveViewer): Promise<Prisma.Sql> {
  await indexArchive();
  const organisation = Prisma.sql`d."organisationId" = ${viewer.organisationId}::text`;
  if (viewer.manages) return organisation;
  return Prisma.sql`${organisation} AND d."sessionId" IN (SELECT m."sessionId" FROM "SessionMember" m JOIN "Session" s ON s.id = m."sessionId"
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
