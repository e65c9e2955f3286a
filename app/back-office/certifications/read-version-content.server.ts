/** Reads a version's blocs, competences and criteria in order, as the exchange format's content. */
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { isModality } from "~/domain/certification";
import type { ReferentialContent } from "~/domain/referential-import";

export async function readVersionContent(
  db: Prisma.TransactionClient | PrismaClient,
  versionId: string,
): Promise<ReferentialContent> {
  const version = await db.referentialVersion.findUniqueOrThrow({
    where: { id: versionId },
    select: {
      notes: true,
      blocs: {
        orderBy: { position: "asc" },
        select: {
          code: true,
          title: true,
          competences: {
            orderBy: { position: "asc" },
            select: {
              code: true,
              statement: true,
              conditions: true,
              modalities: true,
              criteria: {
                orderBy: { position: "asc" },
                select: { statement: true, measurable: true, mandatory: true, expected: true },
              },
            },
          },
        },
      },
    },
  });
  return {
    notes: version.notes,
    blocs: version.blocs.map((b) => ({
      ...b,
      competences: b.competences.map((c) => ({ ...c, modalities: c.modalities.filter(isModality) })),
    })),
  };
}
