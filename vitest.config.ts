/**
 * Two tiers, chosen by QUORUM_TEST_TIER, so that no test is ever skipped at run time:
 *
 * - `pglite` (default; `npm run test:vitest`, `npx vitest run <file>`):
 *   - unit: tests/unit/**, in-process, fast;
 *   - integration: tests/integration/** except the files that need PostgreSQL and Redis (POSTGRES_ONLY); each
 *     file starts the real production server (tests/support/server.ts) on a copy of an embedded PGlite template
 *     migrated once per run by tests/global-setup.ts. Needs `npm run build`.
 * - `postgres` (`npm run test:integration:pg`): integration-pg, the integration tests whose outcome depends on the
 *   database server (POSTGRES_TIER: concurrency, the driver, access decided in SQL, scale mode), on PostgreSQL
 *   (QUORUM_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) with Redis (QUORUM_TEST_REDIS_URL, default redis://127.0.0.1:6379).
 *   tests/global-setup-pg.ts fails the run before any test when either is unreachable.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };

/** Several server processes, or two transactions interleaved, on one PostgreSQL database: meaningless on an embedded one. */
const POSTGRES_ONLY = ["tests/integration/scale.test.ts", "tests/integration/scale-jobs.test.ts", "tests/integration/races.test.ts", "tests/integration/pg-prepared-statements.test.ts"];
/**
 * The PostgreSQL tier: every file whose outcome depends on the database server (docs/decisions/0022-postgresql-tier.md).
 * PGlite runs one statement at a time on one connection; PostgreSQL runs the same requests concurrently, through another
 * driver: what two tabs, two processes or two requests do at once, what the driver's types and prepared statements do,
 * every page's reads and statement budget (crawl), realtime persistence, the membership checks folded into SQL. The
 * other integration files exercise the application's rules over the same schema and SQL; the PGlite tier runs them all.
 */
const POSTGRES_TIER = [
  ...POSTGRES_ONLY,
  // Concurrency: the same command at once, a lock order, a numbering, idempotency under a double click.
  "tests/integration/double-submit.test.ts",
  "tests/integration/concurrent-logins.test.ts",
  "tests/integration/auth.test.ts",
  "tests/integration/commission.test.ts",
  "tests/integration/jury.test.ts",
  "tests/integration/decision-sheet.test.ts",
  "tests/integration/signing.test.ts",
  // The vice-president signing for a prevented president: its migration, lock and completion on the driver.
  "tests/integration/signer-replacement.test.ts",
  "tests/integration/delivery.test.ts",
  "tests/integration/delivery-chain.test.ts",
  "tests/integration/delivery-notice.test.ts",
  "tests/integration/coalesced-reads.test.ts",
  // Reads through the PostgreSQL driver: every page and its statements, plans, types, volume.
  "tests/integration/crawl.test.ts",
  "tests/integration/query-plan-cache.test.ts",
  "tests/integration/bytes-columns.test.ts",
  "tests/integration/history.test.ts",
  "tests/integration/lists-at-volume.test.ts",
  // Access decided in SQL, sessions and sockets re-checked, realtime documents stored.
  "tests/integration/session-revocation.test.ts",
  "tests/integration/members.test.ts",
  "tests/integration/removed-member-seats.test.ts",
  "tests/integration/jury-preconisations-access.test.ts",
  "tests/integration/jury-probes.test.ts",
  "tests/integration/realtime.test.ts",
  "tests/integration/fuzz.test.ts",
];
/** The embedded PGlite itself (its thread, its maintenance): they force PGlite whatever the tier. */
const EMBEDDED_ONLY = ["tests/integration/pglite-thread.test.ts", "tests/integration/embedded-maintenance.test.ts"];
// A file named here that does not exist (renamed, mistyped) would silently leave the tier: refuse to run.
for (const file of [...POSTGRES_TIER, ...EMBEDDED_ONLY]) {
  if (!existsSync(path.resolve(import.meta.dirname, file))) throw new Error(`vitest.config.ts names ${file}, which does not exist`);
}

const tier = process.env.QUORUM_TEST_TIER?.trim() || "pglite";
if (tier !== "pglite" && tier !== "postgres") {
  throw new Error(`QUORUM_TEST_TIER must be "pglite" or "postgres", not "${tier}"`);
}

/** The tier's database for this process, its global setup and its workers. */
const POSTGRES_URL = process.env.QUORUM_TEST_DATABASE_URL?.trim() || "postgres://postgres@127.0.0.1:5432/test";
// Embedded whatever the shell says in the PGlite tier (an empty value means embedded in tests/support/database.ts).
process.env.QUORUM_TEST_DATABASE_URL = tier === "postgres" ? POSTGRES_URL : "";

const integration = {
  environment: "node",
  // A server boots in ~3 s on a template copy; a restart test boots two.
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // Each file runs its own servers; two at a time keeps CPU-bound boots (argon2 seeding) fast.
  maxWorkers: 2,
} as const;

const pgliteTier: TestProjectInlineConfiguration[] = [
  {
    resolve: { alias },
    test: {
      name: "unit",
      include: ["tests/unit/**/*.test.ts"],
      environment: "node",
      testTimeout: 15_000,
      // A unit file that starts an embedded PGlite (~3 s alone) waits for it in its beforeAll: on two busy cores that
      // took over vitest's default 10 s, and the file's tests were reported skipped.
      hookTimeout: 60_000,
      // Vitest's default is one worker fewer than the cores: one worker on two cores, the other core idle for the
      // ~2 minutes of unit files (decision 0022).
      maxWorkers: 2,
      sequence: { groupOrder: 0 },
    },
  },
  {
    resolve: { alias },
    test: {
      ...integration,
      name: "integration",
      include: ["tests/integration/**/*.test.ts"],
      exclude: POSTGRES_ONLY,
      // In-process Prisma clients compile every read a plan template answers and throw if the plans differ.
      env: { QUORUM_TEST_DATABASE_URL: "", QUORUM_QUERY_PLAN_VERIFY: "1" },
      globalSetup: ["tests/global-setup.ts"],
      sequence: { groupOrder: 1 }, // after the unit tests
    },
  },
];

const postgresTier: TestProjectInlineConfiguration[] = [
  {
    resolve: { alias },
    test: {
      ...integration,
      name: "integration-pg",
      include: POSTGRES_TIER,
      env: { QUORUM_TEST_DATABASE_URL: POSTGRES_URL, QUORUM_QUERY_PLAN_VERIFY: "1" },
      globalSetup: ["tests/global-setup-pg.ts"],
    },
  },
];

export default defineConfig({
  resolve: { alias },
  test: { projects: tier === "postgres" ? postgresTier : pgliteTier },
});
