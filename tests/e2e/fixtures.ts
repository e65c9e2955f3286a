/**
 * Each Playwright worker gets its own production server on its own fresh database (a copy of the migrated
 * template, tests/support/server.ts), so specs running in parallel never share data: no test depends on another
 * worker using different demo candidates. The server listens on E2E_PORT + the worker's parallel index (a free
 * port instead if that one is taken) and is stopped, its database thrown away, when the worker ends.
 *
 *   import { expect, test } from "./fixtures";
 */
import { test as base, expect } from "@playwright/test";
import { startServer, type TestServer } from "../support/server";

export const E2E_BASE_PORT = Number(process.env.E2E_PORT ?? 3107);

export const test = base.extend<object, { server: TestServer }>({
  server: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide, workerInfo) => {
      const port = E2E_BASE_PORT + workerInfo.parallelIndex;
      // E2E_BOOT_TIMEOUT_MS: a longer wait for the first health check on a loaded machine.
      const boot = { echo: !!process.env.E2E_ECHO, bootTimeoutMs: Number(process.env.E2E_BOOT_TIMEOUT_MS) || 90_000 };
      let server: TestServer;
      try {
        server = await startServer({ ...boot, port });
      } catch (error) {
        if (!/EADDRINUSE/.test(String(error))) throw error;
        server = await startServer(boot); // a port the OS picks
      }
      try {
        await provide(server);
      } finally {
        const code = await server.stop();
        if (code !== 0) console.error(`[e2e] worker ${workerInfo.workerIndex}: server exited with ${code}\n${server.logs().slice(-4000)}`);
      }
    },
    { scope: "worker", timeout: 2 * (Number(process.env.E2E_BOOT_TIMEOUT_MS) || 90_000) + 60_000 },
  ],
  // Every page and every context a test opens (browser.newContext() too) resolves "/…" against its worker's server.
  baseURL: async ({ server }, provide) => {
    await provide(server.baseUrl);
  },
});

export { expect };
