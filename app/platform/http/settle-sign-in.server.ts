/**
 * The sign-in of a request is read while Remix routes it (server.ts hands it to the loaders as a promise in the load
 * context, `context.auth`), so a loader may start its own reads before it awaits the guard. The renewed cookie is
 * added to the response when that read ends: every loader's and action's answer waits for it here, so that no
 * response (a public page's, a redirect) goes out before it — even one whose handler never looked at the sign-in.
 * Installed once on the server build (server.ts).
 */
import type { ServerBuild } from "@remix-run/node";

type Handler = (args: { context?: { auth?: Promise<unknown> } }) => unknown;

function settling(handler: Handler): Handler {
  return async (args) => {
    try {
      return await handler(args);
    } finally {
      await args.context?.auth?.catch(() => null);
    }
  };
}

const wrapped = new WeakMap<ServerBuild, ServerBuild>();

/** The same build, its route modules' loaders and actions answering once the request's sign-in is read. */
export function settleSignIn(build: ServerBuild): ServerBuild {
  const known = wrapped.get(build);
  if (known) return known;
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = route.module as unknown as Record<string, unknown>;
    const loader = module.loader as Handler | undefined;
    const action = module.action as Handler | undefined;
    routes[id] =
      loader || action
        ? {
            ...route,
            module: {
              ...module,
              ...(loader ? { loader: settling(loader) } : {}),
              ...(action ? { action: settling(action) } : {}),
            } as unknown as typeof route.module,
          }
        : route;
  }
  const result = { ...build, routes };
  wrapped.set(build, result);
  return result;
}
