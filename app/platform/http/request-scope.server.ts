/**
 * What one HTTP request already knows, so the layers under a loader need not read it again: the signed-in session
 * with its user and organisation memberships (resolved once by server.ts, in one query). An AsyncLocalStorage on
 * globalThis, because the server entry and the Remix build each load this module.
 *
 * Only data no request of this app changes is kept here (memberships are written by the seed and administrators'
 * tools, never by a page's action), so an action followed by its loaders in the same request reads nothing stale.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ValidSession } from "~/platform/auth/session.server";

export type RequestScope = { auth: ValidSession | null };

const key = Symbol.for("quorum.requestScope");
const store = globalThis as unknown as { [key]?: AsyncLocalStorage<RequestScope> };
const storage = (store[key] ??= new AsyncLocalStorage<RequestScope>());

/** Runs `fn` (and everything it starts) inside the scope of one request. */
export function runInRequestScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The current request's scope, or undefined outside a request (jobs, websocket handlers, tests). */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
