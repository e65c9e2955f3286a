/**
 * A référentiel version's blocs, competences and criteria (ordered by position), as the live pages and the grid
 * read them. A published version never changes again (app/back-office/certifications/publish-version.server.ts),
 * so its tree is kept in memory, keyed by version id, and read from the database once per process; a draft's is
 * read every time. The certification (title, scheme) is not part of it: it can change and is always read.
 */
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { REFERENTIAL_TREE_SELECT } from "~/back-office/certifications/referential-tree.server";

type Db = PrismaClient | Prisma.TransactionClient;

export type ReferentialTree = Prisma.ReferentialVersionGetPayload<{ select: typeof REFERENTIAL_TREE_SELECT }>["blocs"];

/** At most this many published versions are kept (a few kilobytes each); the oldest read goes first. */
const MAX_CACHED = 200;
const key = Symbol.for("quorum.publishedReferentialTrees");
const store = globalThis as unknown as { [key]?: Map<string, ReferentialTree> };
const published = (store[key] ??= new Map<string, ReferentialTree>());

/** The version's tree; `publishedAt` as the caller read it with the version (null: a draft, never cached). */
export async function referentialTree(db: Db, version: { id: string; publishedAt: Date | null }): Promise<ReferentialTree> {
  const cached = published.get(version.id);
  if (cached) return cached;
  const row = await db.referentialVersion.findUnique({
    where: { id: version.id },
    select: { publishedAt: true, ...REFERENTIAL_TREE_SELECT },
  });
  const tree = row?.blocs ?? [];
  if (row?.publishedAt && version.publishedAt) {
    if (published.size >= MAX_CACHED) published.delete(published.keys().next().value!);
    published.set(version.id, tree);
  }
  return tree;
}
