/** Migrates the template database once (reused while prisma/migrations is unchanged) before the workers copy it. */
import { prepareTemplate } from "../support/database";

export default async function globalSetup() {
  const { mode, reused, ms } = await prepareTemplate();
  console.log(`[e2e] ${mode} template ${reused ? "up to date" : "migrated"} in ${ms} ms`);
}
