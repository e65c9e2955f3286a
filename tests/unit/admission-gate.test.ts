import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAdmissionGate, isOverloaded, maxConcurrentRequests, maxQueueWaitMs } from "~/platform/http/admission-gate.server";

/** A request and its response as far as the gate sees them: events, and whether the client is still there. */
function exchange() {
  const socket = { destroyed: false };
  const req = Object.assign(new EventEmitter(), { socket }) as unknown as IncomingMessage;
  const headers = new Map<string, string>();
  const res = Object.assign(new EventEmitter(), {
    writableEnded: false,
    destroyed: false,
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
  }) as unknown as ServerResponse & {
    writableEnded: boolean;
    destroyed: boolean;
  };
  const started = vi.fn();
  return {
    req,
    res,
    headers,
    started,
    /** The response is sent: its place is free again. */
    finish: () => {
      res.writableEnded = true;
      res.emit("finish");
      res.emit("close");
    },
    /** The client goes away. */
    leave: () => {
      socket.destroyed = true;
      res.destroyed = true;
      res.emit("close");
    },
  };
}

describe("the admission gate", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("starts at most `limit` requests, then the others in their order of arrival as places free up", () => {
    const admission = createAdmissionGate({ limit: 2 });
    const requests = Array.from({ length: 5 }, exchange);
    for (const r of requests) admission.gate(r.req, r.res, r.started);
    expect(requests.map((r) => r.started.mock.calls.length)).toEqual([1, 1, 0, 0, 0]);
    expect(admission.stats()).toMatchObject({ running: 2, waiting: 3, queued: 3, maxWaiting: 3 });

    requests[1].finish();
    expect(requests.map((r) => r.started.mock.calls.length)).toEqual([1, 1, 1, 0, 0]);
    requests[0].finish();
    expect(requests.map((r) => r.started.mock.calls.length)).toEqual([1, 1, 1, 1, 0]);
    // finish and close of one response free one place, not two
    expect(admission.stats()).toMatchObject({ running: 2, waiting: 1 });
    requests[3].finish();
    requests[2].finish();
    requests[4].finish();
    expect(requests.every((r) => r.started.mock.calls.length === 1)).toBe(true);
    expect(admission.stats()).toMatchObject({ running: 0, waiting: 0, heldTooLong: 0, abandoned: 0 });
  });

  it("frees the place of a request whose client went away, and never starts a queued one whose client left", () => {
    const admission = createAdmissionGate({ limit: 1 });
    const [first, left, third] = [exchange(), exchange(), exchange()];
    for (const r of [first, left, third]) admission.gate(r.req, r.res, r.started);
    left.leave();
    first.leave();
    expect(left.started).not.toHaveBeenCalled();
    expect(third.started).toHaveBeenCalledTimes(1);
    expect(admission.stats()).toMatchObject({ running: 1, waiting: 0, abandoned: 1 });
  });

  it("gives the place back after holdMs when a response takes longer (a slow download, a streamed export)", () => {
    const admission = createAdmissionGate({ limit: 1, holdMs: 500 });
    const [slow, next] = [exchange(), exchange()];
    admission.gate(slow.req, slow.res, slow.started);
    admission.gate(next.req, next.res, next.started);
    vi.advanceTimersByTime(499);
    expect(next.started).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(next.started).toHaveBeenCalledTimes(1);
    expect(admission.stats()).toMatchObject({ running: 1, heldTooLong: 1 });
    // The slow response ending later does not free a second place.
    slow.finish();
    expect(admission.stats()).toMatchObject({ running: 1 });
    next.finish();
    expect(admission.stats()).toMatchObject({ running: 0 });
  });

  it("lets everything through when the limit is 0", () => {
    const admission = createAdmissionGate({ limit: 0 });
    const requests = Array.from({ length: 20 }, exchange);
    for (const r of requests) admission.gate(r.req, r.res, r.started);
    expect(requests.every((r) => r.started.mock.calls.length === 1)).toBe(true);
    expect(admission.stats()).toMatchObject({ waiting: 0, queued: 0 });
  });

  it("keeps its queue in order over many turns (the queue's head moves, it is compacted)", () => {
    const admission = createAdmissionGate({ limit: 3 });
    const requests = Array.from({ length: 5000 }, exchange);
    const order: number[] = [];
    requests.forEach((r, i) => admission.gate(r.req, r.res, () => order.push(i)));
    for (let i = 0; i < requests.length; i++) requests[i].finish();
    expect(order).toEqual(requests.map((_, i) => i));
    expect(admission.stats()).toMatchObject({ running: 0, waiting: 0, maxWaiting: 4997 });
  });

  it("refuses new requests at once while the oldest waiting one has waited maxWaitMs, and serves the queued ones in turn", () => {
    let clock = 0;
    const admission = createAdmissionGate({ limit: 1, maxWaitMs: 10_000, now: () => clock });
    const [running, queued, early, late, after] = [exchange(), exchange(), exchange(), exchange(), exchange()];
    admission.gate(running.req, running.res, running.started);
    admission.gate(queued.req, queued.res, queued.started);
    clock = 9_999;
    // Behind, not yet far enough: it waits its turn like the others.
    admission.gate(early.req, early.res, early.started);
    expect(early.started).not.toHaveBeenCalled();
    expect(admission.stats()).toMatchObject({ waiting: 2, refused: 0, oldestWaitMs: 9_999 });
    clock = 10_000;
    admission.gate(late.req, late.res, late.started);
    // Let through at once, without a place, marked to answer « réessayez » with Retry-After.
    expect(late.started).toHaveBeenCalledTimes(1);
    expect(isOverloaded(late.req)).toBe(true);
    expect(late.headers.get("retry-after")).toBe("5");
    expect(admission.stats()).toMatchObject({ running: 1, waiting: 2, refused: 1 });
    // The queued ones keep their turn and are not refused.
    running.finish();
    expect(queued.started).toHaveBeenCalledTimes(1);
    queued.finish();
    expect(early.started).toHaveBeenCalledTimes(1);
    expect([running, queued, early].some((r) => isOverloaded(r.req))).toBe(false);
    // Caught up: the next request is served as usual.
    early.finish();
    admission.gate(after.req, after.res, after.started);
    expect(after.started).toHaveBeenCalledTimes(1);
    expect(isOverloaded(after.req)).toBe(false);
    expect(admission.stats()).toMatchObject({ running: 1, waiting: 0, refused: 1, oldestWaitMs: 0 });
  });

  it("does not count a client who left among the waiting when it decides to refuse, and never refuses with maxWaitMs 0", () => {
    let clock = 0;
    const admission = createAdmissionGate({ limit: 1, maxWaitMs: 1_000, now: () => clock });
    const [running, left, waiting, next] = [exchange(), exchange(), exchange(), exchange()];
    admission.gate(running.req, running.res, running.started);
    admission.gate(left.req, left.res, left.started);
    clock = 500;
    admission.gate(waiting.req, waiting.res, waiting.started);
    left.leave();
    clock = 1_200;
    // The oldest one still there has waited 700 ms: queued.
    admission.gate(next.req, next.res, next.started);
    expect(next.started).not.toHaveBeenCalled();
    expect(admission.stats()).toMatchObject({ waiting: 2, refused: 0, abandoned: 1 });

    const patient = createAdmissionGate({ limit: 1, maxWaitMs: 0, now: () => clock });
    const [first, second, third] = [exchange(), exchange(), exchange()];
    patient.gate(first.req, first.res, first.started);
    patient.gate(second.req, second.res, second.started);
    clock += 3_600_000;
    patient.gate(third.req, third.res, third.started);
    expect(third.started).not.toHaveBeenCalled();
    expect(patient.stats()).toMatchObject({ waiting: 2, refused: 0 });
  });

  it("reads the wait beyond which it refuses from QUORUM_MAX_QUEUE_WAIT_MS", () => {
    expect(maxQueueWaitMs({})).toBe(10_000);
    expect(maxQueueWaitMs({ QUORUM_MAX_QUEUE_WAIT_MS: "0" })).toBe(0);
    expect(maxQueueWaitMs({ QUORUM_MAX_QUEUE_WAIT_MS: "2500" })).toBe(2_500);
    expect(maxQueueWaitMs({ QUORUM_MAX_QUEUE_WAIT_MS: "dix" })).toBe(10_000);
  });

  it("reads its number of places from QUORUM_MAX_CONCURRENT_REQUESTS", () => {
    expect(maxConcurrentRequests({})).toBe(8);
    expect(maxConcurrentRequests({ QUORUM_MAX_CONCURRENT_REQUESTS: "0" })).toBe(0);
    expect(maxConcurrentRequests({ QUORUM_MAX_CONCURRENT_REQUESTS: "12" })).toBe(12);
    expect(maxConcurrentRequests({ QUORUM_MAX_CONCURRENT_REQUESTS: "deux" })).toBe(8);
    expect(maxConcurrentRequests({ QUORUM_MAX_CONCURRENT_REQUESTS: "-1" })).toBe(8);
  });
});
