/**
 * `npm run build`, after the Remix build (`vite build --config vite.server.config.ts`): bundles the server entry
 * (server.ts) and its worker-thread entries into build/node/<name>.js (our modules inlined, packages left to
 * node_modules). The production server then runs as plain JavaScript, `node build/node/server.js`, without tsx: on
 * Node 20 tsx's loader runs in a V8 isolate of its own per thread and keeps every transformed module with its source
 * map, ~165 MiB of RSS measured (docs/decisions/0013-server-memory.md). `npm run dev` still runs server.ts through tsx.
 */
import path from "node:path";
import { defineConfig } from "vite";

const root = import.meta.dirname;
const ENTRIES = {
  server: "server.ts",
  // Its own chunk, so that server.js imports it before the packages (it must run before they load).
  "package-rewrites": "app/platform/package-rewrites.server.ts",
  "pglite-thread.worker": "app/platform/db/pglite-thread.worker.ts",
  "render-worker": "app/signing/render-worker.ts",
  "signing-worker": "app/delivery/credentials/signing-worker.ts",
};

export default defineConfig({
  root,
  logLevel: "warn",
  resolve: { alias: { "~": path.join(root, "app") } },
  publicDir: false,
  build: {
    ssr: true,
    target: "node20",
    outDir: "build/node",
    emptyOutDir: true,
    copyPublicDir: false,
    minify: false,
    rollupOptions: {
      input: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
      output: { format: "esm", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
      // As in vite.config.ts: a package whose names were all dropped is not imported (decision 0013).
      treeshake: { moduleSideEffects: "no-external" },
    },
  },
});
