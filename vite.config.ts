import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig, type Plugin } from "vite";
import { ROUTE_MODULES_FILE, routeModuleFailures } from "./app/platform/http/route-module-failures";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  plugins: [
    routeModuleFailuresPlugin(),
    tailwindcss(),
    remix({
      ignoredRouteFiles: ["**/*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: true,
      },
    }),
  ],
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
  server: {
    watch: { ignored: ["**/data/**", "**/tests/.tmp/**", "**/test-results/**", "**/playwright-report/**"] },
  },
  build: {
    target: "es2022",
    // A package imported only for names the bundle dropped is not loaded at all (the server bundle would otherwise keep
    // `import "pdf-lib"`, fontkit, the credential suites…: ~0.5 s of CPU and ~50 MiB at every start for code that runs
    // in the render and signing threads only). No package is imported for its side effects (decision 0013).
    rollupOptions: { treeshake: { moduleSideEffects: "no-external" } },
  },
});

/** A page's code that cannot be imported while the server is unreachable: the error page, not a reload (see the file). */
function routeModuleFailuresPlugin(): Plugin {
  return {
    name: "quorum:route-module-failures",
    enforce: "pre",
    transform(code, id) {
      if (!ROUTE_MODULES_FILE.test(id.split("?")[0]!)) return null;
      const rewritten = routeModuleFailures(code);
      if (rewritten === null) this.error(`${id}: not the expected source (a Remix upgrade?): see app/platform/http/route-module-failures.ts`);
      return { code: rewritten, map: null };
    },
  };
}
