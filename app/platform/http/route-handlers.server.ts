/**
 * Every route module's loader and action of the server build, wrapped (server.ts installs two such wrappers: the
 * transient database refusals and the sign-in's settling).
 */
import type { ServerBuild } from "@remix-run/node";

export type RouteHandler = (args: unknown) => unknown;
type Wrap = (handler: RouteHandler, routeId: string, kind: "loader" | "action") => RouteHandler;

const wrappedBy = new WeakMap<Wrap, WeakMap<ServerBuild, ServerBuild>>();

/** The same build, each route's loader and action replaced by `wrap(handler, routeId, kind)`; made once per build and wrap. */
export function wrapRouteHandlers(build: ServerBuild, wrap: Wrap): ServerBuild {
  let byBuild = wrappedBy.get(wrap);
  if (!byBuild) wrappedBy.set(wrap, (byBuild = new WeakMap()));
  const known = byBuild.get(build);
  if (known) return known;
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = route.module as unknown as Record<string, unknown>;
    const loader = module.loader as RouteHandler | undefined;
    const action = module.action as RouteHandler | undefined;
    routes[id] =
      loader || action
        ? {
            ...route,
            module: {
              ...module,
              ...(loader ? { loader: wrap(loader, id, "loader") } : {}),
              ...(action ? { action: wrap(action, id, "action") } : {}),
            } as unknown as typeof route.module,
          }
        : route;
  }
  const result = { ...build, routes };
  byBuild.set(build, result);
  return result;
}
