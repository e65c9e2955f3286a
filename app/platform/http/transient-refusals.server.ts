/**
 * The net under every route: a loader or action that lets a transient database failure escape (the database was
 * busy, or gave up on the transaction against a concurrent one: app/platform/db/transient-errors.ts) answers a
 * French « réessayez » with 429 / 409 through the route's error boundary, instead of Remix's 500. The transaction
 * was rolled back whole, so nothing was written. Routes that map refusals themselves (`refusalOf`, `attempt`) show
 * the same message in place; this is for the use cases that answer a `Result` and let exceptions through.
 * Installed once on the server build (server.ts).
 */
import { data } from "@remix-run/node";
import type { ServerBuild } from "@remix-run/node";
import { type RouteHandler, wrapRouteHandlers } from "./route-handlers.server";
import { BUSY_MESSAGE, CONTENDED_MESSAGE, isDatabaseBusy, isDatabaseContended } from "~/platform/db/transient-errors";

function refusingTransient(handler: RouteHandler, routeId: string): RouteHandler {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      const busy = isDatabaseBusy(error);
      if (!busy && !isDatabaseContended(error)) throw error;
      console.warn(`[db] ${routeId}: transaction rolled back (${busy ? "busy" : "contended"}), answered « réessayez »: ${String(error).slice(0, 200)}`);
      throw data(busy ? BUSY_MESSAGE : CONTENDED_MESSAGE, { status: busy ? 429 : 409 });
    }
  };
}

/** The same build, its route modules' loaders and actions answering transient database failures in French. */
export function refuseTransientDatabaseErrors(build: ServerBuild): ServerBuild {
  return wrapRouteHandlers(build, refusingTransient);
}
