/**
 * Two Vitest projects:
 * - unit: tests/unit/**, in-process, fast;
 * - integration: tests/integration/**, each file starts the real production server (tests/support/server.ts)
 *   on a copy of a template database migrated once per run by tests/global-setup.ts. Needs `npm run build`.
 *   PostgreSQL instead of PGlite: QUORUM_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test.
 */
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          testTimeout: 15_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/global-setup.ts"],
          // A server boots in ~3 s on a template copy; a restart test boots two.
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file runs its own servers; two at a time keeps CPU-bound boots (argon2 seeding) fast.
          maxWorkers: 2,
          sequence: { groupOrder: 1 }, // after the unit tests
        },
      },
    ],
  },
});
