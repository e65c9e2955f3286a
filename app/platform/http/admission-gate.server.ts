/**
 * At most a few page and data requests worked on at once; the others wait their turn, first come first served.
 *
 * Why: one event loop serves every request. When fifty arrive together, Node starts all fifty and interleaves them:
 * each one's rows, React tree and HTML stay alive while the other forty-nine advance a step, and the CPU each request
 * costs grows with the crowd, mostly in GC: more live objects to promote and trace (the desk at 50 connections, profiled:
 * 1.03 ms of GC on the main thread per request without the gate, 0.64 with it; the GC helper threads' share too).
 * Measured side by side on PostgreSQL at 50 connections, 8 places against none (decision 0014, « Requests admitted a
 * few at a time »): the desk 10.4 → 8.3 ms of CPU per request, the live room 6.2 → 4.8, the jury room 8 → 6.8, with
 * more requests answered per second and a shorter tail. At 1 or 10 connections nothing waits and nothing changes.
 *
 * - A request takes a place when it arrives if one is free, else it queues. It gives the place back when its
 *   response is finished or its connection closes, or after `holdMs` at most: a long download to a slow client, a
 *   streamed export or a request waiting on a lock never keeps the others out for longer than that (its work goes
 *   on; the gate only bounds how many requests start their work together).
 * - A queued request whose client went away is dropped: its page is never computed.
 * - Only what reaches Remix is gated (server.ts): static files, /healthz, socket.io and the Yjs websockets are not.
 * - When the server is far behind — the oldest request still waiting has waited `maxWaitMs` or more — a new request is
 *   not queued behind the others: it is let through at once, marked `overloaded` (`isOverloaded`), with `Retry-After`,
 *   and answers a French « réessayez dans quelques secondes » (503) without doing its work (its loaders and actions
 *   never run: transient-refusals.server.ts; nothing is read or written). The requests already queued keep their turn,
 *   so a request that is accepted never waits much longer than `maxWaitMs`, and the ones that cannot be served soon are
 *   told so in a moment instead of after a minute of a blank page.
 *
 * QUORUM_MAX_CONCURRENT_REQUESTS sets the number of places (0: no gate); QUORUM_MAX_QUEUE_WAIT_MS the wait beyond which
 * new requests are refused (0: never refused).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;
/** How long a request keeps its place at most. */
export const DEFAULT_HOLD_MS = 500;
/** How far behind (the oldest waiting request's wait) the server may be before new requests are refused. */
export const DEFAULT_MAX_QUEUE_WAIT_MS = 10_000;
/** What a refused request tells its client: when to try again, in seconds. */
export const OVERLOAD_RETRY_AFTER_S = 5;

export type AdmissionStats = {
  limit: number;
  running: number;
  waiting: number;
  /** Requests that had to wait, since start. */
  queued: number;
  /** The longest queue seen. */
  maxWaiting: number;
  /** Places given back by the `holdMs` timer rather than by the end of their response. */
  heldTooLong: number;
  /** Queued requests dropped because their client had gone. */
  abandoned: number;
  /** Requests refused (503) because the oldest waiting one had waited `maxWaitMs`. */
  refused: number;
  /** How long the oldest request still waiting has waited, in ms (0 when none waits). */
  oldestWaitMs: number;
};

type Next = (error?: unknown) => void;
type Waiter = { req: IncomingMessage; res: ServerResponse; next: Next; since: number };

function wholeNumberSetting(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** The number of places from QUORUM_MAX_CONCURRENT_REQUESTS (a whole number ≥ 0), else the default. */
export function maxConcurrentRequests(env: Record<string, string | undefined> = process.env): number {
  return wholeNumberSetting(env.QUORUM_MAX_CONCURRENT_REQUESTS, DEFAULT_MAX_CONCURRENT_REQUESTS);
}

/** The wait beyond which new requests are refused, from QUORUM_MAX_QUEUE_WAIT_MS (ms, a whole number ≥ 0), else the default. */
export function maxQueueWaitMs(env: Record<string, string | undefined> = process.env): number {
  return wholeNumberSetting(env.QUORUM_MAX_QUEUE_WAIT_MS, DEFAULT_MAX_QUEUE_WAIT_MS);
}

/** Requests let through without their work, to answer « réessayez » (see above). */
const overloaded = new WeakSet<IncomingMessage>();

/** Whether the gate refused this request: its loaders and actions must not run; it answers 503. */
export function isOverloaded(req: IncomingMessage): boolean {
  return overloaded.has(req);
}

export function createAdmissionGate({
  limit,
  holdMs = DEFAULT_HOLD_MS,
  maxWaitMs = DEFAULT_MAX_QUEUE_WAIT_MS,
  now = () => performance.now(),
}: {
  limit: number;
  holdMs?: number;
  /** 0: never refuse. */
  maxWaitMs?: number;
  now?: () => number;
}) {
  let running = 0;
  // A FIFO with a moving head (no shift() of a long array under load).
  let queue: Waiter[] = [];
  let head = 0;
  const stats = { queued: 0, maxWaiting: 0, heldTooLong: 0, abandoned: 0, refused: 0 };

  // A client that went away while its request waited: its socket is destroyed (or the response already closed).
  const gone = (w: Waiter) => w.res.writableEnded || w.res.destroyed || (w.req.socket?.destroyed ?? true);

  function admit({ res, next }: Waiter) {
    running++;
    // Called once: whichever comes first of the end of the response and the timer removes the other.
    const release = (byTimer: boolean) => {
      clearTimeout(timer);
      res.off("finish", onEnd);
      res.off("close", onEnd);
      if (byTimer) stats.heldTooLong++;
      running--;
      admitNext();
    };
    const onEnd = () => release(false);
    const timer = setTimeout(() => release(true), holdMs);
    res.once("finish", onEnd);
    res.once("close", onEnd);
    next();
  }

  function admitNext() {
    while (running < limit && head < queue.length) {
      const waiter = queue[head];
      queue[head++] = undefined as unknown as Waiter;
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      if (gone(waiter)) {
        stats.abandoned++;
        continue;
      }
      admit(waiter);
    }
  }

  /** The oldest request still waiting whose client is there (those who left are dropped on the way). */
  function oldestWaiting(): Waiter | undefined {
    while (head < queue.length && gone(queue[head])) {
      queue[head++] = undefined as unknown as Waiter;
      stats.abandoned++;
    }
    return head < queue.length ? queue[head] : undefined;
  }

  function gate(req: IncomingMessage, res: ServerResponse, next: Next) {
    if (limit <= 0) return next();
    const at = now();
    const waiter = { req, res, next, since: at };
    if (running < limit) return admit(waiter);
    const oldest = maxWaitMs > 0 ? oldestWaiting() : undefined;
    if (oldest && at - oldest.since >= maxWaitMs) {
      overloaded.add(req);
      stats.refused++;
      res.setHeader("Retry-After", String(OVERLOAD_RETRY_AFTER_S));
      return next();
    }
    queue.push(waiter);
    stats.queued++;
    stats.maxWaiting = Math.max(stats.maxWaiting, queue.length - head);
  }

  return {
    gate,
    stats: (): AdmissionStats => {
      const oldest = head < queue.length ? queue[head] : undefined;
      return { limit, running, waiting: queue.length - head, ...stats, oldestWaitMs: oldest ? Math.round(now() - oldest.since) : 0 };
    },
  };
}
