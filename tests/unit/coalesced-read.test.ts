import { afterEach, describe, expect, it } from "vitest";
import { coalescedRead, coalescedReadStats } from "~/platform/http/coalesced-read.server";
import { currentRequestScope, runInRequestScope } from "~/platform/http/request-scope.server";

/** A table whose value commands change; a read takes a few turns and answers the value it saw when it started. */
function table() {
  let value = 0;
  let reads = 0;
  return {
    commit: () => ++value,
    reads: () => reads,
    read: async () => {
      reads++;
      const seen = value;
      await new Promise((resolve) => setTimeout(resolve, 2));
      return { seen };
    },
  };
}

afterEach(() => {
  delete process.env.QUORUM_COALESCE_READS;
});

describe("coalescedRead", () => {
  it("never answers a caller with a read that started before it asked, and shares the reads of callers asking together", async () => {
    const t = table();
    const before = coalescedReadStats();
    const answers: Array<Promise<void>> = [];
    for (let i = 0; i < 400; i++) {
      // A command commits, then a caller asks: whatever it gets was read after the commit.
      const committed = t.commit();
      answers.push(coalescedRead("k", t.read).then(({ seen }) => expect(seen).toBeGreaterThanOrEqual(committed)));
      if (i % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      else await Promise.resolve();
    }
    await Promise.all(answers);
    // 400 callers, a handful of reads: each read in flight serves the callers of the next one.
    expect(t.reads()).toBeLessThan(200);
    expect(coalescedReadStats().joined - before.joined).toBeGreaterThan(200);
  });

  it("reads at once when nothing is in flight, separately per key, and again after a failed read", async () => {
    const t = table();
    expect((await coalescedRead("a", t.read)).seen).toBe(0);
    t.commit();
    expect((await coalescedRead("a", t.read)).seen).toBe(1);
    const [a, b] = await Promise.all([coalescedRead("a", t.read), coalescedRead("b", t.read)]);
    expect([a.seen, b.seen]).toEqual([1, 1]);
    expect(t.reads()).toBe(4);
    let fail = true;
    const flaky = async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (fail) throw new Error("transient");
      return "ok";
    };
    const first = coalescedRead("c", flaky);
    const joined = coalescedRead("c", flaky); // waits for the next read, which fails as well
    await expect(first).rejects.toThrow("transient");
    await expect(joined).rejects.toThrow("transient");
    fail = false;
    await expect(coalescedRead("c", flaky)).resolves.toBe("ok");
  });

  it("runs the read in a scope of its own (no caller's sign-in or request memo), counting its statements to the caller who started it", async () => {
    const statements = { count: 0 };
    const callerReads = new Map<string, Promise<unknown>>([["x", Promise.resolve("caller's")]]);
    const scope = await runInRequestScope({ auth: Promise.resolve({ user: { id: "u1" } } as never), reads: callerReads, statements }, () =>
      coalescedRead("scope", async () => {
        const own = currentRequestScope()!;
        own.statements!.count++;
        return { auth: await own.auth, memo: own.reads?.get("x") ?? null };
      }),
    );
    expect(scope).toEqual({ auth: null, memo: null });
    expect(statements.count).toBe(1);
  });

  it("reads for every caller with QUORUM_COALESCE_READS=0", async () => {
    process.env.QUORUM_COALESCE_READS = "0";
    const t = table();
    await Promise.all(Array.from({ length: 5 }, () => coalescedRead("off", t.read)));
    expect(t.reads()).toBe(5);
  });
});
