/**
 * The référentiel's tree as the pages and use cases read it, in its order: blocs, their competences and (for the
 * full tree) each competence's criteria. One select, spread into a `referentialVersion` select. The live pages read
 * the full tree through app/live/sessions/referential-tree.server.ts (published versions kept in memory).
 */
import type { Prisma } from "~/platform/db/db.server";

const byPosition = { orderBy: { position: "asc" } } as const;
const bloc = { id: true, code: true, title: true, position: true } as const;
const competence = { id: true, code: true, statement: true, conditions: true, modalities: true, position: true } as const;
const criterion = { id: true, statement: true, measurable: true, mandatory: true, expected: true, position: true } as const;

/** Blocs and their competences (no criteria): what a dossier shows and checks. */
export const REFERENTIAL_OUTLINE_SELECT = {
  blocs: { ...byPosition, select: { ...bloc, competences: { ...byPosition, select: competence } } },
} as const satisfies Prisma.ReferentialVersionSelect;

/** Blocs, competences and criteria: the référentiel page, the session page and the exchange format. */
export const REFERENTIAL_TREE_SELECT = {
  blocs: {
    ...byPosition,
    select: { ...bloc, competences: { ...byPosition, select: { ...competence, criteria: { ...byPosition, select: criterion } } } },
  },
} as const satisfies Prisma.ReferentialVersionSelect;

/** What a grid's outcome is computed from (`gridOutcome`, `blocSpecs` in app/domain/aggregation): blocs, codes, criteria. */
export const REFERENTIAL_GRID_SELECT = {
  blocs: {
    ...byPosition,
    select: {
      id: true,
      code: true,
      title: true,
      competences: { ...byPosition, select: { id: true, code: true, criteria: { ...byPosition, select: { id: true, mandatory: true } } } },
    },
  },
} as const satisfies Prisma.ReferentialVersionSelect;
