/**
 * Writes a référentiel version with its blocs, competences and criteria, inside the caller's transaction. Used by
 * the import, by « nouvelle version » (a copy of the latest) and by the demo catalogue.
 */
import type { Prisma } from "~/platform/db/db.server";
import type { ReferentialContent } from "~/domain/referential-import";

export type CreatedVersion = {
  id: string;
  version: number;
  blocs: Array<{ id: string; code: string; competences: Array<{ id: string; code: string }> }>;
};

export async function createVersionWithContent(
  tx: Prisma.TransactionClient,
  input: {
    certificationId: string;
    version: number;
    content: ReferentialContent;
    publishedAt?: Date | null;
  },
): Promise<CreatedVersion> {
  const created = await tx.referentialVersion.create({
    data: {
      certificationId: input.certificationId,
      version: input.version,
      notes: input.content.notes,
      publishedAt: input.publishedAt ?? null,
      blocs: {
        create: input.content.blocs.map((bloc, b) => ({
          code: bloc.code,
          title: bloc.title,
          position: b + 1,
          competences: {
            create: bloc.competences.map((competence, c) => ({
              code: competence.code,
              statement: competence.statement,
              conditions: competence.conditions,
              modalities: competence.modalities,
              position: c + 1,
              criteria: {
                create: competence.criteria.map((criterion, k) => ({
                  statement: criterion.statement,
                  measurable: criterion.measurable,
                  mandatory: criterion.mandatory,
                  expected: criterion.expected,
                  position: k + 1,
                })),
              },
            })),
          },
        })),
      },
    },
    select: {
      id: true,
      version: true,
      blocs: {
        orderBy: { position: "asc" },
        select: { id: true, code: true, competences: { orderBy: { position: "asc" }, select: { id: true, code: true } } },
      },
    },
  });
  return created;
}
