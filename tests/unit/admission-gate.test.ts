import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createAdmissionGate, maxConcurrentRequests } from "~/platform/http/admission-gate.server";

/** A request and its response as far as the gate sees them: events, and whether the client is still there. */
function exchange() {
  const socket = { destroyed: false };
  const req = Object.assign(new EventEmitter(), { socket }) as unknown as IncomingMessage;
  const res = Object.assign(new EventEmitter(), { writableEnded: false, destroyed: false }) as unknown as ServerResponse & {
    writableEnded: boolean;
    destroyed: boolean;
  };
  const started = vi.fn();
  return {
    req,
    res,
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

  it("reads its number of places from QUORUM_MAX_CONCURRENT_REQUESTS", () => {
    expect(maxConcurrentRequests({})).toBe(8);
    expect(maxConcurrentRequests({ QUORUM_MAX_CONCURRENT_REQUESTS: "0" })).toBe(0);
    expect(maxConcurrentRequests({ QUORUM_MAX_CONCURRENT_REQUESTS: "12" })).toBe(12);
    expect(maxConcurrentRequests({ QUORUM_MAX_CONCURRENT_REQUESTS: "deux" })).toBe(8);
    expect(maxConcurrentRequests({ QUORUM_MAX_CONCURRENT_REQUESTS: "-1" })).toBe(8);
  });
});
