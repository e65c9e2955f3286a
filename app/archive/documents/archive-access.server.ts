/**
 * Who sees which archived document. The secretariat and administrators see every document of their organisation;
 * any other member only the documents of the sessions they sat on, and of those only the kinds of the deliberation
 * (`readableArchiveKinds`, app/domain/archive-scope.ts: grids, decision sheets, minutes — not the letters, parchemins
 * and attestations issued for the candidate). Every archive query goes through `visibleDocuments`, so the rule lives
 * in one place. A document outside the member's sessions is « introuvable » (404); a document of a session they sat on
 * whose kind is withheld is « réservé au secrétariat » (403, `refuseArchivedDocument`). A member recused for a candidate
 * on a jury he sat on (declared conflict, trainer, evaluator: `viewerRecusals`, the jury's own rule) does not see that
 * jury's evaluation documents of that candidate either — its fiche de décision (`EVALUATION_KINDS`) — as the jury
 * refuses him its PDF: not listed, not in the session's ZIP, and refused with the jury's sentence (403,
 * `recusedEvaluationRefusal`). It first indexes any document stored without its links (`indexArchive`; writers index
 * theirs), so every kind is covered.
 */
import { prisma, Prisma } from "~/platform/db/db.server";
import { AppError } from "~/platform/app-error";
import { mayReadArchivedKind, readableArchiveKinds, WITHHELD_FROM_MEMBER } from "~/domain/archive-scope";
import { recusedEvaluationRefusal } from "~/domain/jury-vote";
import { viewerRecusals, type ViewerRecusal } from "~/live/jury/jury-context.server";
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

/**
 * The kinds of a jury's documents about one candidate's evaluation that a member recused for him does not read (the
 * jury's fiche de décision; `recusedEvaluationRefusal`). The commission's grids are archived under the commission's
 * session, read there by those who sat on it (its evaluators); the minutes are the whole sitting's.
 */
const EVALUATION_KINDS = ["grid", "decision"] as const;

/** The candidates of the juries the viewer sat on for whom he is recused (none for the secretariat): two statements. */
async function recusedCandidates(viewer: ArchiveViewer): Promise<ViewerRecusal[]> {
  return viewer.manages ? [] : viewerRecusals(prisma, viewer.userId, viewer.organisationId);
}

/** Whether a document is one of `recused`'s withheld evaluation documents, as a Prisma condition. */
const withheldByRecusal = (recused: readonly ViewerRecusal[]): Prisma.SignedDocumentWhereInput => ({
  kind: { in: [...EVALUATION_KINDS] },
  OR: recused.map((r) => ({ sessionId: r.sessionId, candidateId: r.candidateId })),
});

export async function visibleDocuments(viewer: ArchiveViewer): Promise<Prisma.SignedDocumentWhereInput> {
  await indexArchive();
  const kinds = readableArchiveKinds(viewer);
  const scope = await documentsOfSessions(viewer);
  const visible = kinds ? { ...scope, kind: { in: [...kinds] } } : scope;
  const recused = await recusedCandidates(viewer);
  // A recused candidate's evaluation documents out; a row without a candidate (the minutes) is no candidate's.
  return recused.length ? { AND: [visible, { OR: [{ candidateId: null }, { NOT: withheldByRecusal(recused) }] }] } : visible;
}

/**
 * The same rule as `visibleDocuments`, as an SQL condition on the `SignedDocument` row aliased `d` (the archive's list
 * reads in one statement): the organisation's documents, for a non-managing member only the deliberation's documents
 * of the sessions they sat on, but those of the candidates he is recused for on a jury (`recusedCandidates`).
 */
export async function visibleDocumentsSql(viewer: ArchiveViewer): Promise<Prisma.Sql> {
  await indexArchive();
  const organisation = Prisma.sql`d."organisationId" = ${viewer.organisationId}::text`;
  const kinds = readableArchiveKinds(viewer);
  if (!kinds) return organisation;
  const recused = await recusedCandidates(viewer);
  const text = (values: readonly string[]) => Prisma.join(values.map((v) => Prisma.sql`${v}::text`));
  // coalesce: a row without a candidate or a session compares to NULL, and is no recused candidate's.
  const notRecused = recused.length
    ? Prisma.sql` AND NOT coalesce(d.kind IN (${text(EVALUATION_KINDS)}) AND (d."sessionId", d."candidateId") IN (${Prisma.join(
        recused.map((r) => Prisma.sql`(${r.sessionId}::text, ${r.candidateId}::text)`),
      )}), false)`
    : Prisma.empty;
  return Prisma.sql`${organisation} AND d.kind IN (${text(kinds)})
    AND d."sessionId" IN (SELECT m."sessionId" FROM "SessionMember" m JOIN "Session" s ON s.id = m."sessionId"
    WHERE m."userId" = ${viewer.userId}::text AND s."organisationId" = ${viewer.organisationId}::text)${notRecused}`;
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
 * theirs to read → 403 with the reason; an evaluation document of a candidate they are recused for on that jury → 403
 * with the jury's own sentence (`recusedEvaluationRefusal`); anything else (another session's, another organisation's,
 * none) → 404.
 */
export async function refuseArchivedDocument(viewer: ArchiveViewer, documentId: string): Promise<never> {
  const withheld = await prisma.signedDocument.findFirst({
    where: { AND: [{ id: documentId }, await documentsOfSessions(viewer)] },
    select: { kind: true, sessionId: true, candidateId: true },
  });
  if (withheld && !mayReadArchivedKind(viewer, withheld.kind)) throw new AppError("FORBIDDEN", WITHHELD_FROM_MEMBER);
  if (withheld && (EVALUATION_KINDS as readonly string[]).includes(withheld.kind)) {
    const recusal = (await recusedCandidates(viewer)).find((r) => r.sessionId === withheld.sessionId && r.candidateId === withheld.candidateId);
    const refusal = recusedEvaluationRefusal(recusal?.reason);
    if (refusal) throw new AppError("FORBIDDEN", refusal);
  }
  throw new AppError("NOT_FOUND", DOCUMENT_NOT_FOUND);
}
