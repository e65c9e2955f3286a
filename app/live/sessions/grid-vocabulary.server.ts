/**
 * A grid's vocabulary (app/domain/grid-vocabulary.ts: its référentiel's competences and its scheme's scale), for the
 * access resolver: the document server checks every update of the grid against it. A published version never
 * changes, so its tree comes from memory (./referential-tree.server.ts) and its vocabulary is built once per scheme
 * (the certification's scheme may change: the one read with the access is used); a draft's is built every time.
 */
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { EMPTY_GRID_VOCABULARY, gridVocabulary, type GridVocabulary } from "~/domain/grid-vocabulary";
import { parseScheme, type Scheme } from "~/domain/scheme";
import { referentialTree } from "./referential-tree.server";

type Db = PrismaClient | Prisma.TransactionClient;

/** What the resolver reads of the session's référentiel version (nested in its query: no read of its own). */
export const GRID_VOCABULARY_SELECT = {
  id: true,
  publishedAt: true,
  certification: { select: { scheme: true } },
} as const satisfies Prisma.ReferentialVersionSelect;

type VersionRow = Prisma.ReferentialVersionGetPayload<{ select: typeof GRID_VOCABULARY_SELECT }>;

/** At most this many vocabularies are kept (as many as published trees: ./referential-tree.server.ts). */
const MAX_CACHED = 200;
const key = Symbol.for("quorum.gridVocabularies");
const store = globalThis as unknown as { [key]?: Map<string, { scheme: unknown; vocabulary: GridVocabulary }> };
const cached = (store[key] ??= new Map());

/** The vocabulary of a grid whose session uses `version` (null: a session without référentiel, nothing fits). */
export async function gridVocabularyOf(db: Db, version: VersionRow | null): Promise<GridVocabulary> {
  if (!version) return EMPTY_GRID_VOCABULARY;
  // parseScheme memoises by value: the same stored scheme gives the same object, which keys the cache below.
  let scheme: Scheme;
  try {
    scheme = parseScheme(version.certification.scheme);
  } catch {
    return EMPTY_GRID_VOCABULARY; // never stored so (validated when saved): nothing fits rather than a failed access
  }
  const known = cached.get(version.id);
  if (known && known.scheme === scheme) return known.vocabulary;
  const tree = await referentialTree(db, version);
  const vocabulary = gridVocabulary(
    scheme.scale,
    tree.flatMap((bloc) =>
      bloc.competences.map((competence) => ({
        id: competence.id,
        code: competence.code,
        criteria: competence.criteria.map((criterion) => ({ id: criterion.id, mandatory: criterion.mandatory })),
      })),
    ),
  );
  if (version.publishedAt) {
    if (cached.size >= MAX_CACHED && !cached.has(version.id)) cached.delete(cached.keys().next().value!);
    cached.set(version.id, { scheme, vocabulary });
  }
  return vocabulary;
}
