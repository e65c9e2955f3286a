/**
 * One read for the requests that ask for the same thing at the same time (a jury of twelve refetching its room after
 * each `jury:event`; fifty clients on one page). Not a cache: nothing is kept once a read has answered, and a request
 * never gets a read that started before it asked.
 *
 * `coalescedRead(key, read)`: with no read of `key` in flight, `read()` starts now, and the request gets it. With one in
 * flight (started before this request asked, so it may miss a command committed in between — by this process or any
 * other), the request waits for the next read of `key`, which starts when the one in flight ends and serves every
 * request that asked meanwhile. Whatever a request gets was read after it asked: it sees every command that committed
 * before it arrived, in scale mode as in one process, with no invalidation to get wrong. At one connection nothing is
 * ever in flight: each request reads, as before.
 *
 * `read` must depend on `key` alone (it is the first asker's closure that serves the others) and its answer must not be
 * modified by the callers (it is deep-frozen under tests: QUORUM_QUERY_PLAN_FREEZE=1). It runs in a request scope of
 * its own (its request memo fresh, no sign-in: what it reads is nobody's in particular), its statements counted to the
 * request that started it. `QUORUM_COALESCE_READS=0` runs `read()` for every request.
 */
import { currentRequestScope, runInRequestScope } from "./request-scope.server";

type Pending = { started: Promise<unknown> | null; next: { promise: Promise<unknown>; start: () => void } | null };

const key = Symbol.for("quorum.coalescedReads");
const store = globalThis as unknown as { [key]?: { pending: Map<string, Pending>; reads: number; joined: number } };
const state = (store[key] ??= { pending: new Map(), reads: 0, joined: 0 });

/** Reads started, and requests served by a read that another request started (GET /__bench/stats). */
export function coalescedReadStats(): { reads: number; joined: number } {
  return { reads: state.reads, joined: state.joined };
}

export function coalescedRead<T>(readKey: string, read: () => Promise<T>): Promise<T> {
  if (process.env.QUORUM_COALESCE_READS === "0") return read();
  let pending = state.pending.get(readKey);
  if (!pending) {
    pending = { started: null, next: null };
    state.pending.set(readKey, pending);
  }
  if (!pending.started) return start(readKey, pending, read);
  state.joined++;
  if (pending.next) return pending.next.promise as Promise<T>;
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const statements = currentRequestScope()?.statements;
  const next = {
    promise,
    start: () => {
      pending.next = null;
      start(readKey, pending, read, statements).then(resolve, reject);
    },
  };
  pending.next = next;
  return promise;
}

function start<T>(readKey: string, pending: Pending, read: () => Promise<T>, statements = currentRequestScope()?.statements): Promise<T> {
  state.reads++;
  const promise = runInRequestScope({ auth: Promise.resolve(null), reads: new Map(), statements }, () =>
    read().then((value) => {
      if (process.env.QUORUM_QUERY_PLAN_FREEZE === "1") deepFreeze(value);
      return value;
    }),
  );
  pending.started = promise;
  const ended = () => {
    pending.started = null;
    if (pending.next) pending.next.start();
    else state.pending.delete(readKey);
  };
  promise.then(ended, ended);
  return promise;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  // Plain rows, lists and maps' values (not a Date, a Buffer or a Decimal).
  if (value instanceof Map) {
    for (const child of value.values()) deepFreeze(child);
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
