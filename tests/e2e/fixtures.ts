/**
 * Each spec file gets its own production server on its own fresh database (a copy of the migrated template,
 * tests/support/server.ts): no spec sees what another left behind — a grid signed by the commission spec makes
 * its evaluators recused in the jury, records issued by the delivery spec show in the archive — whichever worker
 * runs it and in whatever order. A worker keeps one server while it runs the tests of one file (they may build on
 * each other, like a user's session); at the first test of the next file the server is stopped, its database thrown
 * away, and a new one started. The server listens on E2E_PORT + the worker's parallel index (a free port instead
 * if that one is taken).
 *
 *   import { expect, test } from "./fixtures";
 */
import { test as base, expect } from "@playwright/test";
import { startServer, type TestServer } from "../support/server";

export const E2E_BASE_PORT = Number(process.env.E2E_PORT ?? 3107);
// E2E_BOOT_TIMEOUT_MS: a longer wait for the first health check on a loaded machine.
const BOOT_TIMEOUT_MS = Number(process.env.E2E_BOOT_TIMEOUT_MS) || 90_000;

type Current = { file: string; server: TestServer } | null;
type Slot = { current: Current; workerIndex: number; port: number };

async function stop(slot: Slot) {
  const current = slot.current;
  slot.current = null;
  if (!current) return;
  const code = await current.server.stop();
  if (code !== 0) console.error(`[e2e] worker ${slot.workerIndex} (${current.file}): server exited with ${code}\n${current.server.logs().slice(-4000)}`);
}

async function start(port: number): Promise<TestServer> {
  const boot = { echo: !!process.env.E2E_ECHO, bootTimeoutMs: BOOT_TIMEOUT_MS };
  try {
    return await startServer({ ...boot, port });
  } catch (error) {
    if (!/EADDRINUSE/.test(String(error))) throw error;
    return startServer(boot); // a port the OS picks
  }
}

export const test = base.extend<{ server: TestServer }, { serverSlot: Slot }>({
  serverSlot: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, provide, workerInfo) => {
      const slot: Slot = { current: null, workerIndex: workerInfo.workerIndex, port: E2E_BASE_PORT + workerInfo.parallelIndex };
      try {
        await provide(slot);
      } finally {
        await stop(slot);
      }
    },
    { scope: "worker", timeout: 60_000 },
  ],
  server: [
    async ({ serverSlot }, provide, testInfo) => {
      if (serverSlot.current?.file !== testInfo.file) {
        await stop(serverSlot);
        serverSlot.current = { file: testInfo.file, server: await start(serverSlot.port) };
      }
      await provide(serverSlot.current!.server);
    },
    { timeout: 2 * BOOT_TIMEOUT_MS + 60_000 },
  ],
  // Every page and every context a test opens (browser.newContext() too) resolves "/…" against its file's server.
  baseURL: async ({ server }, provide) => {
    await provide(server.baseUrl);
  },
});

export { expect };
