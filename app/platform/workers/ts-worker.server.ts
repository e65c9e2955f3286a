/**
 * Starts one of the server's TypeScript worker threads (PGlite's, the PDF renderer's, the credential signer's) in the lightest way available:
 *
 *  - production server (`npm run build` bundles each worker entry into build/node/<name>.js beside the server's,
 *    vite.server.config.ts): plain JavaScript, no TypeScript loader in the thread.
 *  - otherwise (development, tests that import the source, a checkout built before the workers were bundled): the
 *    `.ts` entry through tsx's ESM loader, registered in the worker. Node 20 runs an ESM loader in a thread of its own,
 *    so this costs one more V8 isolate per worker (~25–30 MiB measured, docs/decisions/0013-server-memory.md).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/** build/node/, from the working directory like build/client and build/server (server.ts). */
const BUNDLES = path.resolve("build", "node");

/** The bundled entry that `npm run build` made for `entry` (a `.ts` file URL), when the server runs from a build. */
export function workerBundle(entry: URL): string | null {
  if (process.env.NODE_ENV !== "production" || process.env.QUORUM_WORKERS_FROM_SOURCE === "1") return null;
  const bundle = path.join(BUNDLES, path.basename(fileURLToPath(entry)).replace(/\.ts$/, ".js"));
  return existsSync(bundle) ? bundle : null;
}

export function startTsWorker(entry: URL, options: Omit<WorkerOptions, "eval" | "execArgv">): Worker {
  const bundle = workerBundle(entry);
  // execArgv []: the thread does not inherit `--import tsx` when the server itself runs through it.
  if (bundle) return new Worker(bundle, { ...options, execArgv: [] });
  return new Worker(
    `const { register } = await import(${JSON.stringify(tsxEsmApi())}); register(); await import(${JSON.stringify(entry.href)});`,
    { ...options, eval: true },
  );
}

/** tsx's ESM loader API (`tsx/esm/api`, its "import" export), as a file URL the worker can import. */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const { exports } = require(manifest) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifest), exports["./esm/api"].import.default)).href;
}
