/**
 * Vitest global setup of the integration project: migrates the template database once per run (reused across
 * runs while prisma/migrations is unchanged). Every server then starts on a copy of it.
 */
import { prepareTemplate } from "./support/database";

export default async function setup() {
  const { mode, reused, ms } = await prepareTemplate();
  const what = mode === "postgres" ? "PostgreSQL template database quorum_template" : "PGlite template directory";
  console.log(`[tests] ${what} ${reused ? "up to date" : "migrated"} in ${ms} ms`);
}
