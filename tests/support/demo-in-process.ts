/**
 * The demo on a fresh database, opened in the test's own process (the use cases called directly, no server):
 * `const { database, prisma, disconnect } = await openDemoInProcess("appeals")`; then `disconnect()` and
 * `database.dispose()` after the tests. PUBLIC_URL is set; credential keys go to a temporary directory (on PGlite,
 * QUORUM_DATA_DIR is the database's own directory: they go there).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { prepareDemoDatabase } from "./server";

export async function openDemoInProcess(name: string) {
  const database = await prepareDemoDatabase();
  Object.assign(process.env, { QUORUM_DATA_DIR: mkdtempSync(path.join(tmpdir(), `quorum-${name}-`)) }, database.env, {
    PUBLIC_URL: "https://quorum.example.org",
  });
  const db = await import("~/platform/db/db.server");
  const { seedDemoIfEmpty } = await import("../../prisma/seed/demo");
  await seedDemoIfEmpty(db.prisma);
  return { database, prisma: db.prisma, disconnect: db.disconnectDatabase };
}
