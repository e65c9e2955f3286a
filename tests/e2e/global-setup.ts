/**
 * Migrates the template database once (reused while prisma/migrations is unchanged) and seeds the demo template for
 * this run, before the workers copy it.
 */
import { prepareTemplate } from "../support/database";
import { prepareDemoTemplate } from "../support/server";

export default async function globalSetup() {
  const { mode, reused, ms } = await prepareTemplate();
  console.log(`[e2e] ${mode} template ${reused ? "up to date" : "migrated"} in ${ms} ms`);
  const started = Date.now();
  await prepareDemoTemplate({ force: true });
  console.log(`[e2e] demo template seeded in ${Date.now() - started} ms`);
}
