/**
 * Vitest global setup of the PostgreSQL tier (QUORUM_TEST_TIER=postgres): PostgreSQL and Redis must answer, or
 * the run fails here, before any test, saying which one and how to start it. Then the template database is
 * migrated once per run (reused while prisma/migrations is unchanged), and the demo template seeded for this run.
 */
import { assertRedisReachable } from "./support/redis";
import { PG_TEMPLATE, postgresTestUrl, prepareTemplate } from "./support/database";
import { prepareDemoTemplate } from "./support/server";

const REDIS_URL = (process.env.QUORUM_TEST_REDIS_URL ?? process.env.REDIS_URL)?.trim() || "redis://127.0.0.1:6379";

export default async function setup() {
  if (!postgresTestUrl()) throw new Error("the PostgreSQL tier runs with QUORUM_TEST_DATABASE_URL set (vitest.config.ts sets it)");
  await assertRedisReachable(REDIS_URL, "the PostgreSQL tier");
  // An unreachable PostgreSQL is an error here (tests/support/database.ts), with the command that starts it.
  const { reused, ms } = await prepareTemplate();
  console.log(`[tests] PostgreSQL template database ${PG_TEMPLATE} ${reused ? "up to date" : "migrated"} in ${ms} ms; Redis at ${REDIS_URL}`);
  const started = Date.now();
  await prepareDemoTemplate({ force: true });
  console.log(`[tests] demo template seeded in ${Date.now() - started} ms`);
}
