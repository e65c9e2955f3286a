/**
 * The sweep that closes the websockets of ended login sessions (realtime/sign-in-sweep.ts): only ended ones are
 * closed, a sweep asked while another is reading runs once more after it (the caller's sign-out may have committed
 * after that read), and a failed lookup closes nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startSignInSweep, type SignInSweep } from "../../realtime/sign-in-sweep";

function holder(ids: string[]) {
  const open = new Set(ids);
  const ended: string[] = [];
  return {
    ended,
    signInIds: () => new Set(open),
    endSignIns(gone: ReadonlySet<string>) {
      for (const id of gone) if (open.delete(id)) ended.push(id);
    },
  };
}

let sweep: SignInSweep | undefined;
afterEach(() => sweep?.stop());

describe("sign-in sweep", () => {
  it("closes the connections of ended login sessions only, in every holder", async () => {
    const yjs = holder(["a", "b"]);
    const events = holder(["b", "c"]);
    const asked: string[][] = [];
    sweep = startSignInSweep({
      holders: [yjs, events],
      stillOpen: async (ids) => {
        asked.push([...ids].sort());
        return new Set(["a", "c"]);
      },
      periodMs: 60_000,
      logger: { error: () => {} },
    });
    await sweep.sweep();
    expect(asked).toEqual([["a", "b", "c"]]);
    expect(yjs.ended).toEqual(["b"]);
    expect(events.ended).toEqual(["b"]);
  });

  it("runs once more after a sweep already reading, and closes nothing when the lookup fails", async () => {
    const yjs = holder(["a", "b"]);
    const stillOpen = new Set(["a", "b"]);
    let release: () => void = () => {};
    let reads = 0;
    const errors: string[] = [];
    sweep = startSignInSweep({
      holders: [yjs],
      stillOpen: async () => {
        reads++;
        if (reads === 1) await new Promise<void>((resolve) => (release = resolve));
        if (reads === 3) throw new Error("database unreachable");
        return new Set(stillOpen);
      },
      periodMs: 60_000,
      logger: { error: (message) => errors.push(message) },
    });
    const first = sweep.sweep(); // reads « b » as open, then waits
    await Promise.resolve();
    stillOpen.delete("b"); // signed out while the first sweep was reading
    const second = sweep.sweep();
    const third = sweep.sweep(); // joins the queued one
    release();
    await Promise.all([first, second, third]);
    expect(reads).toBe(2);
    expect(yjs.ended).toEqual(["b"]);

    stillOpen.delete("a");
    await sweep.sweep();
    expect(yjs.ended).toEqual(["b"]); // the lookup failed: « a » stays until a sweep can tell
    expect(errors).toHaveLength(1);
  });
});
