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
 *
 * A resource route (a download, an export, a room's JSON commands: no page to show an error in) answers these
 * refusals, and the French messages its own loader or action throws with `data(message, { status })`, as a response
 * of its own rather than Remix's « Unexpected Server Error »: the message as text for a browser's navigation (a
 * download link), and the refusal's JSON shape (`{ ok: false, status, formErrors }`, as the routes' own refusals) for
 * a script or a page's fetcher.
 */
import { data } from "@remix-run/node";
import type { AppErrorCode, Refusal } from "~/platform/app-error";
import type { ServerBuild } from "@remix-run/node";
import { type RouteHandler, wrapRouteHandlers } from "./route-handlers.server";
import { BUSY_MESSAGE, CONTENDED_MESSAGE, isDatabaseBusy, isDatabaseContended } from "~/platform/db/transient-errors";
import { OVERLOAD_RETRY_AFTER_S } from "./admission-gate.server";

/** What the user reads when the server refused the request because it is far behind (with a 503). */
export const OVERLOADED_MESSAGE = "Quorum reçoit trop de demandes en ce moment : rien n'a été fait. Réessayez dans quelques secondes.";

type NetContext = { overloaded?: boolean; bodyRefusal?: { status: number; message: string } | null };

/** `data(value, init)` as thrown by a route: Remix's DataWithResponseInit. */
function thrownData(error: unknown): { data: unknown; init: ResponseInit | null } | null {
  if (typeof error !== "object" || error === null || (error as { type?: unknown }).type !== "DataWithResponseInit") return null;
  return error as { data: unknown; init: ResponseInit | null };
}

const CODE_OF_STATUS: Record<number, AppErrorCode> = {
  400: "INVALID",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "INVALID",
  409: "CONFLICT",
  413: "INVALID",
  429: "RATE_LIMITED",
  503: "UNAVAILABLE",
};

/** A resource route's French refusal as its own response: text for a navigation, the refusal's JSON otherwise. */
export function resourceRefusal(request: Request, message: string, init: ResponseInit | null): Response {
  const status = init?.status ?? 500;
  const headers = new Headers(init?.headers);
  const navigation = request.headers.get("sec-fetch-mode") === "navigate" || /\btext\/html\b/.test(request.headers.get("accept") ?? "");
  if (navigation) {
    headers.set("Content-Type", "text/plain; charset=utf-8");
    return new Response(message, { status, headers });
  }
  const refusal: Refusal = { ok: false, code: CODE_OF_STATUS[status] ?? "INVALID", status, formErrors: [message], fieldErrors: {} };
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(refusal), { status, headers });
}

function answeringAsResource(handler: RouteHandler): RouteHandler {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      const thrown = thrownData(error);
      if (!thrown || typeof thrown.data !== "string") throw error;
      return resourceRefusal((args as { request: Request }).request, thrown.data, thrown.init);
    }
  };
}

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

/**
 * The same build, its route modules' loaders and actions answering transient database failures in French, and its
 * resource routes (no component) answering their French refusals themselves.
 */
export function refuseTransientDatabaseErrors(build: ServerBuild): ServerBuild {
  const known = netted.get(build);
  if (known) return known;
  const resources = new Set(
    Object.entries(build.routes)
      .filter(([, route]) => !(route.module as unknown as Record<string, unknown>).default)
      .map(([id]) => id),
  );
  const result = wrapRouteHandlers(answeringEveryMethod(build, resources), (handler, routeId, kind) => {
    const net = refusingTransient(handler, routeId, kind);
    return resources.has(routeId) ? answeringAsResource(net) : net;
  });
  netted.set(build, result);
  return result;
}

/** A resource route asked with the method it does not answer (a download posted to, a command's address opened). */
export const NO_FORM_HERE = "Cette adresse ne reçoit pas de formulaire : ouvrez-la depuis sa page.";
export const OPENED_FROM_ITS_PAGE = "Cette adresse ne s'ouvre pas directement : utilisez le bouton de sa page.";

/**
 * The resource routes without an action (downloads) or a loader (commands) given one that refuses in French (405):
 * otherwise Remix answers « Unexpected Server Error » (its router's English refusal, hidden in production).
 */
function answeringEveryMethod(build: ServerBuild, resources: Set<string>): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = route.module as unknown as Record<string, unknown>;
    routes[id] = resources.has(id)
      ? {
          ...route,
          module: {
            ...module,
            loader: module.loader ?? (() => Promise.reject(data(OPENED_FROM_ITS_PAGE, { status: 405, headers: { Allow: "POST" } }))),
            action: module.action ?? (() => Promise.reject(data(NO_FORM_HERE, { status: 405, headers: { Allow: "GET, HEAD" } }))),
          } as unknown as typeof route.module,
        }
      : route;
  }
  return { ...build, routes };
}

/** The build made once per server build (development hands the same build to every request until it changes). */
const netted = new WeakMap<ServerBuild, ServerBuild>();
