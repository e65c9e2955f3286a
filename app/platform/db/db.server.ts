/**
 * The Prisma client of this process. One per process (a globalThis singleton), because both the server entry
 * and the Remix server build import this module.
 */
import { PrismaClient } from "./generated/client";
import { closeSharedEmbeddedDatabase, createAdapterFactory, databaseUrl } from "./adapters.server";
import { withQueryCounter } from "./query-counter.server";
import { installQueryPlanCache } from "./query-plan-cache.server";

export { Prisma } from "./generated/client";
export type * from "./generated/client";

const key = Symbol.for("quorum.prisma");
const store = globalThis as unknown as { [key]?: PrismaClient };

function createClient(): PrismaClient {
  // Tests' servers set QUORUM_QUERY_PLAN_FREEZE=1: a cached plan written to by Prisma would throw there, and so would
  // a plan filled from a template that differs from the query's own.
  const tests = process.env.QUORUM_QUERY_PLAN_FREEZE === "1";
  installQueryPlanCache({
    freezePlans: tests,
    verifyTemplates: tests || process.env.QUORUM_QUERY_PLAN_VERIFY === "1",
    // QUORUM_QUERY_PLAN_TEMPLATES=0: plans kept per exact query only (decision 0014, « Plans filled from templates »).
    templates: process.env.QUORUM_QUERY_PLAN_TEMPLATES !== "0",
  });
  return new PrismaClient({ adapter: withQueryCounter(createAdapterFactory({ app: true })) });
}

export const prisma: PrismaClient = (store[key] ??= createClient());

export const isEmbeddedDatabase = () => !databaseUrl();

/** Closes the database: the pg pool, or the embedded PGlite (which must be closed to stay consistent). */
export async function disconnectDatabase(): Promise<void> {
  await prisma.$disconnect();
  await closeSharedEmbeddedDatabase();
  delete store[key];
}
