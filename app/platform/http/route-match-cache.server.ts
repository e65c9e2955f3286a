/**
 * Route matching memoised (decision 0014).
 *
 * `matchRoutes` of @remix-run/router flattens the whole route tree, ranks every branch and compiles one regular
 * expression per branch tried, on every call; a Remix document request calls it five times (the server's match,
 * the static handler's, `<RemixServer>`'s, and lazy route discovery's for each parent path), which was 3–4 ms of
 * CPU per page. The answer depends only on the tree's shape and the pathname, so it is kept per shape (ids, paths,
 * index flags, nesting) and pathname, at most MAX_PATHS pathnames per shape, least recently used dropped first.
 * Each call gets fresh match objects (their own `params`) that point at the route objects of the tree it was given,
 * even when Remix builds an identical tree for each request.
 *
 * Installed on the CommonJS exports of @remix-run/router, which @remix-run/server-runtime, @remix-run/react and
 * react-router read at each call (`router.matchRoutes(…)`); the static handler's own internal call is not reached.
 * `tests/unit/route-match-cache.test.ts` checks the answers against the original on the app's real route tree.
 */
import { createRequire } from "node:module";

const MAX_PATHS = 500;

type Route = { id?: string; path?: string; index?: boolean; caseSensitive?: boolean; children?: Route[] };
type Match = { params: Record<string, string | undefined>; pathname: string; pathnameBase: string; route: Route };
type MatchRoutes = ((routes: Route[], location: string | { pathname?: string }, basename?: string) => Match[] | null) & {
  quorumCached?: true;
};
type Shape = { fingerprint: string; byId: Map<string, Route> | null };
type Remembered = { params: Match["params"]; pathname: string; pathnameBase: string; routeId: string }[] | null;

/** The tree's shape as a string, and its routes by id (null when a route has no id or an id repeats). */
function shapeOf(routes: Route[]): Shape {
  const byId: Map<string, Route> | null = new Map();
  let unique = true;
  const walk = (list: Route[]): string =>
    list
      .map((route) => {
        if (route.id === undefined || byId.has(route.id)) unique = false;
        else byId.set(route.id, route);
        const children = route.children?.length ? `(${walk(route.children)})` : "";
        return `${route.id}\u0001${route.path ?? ""}\u0001${route.index ? 1 : 0}${route.caseSensitive ? 1 : 0}${children}`;
      })
      .join("\u0002");
  const fingerprint = walk(routes);
  return { fingerprint, byId: unique ? byId : null };
}

/** The pathname part of a location string (as `parsePath` reads it: before any `?` or `#`). */
function pathnameOf(location: string | { pathname?: string }): string | undefined {
  if (typeof location === "string") return location.split(/[?#]/, 1)[0];
  return typeof location?.pathname === "string" ? location.pathname : undefined;
}

export function memoiseMatchRoutes(original: MatchRoutes): MatchRoutes {
  const shapes = new WeakMap<Route[], Shape>();
  const answers = new Map<string, Map<string, Remembered>>();
  const cached: MatchRoutes = (routes, location, basename = "/") => {
    const pathname = pathnameOf(location);
    if (!Array.isArray(routes) || pathname === undefined) return original(routes, location, basename);
    let shape = shapes.get(routes);
    if (!shape) shapes.set(routes, (shape = shapeOf(routes)));
    if (!shape.byId) return original(routes, location, basename);
    let byPath = answers.get(shape.fingerprint);
    if (!byPath) answers.set(shape.fingerprint, (byPath = new Map()));
    const key = `${basename}\u0000${pathname}`;
    let remembered = byPath.get(key);
    if (remembered === undefined) {
      const matches = original(routes, location, basename);
      remembered = matches && matches.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, routeId: m.route.id! }));
      if (byPath.size >= MAX_PATHS) byPath.delete(byPath.keys().next().value as string);
      byPath.set(key, remembered);
      return matches;
    }
    byPath.delete(key);
    byPath.set(key, remembered);
    if (remembered === null) return null;
    const byId = shape.byId;
    return remembered.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route: byId.get(m.routeId)! }));
  };
  cached.quorumCached = true;
  return cached;
}

/** Installs the memoised `matchRoutes` once per process. */
export function installRouteMatchCache(): void {
  const router = createRequire(import.meta.url)("@remix-run/router") as { matchRoutes: MatchRoutes };
  if (router.matchRoutes.quorumCached) return;
  router.matchRoutes = memoiseMatchRoutes(router.matchRoutes);
}
