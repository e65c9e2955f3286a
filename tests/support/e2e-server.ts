/**
 * A production server on a fresh database (copy of the migrated template) on E2E_PORT (default 3107), for trying
 * the app by hand in a browser. The Playwright specs do not use it: each worker starts its own server
 * (tests/e2e/fixtures.ts). SIGTERM or Ctrl-C stops the server gracefully (PGlite closed), throws the database
 * copy away, and this process exits with the server's exit code.
 *
 *   node --import tsx tests/support/e2e-server.ts
 */
import { prepareTemplate } from "./database";
import { startServer } from "./server";

const port = Number(process.env.E2E_PORT ?? 3107);
const log = (message: string) => console.log(`[e2e-server] ${message}`);

const template = await prepareTemplate();
log(`${template.mode} template ${template.reused ? "up to date" : "migrated"} in ${template.ms} ms`);

const server = await startServer({ port, echo: true, bootTimeoutMs: 90_000 });
log(`server healthy on ${server.baseUrl} after ${server.bootMs} ms (database ${server.database.location})`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping the server`);
  const code = await server.stop();
  log(`server exited with code ${code}`);
  process.exit(code ?? 1);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// The server dying on its own ends the run too (Playwright then reports the failure).
void server.exited.then(() => {
  if (stopping) return;
  console.error(`[e2e-server] the server exited unexpectedly (code ${server.exitCode}, signal ${server.exitSignal})`);
  void server.database.dispose().finally(() => process.exit(1));
});
