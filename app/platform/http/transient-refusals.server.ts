/**
 * The net under every route: a loader or action that lets a transient database failure escape (the database was
 * busy, or gave up on the transaction against a concurrent one: app/platform/db/transient-errors.ts) answers a
 * French « réessayez » with 429 / 409 through the route's error boundary, instead of Remix's 500. The transaction
 * was rolled back whole, so nothing was written. Routes that map refusals themselves (`refusalOf`, `attempt`) show
 * the same message in place; this is for the use cases that answer a `Result` and let exceptions through.
 * Installed once on the server build (server.ts).
 *
 * The same net answers a request the admission gate refused (the server is far behind: admission-gate.server.ts):
 * 503 « réessayez dans quelques secondes », before the loader or action runs, so nothing is read or written. And a
 * form whose body the front door refused (over its page's limit: front-door.ts) is answered by its page in French
 * (413, « trop volumineux ») before the action runs: the body is never read, only dropped (unread-body.server.ts).
 */
import { data } from "@remix-run/node";
import type { ServerBuild } from "@remix-run/node";
import { type RouteHandler, wrapRouteHandlers } from "./route-handlers.server";
import { BUSY_MESSAGE, CONTENDED_MESSAGE, isDatabaseBusy, isDatabaseContended } from "~/platform/db/transient-errors";
import { OVERLOAD_RETRY_AFTER_S } from "./admission-gate.server";

/** What the user reads when the server refused the request because it is far behind (with a 503). */
export const OVERLOADED_MESSAGE = "Quorum reçoit trop de demandes en ce moment : rien n'a été fait. Réessayez dans quelques secondes.";

type NetContext = { overloaded?: boolean; bodyRefusal?: { status: number; message: string } | null };

function refusingTransient(handler: RouteHandler, routeId: string, kind: "loader" | "action"): RouteHandler {
  return async (args) => {
    const context = (args as { context?: NetContext }).context;
    if (context?.overloaded) {
      throw data(OVERLOADED_MESSAGE, { status: 503, headers: { "Retry-After": String(OVERLOAD_RETRY_AFTER_S) } });
    }
    // The page's loaders still read (the answer is the page with its error); only the action is refused.
    if (kind === "action" && context?.bodyRefusal) throw data(context.bodyRefusal.message, { status: context.bodyRefusal.status });
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
