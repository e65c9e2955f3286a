/**
 * The app's own Prisma client in the test process, on a test database:
 *
 *   await withPrisma(database, (prisma) => prisma.user.count());   // a stopped server's database, then closed
 *   const seeded = await openSeededDatabase({ PUBLIC_URL: "…" });   // a fresh demo database kept open
 *   seeded.prisma.…; await seeded.close();
 *
 * PGlite allows one process per data directory: open a server's database only while that server is stopped.
 */
import type { TestDatabase } from "./database";
import { prepareDemoDatabase } from "./server";

type PrismaClient = import("~/platform/db/db.server").PrismaClient;

/** Runs `run` with a Prisma client on `database` (its env becomes this process's), then closes the client. */
export async function withPrisma<T>(database: TestDatabase, run: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  for (const key of ["DATABASE_URL", "QUORUM_DATA_DIR"]) delete process.env[key];
  Object.assign(process.env, database.env);
  const { prisma, disconnectDatabase } = await import("~/platform/db/db.server");
  try {
    return await run(prisma);
  } finally {
    await disconnectDatabase();
  }
}

/** A fresh database with the demo seed, opened in this process with `env` set (e.g. PUBLIC_URL); `close` disposes it. */
export async function openSeededDatabase(
  env: Record<string, string> = {},
): Promise<{ database: TestDatabase; prisma: PrismaClient; close: () => Promise<void> }> {
  const database = await prepareDemoDatabase();
  Object.assign(process.env, database.env, env);
  const { prisma, disconnectDatabase } = await import("~/platform/db/db.server");
  const { seedDemoIfEmpty } = await import("../../prisma/seed/demo");
  await seedDemoIfEmpty(prisma);
  return {
    database,
    prisma,
    close: async () => {
      await disconnectDatabase();
      await database.dispose();
    },
  };
}
