/**
 * The sign-in of a request is read while Remix routes it (server.ts hands it to the loaders as a promise in the load
 * context, `context.auth`), so a loader may start its own reads before it awaits the guard. The renewed cookie is
 * added to the response when that read ends: every loader's and action's answer waits for it here, so that no
 * response (a public page's, a redirect) goes out before it — even one whose handler never looked at the sign-in.
 * Installed once on the server build (server.ts).
 */
import type { ServerBuild } from "@remix-run/node";
import { type RouteHandler, wrapRouteHandlers } from "./route-handlers.server";

function settling(handler: RouteHandler): RouteHandler {
  return async (args) => {
    try {
      return await handler(args);
    } finally {
      await (args as { context?: { auth?: Promise<unknown> } }).context?.auth?.catch(() => null);
    }
  };
}

/** The same build, its route modules' loaders and actions answering once the request's sign-in is read. */
export function settleSignIn(build: ServerBuild): ServerBuild {
  return wrapRouteHandlers(build, settling);
}
