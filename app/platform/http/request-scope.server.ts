/**
 * What one HTTP request already knows, so the layers under a loader need not read it again: the signed-in session
 * with its user and organisation memberships (resolved once by server.ts, in one query). An AsyncLocalStorage on
 * globalThis, because the server entry and the Remix build each load this module.
 *
 * Only data no request of this app changes is kept here (memberships are written by the seed and administrators'
 * tools, never by a page's action), so an action followed by its loaders in the same request reads nothing stale; and,
 * for a GET request only (loaders do not write), the reads its loaders share (requestMemo).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ValidSession } from "~/platform/auth/session.server";

export type RequestScope = {
  /** The signed-in session, being read (server.ts): resolved null outside a signed-in request. */
  auth: Promise<ValidSession | null>;
  /** Reads shared by the loaders of one GET request (requestMemo); null for a request that may write. */
  reads?: Map<string, Promise<unknown>> | null;
  /** The SQL statements this request sent (QUORUM_BENCH_STATS=1 only: app/platform/db/query-counter.server.ts). */
  statements?: { count: number };
};

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

/**
 * `read()` once per GET request and key: a page whose parts need the same rows (the secretariat's dashboard reads the
 * organisation's decisions for the holders to declare and for the figures) reads them once. Outside a GET request
 * (an action, which may write between two reads; a job; a test) `read()` runs each time. The value is shared between
 * the callers: they must not modify it (frozen under tests: QUORUM_QUERY_PLAN_FREEZE).
 */
export function requestMemo<T>(key: string, read: () => Promise<T>): Promise<T> {
  const reads = storage.getStore()?.reads;
  if (!reads) return read();
  const known = reads.get(key);
  if (known) return known as Promise<T>;
  const promise = read().then((value) => {
    if (process.env.QUORUM_QUERY_PLAN_FREEZE === "1") deepFreeze(value);
    return value;
  });
  reads.set(key, promise);
  // A failed read is not kept: the next caller tries again (and sees its own error).
  promise.catch(() => reads.delete(key));
  return promise;
}

/** What the request's `requestMemo(key, …)` holds, if anything (undefined outside a GET request or before it). */
export function requestMemoIfAny<T>(key: string): Promise<T> | undefined {
  return storage.getStore()?.reads?.get(key) as Promise<T> | undefined;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  // Plain rows and lists only (not a Date, a Buffer or a Decimal).
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
