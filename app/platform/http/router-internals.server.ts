/**
 * The static handler's route matching through the memo (decision 0014, « The static handler's match »).
 *
 * `installRouteMatchCache` (route-match-cache.server.ts) memoises `matchRoutes` on the CommonJS exports of
 * @remix-run/router, which Remix and react-router read at each call. The static handler that answers every document
 * and data request (`createStaticHandler(…).query`) calls the module's own function instead, so each request still
 * flattened and ranked the 54-route tree and compiled a regular expression per branch tried: ~0.45 ms of CPU per
 * page (CPU profile of the jury room, 746 requests).
 *
 * This module rewrites, as Node compiles it, one line of the router's CommonJS build: the module's `matchRoutes`
 * calls `exports.matchRoutes`, and the export is the original function. Every internal call then goes through
 * whatever the export is (the memo, once installed; the original until then). It must run before anything requires
 * @remix-run/router: server.ts imports it first, and the server build keeps it in a chunk of its own, imported before
 * the packages (vite.server.config.ts). When the router's source no longer has the expected lines (an upgrade), the
 * module is compiled unchanged and `routerInternalsPatched()` says so; `tests/unit/route-match-cache.test.ts` fails.
 */
import Module from "node:module";
import path from "node:path";

const ROUTER_FILE = `${path.sep}${path.join("@remix-run", "router", "dist", "router.cjs.js")}`;
const DECLARATION = "function matchRoutes(routes, locationArg, basename) {\n";
const EXPORT = "exports.matchRoutes = matchRoutes;\n";
const state = Symbol.for("quorum.routerInternals");
const store = globalThis as unknown as { [state]?: { installed: boolean; patched: boolean } };

/** The router's source with its internal `matchRoutes` calls sent through `exports.matchRoutes`, or null. */
export function routeInternalMatchesThroughExports(source: string): string | null {
  if (source.split(DECLARATION).length !== 2 || source.split(EXPORT).length !== 2) return null;
  return source
    .replace(
      DECLARATION,
      "function matchRoutes(routes, locationArg, basename) {\n  return exports.matchRoutes(routes, locationArg, basename);\n}\n" +
        "function matchRoutes$original(routes, locationArg, basename) {\n",
    )
    .replace(EXPORT, "exports.matchRoutes = matchRoutes$original;\n");
}

/** Whether the router module this process loaded was rewritten (false before it is loaded, or after an upgrade). */
export function routerInternalsPatched(): boolean {
  return store[state]?.patched === true;
}

function install(): void {
  if (store[state]?.installed) return;
  const own: { installed: boolean; patched: boolean } = (store[state] = { installed: true, patched: false });
  type Compile = (this: unknown, content: string, filename: string) => unknown;
  const prototype = (Module as unknown as { prototype: { _compile: Compile } }).prototype;
  const compile = prototype._compile;
  prototype._compile = function compileRouterThroughExports(content, filename) {
    if (typeof filename === "string" && filename.endsWith(ROUTER_FILE) && typeof content === "string") {
      const rewritten = routeInternalMatchesThroughExports(content);
      if (rewritten !== null) {
        own.patched = true;
        return compile.call(this, rewritten, filename);
      }
    }
    return compile.call(this, content, filename);
  };
}

install();
