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
 * react-router read at each call (`router.matchRoutes(…)`); the static handler's own internal call reaches it
 * through router-internals.server.ts, which sends the router module's internal calls through that export.
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

/** Answers served from the memo and computed, since the process started (`GET /__bench/stats`). */
const stats = { hits: 0, misses: 0 };

export function routeMatchStats(): { hits: number; misses: number } {
  return { ...stats };
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
      stats.misses++;
      const matches = original(routes, location, basename);
      remembered = matches && matches.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, routeId: m.route.id! }));
      if (byPath.size >= MAX_PATHS) byPath.delete(byPath.keys().next().value as string);
      byPath.set(key, remembered);
      return matches;
    }
    stats.hits++;
    byPath.delete(key);
    byPath.set(key, remembered);
    if (remembered === null) return null;
    const byId = shape.byId;
    return remembered.map((m) => ({ params: { ...m.params }, pathname: m.pathname, pathnameBase: m.pathnameBase, route: byId.get(m.routeId)! }));
  };
  cached.quorumCached = true;
  return cached;
}

/*
 * The route tables of a document render, built once per build instead of once per request.
 *
 * `<RemixServer>` rebuilds its route objects from the build's manifest and route modules on every document request
 * (`createServerRoutes`: 54 routes, each spread from its module), and react-router-dom's `createStaticRouter` copies
 * them again into "data routes" (`convertRoutesToDataRoutes`); both are pure functions of objects that belong to the
 * build (the manifest's routes, the route modules, the `future` flags), and a new tree per request also defeated the
 * `matchRoutes` memo above, which knows a tree's shape by its identity. Neither result is written to afterwards by a
 * static render (only SPA mode's lazy routes are, and SPA mode is left alone).
 */
type ServerRoutesBuilder = ((manifest: object, routeModules: object, future: object, isSpaMode: boolean, ...rest: unknown[]) => Route[]) & {
  quorumCached?: true;
};
type DataRoutesConverter = ((
  routes: Route[],
  mapRouteProperties: object,
  parentPath?: string[],
  manifest?: Record<string, Route>,
) => Route[]) & { quorumCached?: true };

/**
 * `createServerRoutes` of @remix-run/react, answering the same array for the same build: the manifest's routes and
 * the `future` flags are the build's own objects; the route modules come in an object Remix makes per request
 * (`createEntryRouteModules`), so they are compared module by module.
 */
export function memoiseServerRoutes(original: ServerRoutesBuilder): ServerRoutesBuilder {
  type Built = { routeModules: Map<string, unknown>; future: object; routes: Route[] };
  const built = new WeakMap<object, Built>();
  const sameModules = (known: Map<string, unknown>, routeModules: Record<string, unknown>) => {
    let count = 0;
    for (const id in routeModules) {
      if (known.get(id) !== routeModules[id]) return false;
      count++;
    }
    return count === known.size;
  };
  const cached: ServerRoutesBuilder = (manifest, routeModules, future, isSpaMode, ...rest) => {
    if (isSpaMode || rest.length > 0 || !manifest || !routeModules || !future) return original(manifest, routeModules, future, isSpaMode, ...rest);
    const known = built.get(manifest);
    if (known && known.future === future && sameModules(known.routeModules, routeModules as Record<string, unknown>)) return known.routes;
    const routes = original(manifest, routeModules, future, isSpaMode);
    built.set(manifest, { routeModules: new Map(Object.entries(routeModules)), future, routes });
    return routes;
  };
  cached.quorumCached = true;
  return cached;
}

/**
 * `convertRoutesToDataRoutes` of @remix-run/router for a whole tree (no parent path), answering the same data routes
 * for the same tree and filling the caller's `manifest` (route id → data route) as the original does.
 */
export function memoiseDataRoutes(original: DataRoutesConverter): DataRoutesConverter {
  const converted = new WeakMap<Route[], WeakMap<object, { dataRoutes: Route[]; manifest: Record<string, Route> } | null>>();
  const hasLazy = (routes: Route[]): boolean =>
    routes.some((r) => (r as { lazy?: unknown }).lazy !== undefined || (r.children ? hasLazy(r.children) : false));
  const cached: DataRoutesConverter = (routes, mapRouteProperties, parentPath, manifest) => {
    if (parentPath !== undefined || !Array.isArray(routes) || typeof mapRouteProperties !== "function") {
      return original(routes, mapRouteProperties, parentPath, manifest);
    }
    let byMapper = converted.get(routes);
    if (!byMapper) converted.set(routes, (byMapper = new WeakMap()));
    let entry = byMapper.get(mapRouteProperties);
    if (entry === undefined) {
      // Lazy routes are completed in place when they load: such a tree is converted afresh every time.
      const own: Record<string, Route> = {};
      entry = hasLazy(routes) ? null : { dataRoutes: original(routes, mapRouteProperties, undefined, own), manifest: own };
      byMapper.set(mapRouteProperties, entry);
    }
    if (entry === null) return original(routes, mapRouteProperties, parentPath, manifest);
    if (manifest) Object.assign(manifest, entry.manifest);
    return entry.dataRoutes;
  };
  cached.quorumCached = true;
  return cached;
}

/** Installs the memoised `matchRoutes` and route tables once per process. */
export function installRouteMatchCache(): void {
  const require = createRequire(import.meta.url);
  const router = require("@remix-run/router") as { matchRoutes: MatchRoutes; UNSAFE_convertRoutesToDataRoutes: DataRoutesConverter };
  if (!router.matchRoutes.quorumCached) router.matchRoutes = memoiseMatchRoutes(router.matchRoutes);
  if (!router.UNSAFE_convertRoutesToDataRoutes.quorumCached) {
    router.UNSAFE_convertRoutesToDataRoutes = memoiseDataRoutes(router.UNSAFE_convertRoutesToDataRoutes);
  }
  // The module <RemixServer> reads `createServerRoutes` from at each render (@remix-run/react has no exports map).
  const remixRoutes = require("@remix-run/react/dist/routes.js") as { createServerRoutes: ServerRoutesBuilder };
  if (!remixRoutes.createServerRoutes.quorumCached) remixRoutes.createServerRoutes = memoiseServerRoutes(remixRoutes.createServerRoutes);
}
