/**
 * The server's housekeeping of its embedded database (app/platform/db/embedded-maintenance.server.ts), run as the server runs
 * it: through Prisma on PGlite in a worker thread. Without it, the Yjs log's deleted rows are never vacuumed and
 * the log's table only grows; no checkpoint is taken before 1 GB of WAL. Runs in both tiers on an embedded copy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "~/platform/db/generated/client";
import { MAINTENANCE_THRESHOLDS, runMaintenancePass } from "~/platform/db/embedded-maintenance.server";
import { closeEmbeddedDatabase, PGliteAdapterFactory, registerEmbeddedDatabase } from "~/platform/db/pglite.server";
import { startPGliteThread } from "~/platform/db/pglite-thread.server";
import { prepareDatabase, type TestDatabase } from "../support/database";

describe("embedded database maintenance (also in the PostgreSQL tier: it tests the embedded database itself)", () => {
  let database: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    database = await prepareDatabase({ embedded: true });
    registerEmbeddedDatabase(database.location, await startPGliteThread(database.location));
    prisma = new PrismaClient({ adapter: new PGliteAdapterFactory(() => database.location) });
    await prisma.collabDocument.create({ data: { name: "grid:maintenance" } });
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await closeEmbeddedDatabase();
    await database?.dispose();
  });

  /** What a busy grid does between two compactions: append updates, then fold (delete) them. */
  async function appendThenFold(count: number) {
    const update = Uint8Array.from({ length: 200 }, (_, i) => i % 256);
    await prisma.collabUpdate.createMany({ data: Array.from({ length: count }, () => ({ docName: "grid:maintenance", update })) });
    await prisma.collabUpdate.deleteMany({ where: { docName: "grid:maintenance" } });
    // PostgreSQL publishes a backend's table counters at most once a second; the pass must see these now.
    await prisma.$executeRawUnsafe("SELECT pg_stat_force_next_flush()");
    await prisma.$executeRawUnsafe("SELECT 1"); // the flush happens when the backend next goes idle
  }
  const logSize = async () =>
    Number((await prisma.$queryRawUnsafe<{ size: bigint }[]>(`SELECT pg_relation_size('"CollabUpdate"') AS size`))[0].size);

  it("vacuums the Yjs log once compactions deleted enough rows, so the next updates reuse the space", async () => {
    await appendThenFold(2_000);
    const sizeBefore = await logSize();

    const work = await runMaintenancePass(prisma);
    expect(work.vacuum).toContain("CollabUpdate");
    const [stats] = await prisma.$queryRawUnsafe<{ dead: bigint; vacuumed: Date | null }[]>(
      `SELECT n_dead_tup AS dead, last_vacuum AS vacuumed FROM pg_stat_user_tables WHERE relname = 'CollabUpdate'`,
    );
    expect(stats.dead).toBe(0n);
    expect(stats.vacuumed).toBeInstanceOf(Date);

    await appendThenFold(2_000);
    expect(await logSize()).toBe(sizeBefore); // without the vacuum the table grows by the same amount again
  });

  it("leaves tables alone when nothing is due", async () => {
    await runMaintenancePass(prisma); // whatever the previous test left
    expect(await runMaintenancePass(prisma)).toEqual({ vacuum: [], analyze: [], checkpoint: false, ran: [] });
  });

  it("takes a checkpoint when the WAL written since the last one passes the bound", async () => {
    const redo = async () =>
      (await prisma.$queryRawUnsafe<{ redo: string }[]>(`SELECT redo_lsn::text AS redo FROM pg_control_checkpoint()`))[0].redo;
    const before = await redo();
    await prisma.collabUpdate.create({ data: { docName: "grid:maintenance", update: Uint8Array.from([1]) } });

    const work = await runMaintenancePass(prisma, { ...MAINTENANCE_THRESHOLDS, checkpointWalBytes: 1 });
    expect(work.checkpoint).toBe(true);
    expect(await redo()).not.toBe(before);
  });
});
