/**
 * Who sees which archived document. The secretariat and administrators see every document of their organisation;
 * any other member only the documents of the sessions they sat on. Every archive query goes through `visibleDocuments`,
 * so the rule lives in one place and a document outside it is « introuvable » (404), never « interdit ».
 */
import type { Prisma } from "~/platform/db/db.server";

export type ArchiveViewer = { userId: string; organisationId: string; manages: boolean };

export function visibleDocuments(viewer: ArchiveViewer): Prisma.SignedDocumentWhereInput {
  return {
    slot: {
      session: {
        organisationId: viewer.organisationId,
        ...(viewer.manages ? {} : { members: { some: { userId: viewer.userId } } }),
      },
    },
  };
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
