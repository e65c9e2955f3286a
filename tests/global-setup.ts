/**
 * Vitest global setup of the integration project: migrates the template database once per run (reused across
 * runs while prisma/migrations is unchanged), then seeds the demo template once for this run. Every server then
 * starts on a copy of one or the other.
 */
import { PG_TEMPLATE, prepareTemplate } from "./support/database";
import { prepareDemoTemplate } from "./support/server";

export default async function setup() {
  const { mode, reused, ms } = await prepareTemplate();
  const what = mode === "postgres" ? `PostgreSQL template database ${PG_TEMPLATE}` : "PGlite template directory";
  console.log(`[tests] ${what} ${reused ? "up to date" : "migrated"} in ${ms} ms`);
  const started = Date.now();
  await prepareDemoTemplate({ force: true });
  console.log(`[tests] demo template seeded in ${Date.now() - started} ms`);
}
