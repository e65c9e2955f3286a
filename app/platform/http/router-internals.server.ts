/**
 * The static handler's route match through the memo (decision 0014, « The static handler's match »).
 *
 * `installRouteMatchCache` (route-match-cache.server.ts) memoises `matchRoutes` on the CommonJS exports of
 * @remix-run/router, which Remix and react-router read at each call. The static handler that answers every document
 * and data request (`createStaticHandler(…).query`) calls the module's own function instead, so each request still
 * flattened and ranked the 54-route tree and compiled a regular expression per branch tried.
 *
 * The rewrite below, applied as Node compiles the router's CommonJS build (package-rewrites.server.ts), makes the
 * module's `matchRoutes` call `exports.matchRoutes`, the export being the original function: every internal call then
 * goes through whatever the export is (the memo once installed, the original until then).
 * `tests/unit/route-match-cache.test.ts` checks it on the pinned router.
 */
const DECLARATION = "function matchRoutes(routes, locationArg, basename) {\n";
const EXPORT = "exports.matchRoutes = matchRoutes;\n";

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
