/**
 * `npm run build`, after the Remix build: bundles the server's worker-thread entries into build/workers/<name>.js
 * (our modules inlined, packages left to node_modules), so that the production server starts its threads without
 * tsx (app/platform/workers/ts-worker.server.ts, docs/decisions/0013-server-memory.md).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ENTRIES = {
  "pglite-thread.worker": "app/platform/db/pglite-thread.worker.ts",
  "render-worker": "app/signing/render-worker.ts",
};

await build({
  configFile: false,
  root,
  logLevel: "warn",
  resolve: { alias: { "~": path.join(root, "app") } },
  build: {
    ssr: true,
    target: "node20",
    outDir: "build/workers",
    emptyOutDir: true,
    copyPublicDir: false,
    minify: false,
    rollupOptions: {
      input: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(root, file)])),
      output: { format: "esm", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js" },
    },
  },
});
console.log(`build/workers: ${Object.keys(ENTRIES).join(", ")}`);
