/**
 * Cross-document group commit (realtime/yjs/stores/tables.ts `createAppendBatcher`): appends of different documents
 * requested while a write is in flight go into one statement; each caller learns the seq of its own last row; a
 * failing statement only fails the faulty document's append.
 */
import { describe, expect, it } from "vitest";
import { type AppendRow, createAppendBatcher } from "../../realtime/yjs/stores/tables";

const bytes = (n: number) => new Uint8Array([n]);

/** A fake log: assigns increasing seqs, records each statement's rows, and can refuse one document. */
function fakeLog(options: { refuse?: string } = {}) {
  let seq = 0n;
  const statements: AppendRow[][] = [];
  let release: (() => void) | null = null;
  let hold = false;
  return {
    statements,
    /** Makes the next statement wait until `resume()`. */
    holdNext() {
      hold = true;
    },
    resume() {
      release?.();
    },
    async write(rows: AppendRow[]) {
      statements.push(rows);
      if (hold) {
        hold = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      if (options.refuse && rows.some((row) => row.docName === options.refuse)) throw new Error("refusé");
      return rows.map((row) => ({ seq: ++seq, docName: row.docName }));
    },
  };
}

describe("cross-document group commit", () => {
  it("writes the appends of one event-loop turn in one statement, each caller getting its own last seq", async () => {
    const log = fakeLog();
    const batcher = createAppendBatcher((rows) => log.write(rows));
    const a = batcher.append("grid:a", [{ update: bytes(1), userId: "u1" }, { update: bytes(2), userId: "u1" }]);
    const b = batcher.append("grid:b", [{ update: bytes(3), userId: "u2" }]);
    expect(await Promise.all([a, b])).toEqual([2n, 3n]);
    expect(log.statements).toHaveLength(1);
    expect(log.statements[0].map((row) => row.docName)).toEqual(["grid:a", "grid:a", "grid:b"]);
  });

  it("queues appends made during a write for the next statement, one row set per document per statement", async () => {
    const log = fakeLog();
    const batcher = createAppendBatcher((rows) => log.write(rows));
    log.holdNext();
    const first = batcher.append("grid:a", [{ update: bytes(1), userId: null }]);
    await new Promise((resolve) => setImmediate(resolve)); // the first statement is now in flight
    const second = batcher.append("grid:a", [{ update: bytes(2), userId: null }]);
    const third = batcher.append("grid:a", [{ update: bytes(3), userId: null }]);
    const other = batcher.append("grid:b", [{ update: bytes(4), userId: null }]);
    log.resume();
    expect(await Promise.all([first, second, other, third])).toEqual([1n, 2n, 3n, 4n]);
    expect(log.statements.map((rows) => rows.map((row) => `${row.docName}:${row.update[0]}`))).toEqual([
      ["grid:a:1"],
      ["grid:a:2", "grid:b:4"],
      ["grid:a:3"],
    ]);
  });

  it("retries a failed statement document by document, so only the faulty one is refused", async () => {
    const log = fakeLog({ refuse: "grid:bad" });
    const batcher = createAppendBatcher((rows) => log.write(rows));
    const good = batcher.append("grid:good", [{ update: bytes(1), userId: null }]);
    const bad = batcher.append("grid:bad", [{ update: bytes(2), userId: null }]);
    await expect(bad).rejects.toThrow("refusé");
    await expect(good).resolves.toBe(1n);
    expect(log.statements).toHaveLength(3); // together, then each alone
  });

  it("splits a round larger than maxRows across statements", async () => {
    const log = fakeLog();
    const batcher = createAppendBatcher((rows) => log.write(rows), { maxRows: 3 });
    const appends = ["a", "b", "c"].map((name) =>
      batcher.append(`grid:${name}`, [{ update: bytes(1), userId: null }, { update: bytes(2), userId: null }]),
    );
    expect(await Promise.all(appends)).toEqual([2n, 4n, 6n]);
    expect(log.statements.map((rows) => rows.length)).toEqual([2, 2, 2]);
  });

  it("resolves an empty append at once without writing", async () => {
    const log = fakeLog();
    const batcher = createAppendBatcher((rows) => log.write(rows));
    await expect(batcher.append("grid:a", [])).resolves.toBe(0n);
    expect(log.statements).toHaveLength(0);
  });
});
