/**
 * A page's code that cannot be imported (app/platform/http/route-module-failures.ts, applied by vite.config.ts to the
 * pinned @remix-run/react): with the server unreachable, the import's error reaches the route's error boundary
 * (« Pas de connexion au serveur ») instead of a reload that shows the browser's own error page; with the server
 * answering (its assets gone after a deploy), Remix's reload as before. The rewritten `loadRouteModule` is run here
 * with the browser's parts stubbed.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { routeModuleFailures, ROUTE_MODULES_FILE } from "~/platform/http/route-module-failures";

const require = createRequire(import.meta.url);
const file = path.join(path.dirname(require.resolve("@remix-run/react/package.json")), "dist", "esm", "routeModules.js");
const source = readFileSync(file, "utf8");

/** `loadRouteModule` of a module source, its dynamic import and the browser's globals given. */
function loadRouteModuleOf(code: string, globals: { fetch: () => Promise<unknown>; reload: () => void; importer: () => Promise<unknown> }) {
  const start = code.indexOf("async function loadRouteModule(");
  const end = code.indexOf("\n}\n", start) + 2;
  const body = code.slice(start, end)
    .replace("import( /* webpackIgnore: true */route.module)", "importer(route.module)")
    .replace("import.meta.hot", "undefined"); // Vite's dev-server handle: none in a build
  const window = { location: { reload: globals.reload }, __remixContext: { isSpaMode: false } };
  const quiet = { error: () => {} };
  return new Function("window", "fetch", "importer", "console", `${body}\nreturn loadRouteModule;`)(window, globals.fetch, globals.importer, quiet) as (
    route: { id: string; module: string },
    cache: Record<string, unknown>,
  ) => Promise<unknown>;
}

const failedImport = () => Promise.reject(new TypeError("Failed to fetch dynamically imported module: /assets/candidates.js"));
const route = { id: "routes/candidates", module: "/assets/candidates.js" };

describe("a page's code that cannot be imported", () => {
  it("is the file the build rewrites, and its source is the expected one", () => {
    expect(ROUTE_MODULES_FILE.test(file)).toBe(true);
    expect(routeModuleFailures(source)).not.toBeNull();
  });

  it("goes to the error boundary, without a reload, when the server does not answer", async () => {
    const reload = vi.fn();
    const load = loadRouteModuleOf(routeModuleFailures(source)!, { fetch: () => Promise.reject(new TypeError("Failed to fetch")), reload, importer: failedImport });
    await expect(load(route, {})).rejects.toThrow("Failed to fetch dynamically imported module");
    expect(reload).not.toHaveBeenCalled();
  });

  it("reloads the page, as Remix does, when the server answers (its assets are gone)", async () => {
    const reload = vi.fn();
    const load = loadRouteModuleOf(routeModuleFailures(source)!, { fetch: () => Promise.resolve({ ok: true }), reload, importer: failedImport });
    void load(route, {}); // never settles: the page is reloading
    await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
  });

  it("without the rewrite, Remix reloads even when the server does not answer (what showed the browser's error page)", async () => {
    const reload = vi.fn();
    const load = loadRouteModuleOf(source, { fetch: () => Promise.reject(new TypeError("Failed to fetch")), reload, importer: failedImport });
    void load(route, {});
    await vi.waitFor(() => expect(reload).toHaveBeenCalledTimes(1));
  });

  it("refuses a source it does not know (a Remix upgrade): the build stops", () => {
    expect(routeModuleFailures(source.replace("window.location.reload();", "location.reload();"))).toBeNull();
  });
});
