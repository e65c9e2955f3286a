/**
 * The queue runner shared by the render jobs and the outbox (app/platform/workers/drain-loop.server.ts): a job
 * committed while a pass is running is never left waiting for the next poll, two passes never overlap, and a stopped
 * runner starts nothing.
 */
import { describe, expect, it } from "vitest";
import { drainLoop } from "~/platform/workers/drain-loop.server";

/** A pass that waits until released, counting passes and overlaps. */
function gatedPasses() {
  const state = { passes: 0, inPass: 0, overlaps: 0, releases: [] as Array<() => void> };
  const pass = async () => {
    state.passes++;
    state.inPass++;
    if (state.inPass > 1) state.overlaps++;
    await new Promise<void>((resolve) => state.releases.push(resolve));
    state.inPass--;
  };
  /** Ends the pass in progress; fails if none is running once pending callbacks have run. */
  const releaseNext = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const release = state.releases.shift();
    if (!release) throw new Error("no pass is running");
    release();
  };
  return { state, pass, releaseNext };
}

describe("drainLoop", () => {
  it("a kick during a pass runs one more pass right after it, never two at once", async () => {
    const { state, pass, releaseNext } = gatedPasses();
    const loop = drainLoop(pass, (error) => {
      throw error;
    });
    loop.kick();
    loop.kick();
    loop.kick();
    await releaseNext();
    await releaseNext();
    await loop.idle();
    expect(state.passes).toBe(2);
    expect(state.overlaps).toBe(0);
  });

  it("a kick after the queue went idle starts a new pass", async () => {
    const { state, pass, releaseNext } = gatedPasses();
    const loop = drainLoop(pass, () => {});
    loop.kick();
    await releaseNext();
    await loop.idle();
    loop.kick();
    await releaseNext();
    await loop.idle();
    expect(state.passes).toBe(2);
  });

  it("stop waits for the pass in progress, tells it to end, and no kick starts another", async () => {
    const { state, pass, releaseNext } = gatedPasses();
    let sawStopping = false;
    const loop = drainLoop(async (stopping) => {
      await pass();
      sawStopping = stopping();
    }, () => {});
    loop.kick();
    loop.kick();
    const stopped = loop.stop();
    await releaseNext();
    await stopped;
    loop.kick();
    await loop.idle();
    expect(sawStopping).toBe(true);
    expect(state.passes).toBe(1);
  });

  it("a failed pass is reported and the next kick runs again", async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const loop = drainLoop(async () => {
      calls++;
      if (calls === 1) throw new Error("base injoignable");
    }, (error) => errors.push(error));
    loop.kick();
    await loop.idle();
    loop.kick();
    await loop.idle();
    expect(errors.map(String)).toEqual(["Error: base injoignable"]);
    expect(calls).toBe(2);
  });
});
