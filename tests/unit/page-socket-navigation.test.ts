/**
 * A session page notes in its tab's storage that it left the session (app/components/live/page-socket.ts); the pages
 * of that session that follow in the tab say so as they join — for the minutes' navigation grace only, so that a
 * socket reconnecting later after a lost network does not. An in-memory Storage (the Web Storage API's shape).
 */
import { describe, expect, it } from "vitest";
import { leftSessionRecently, notePageLeft } from "~/components/live/page-socket";
import { NAVIGATION_GRACE_SECONDS } from "~/domain/minutes";

function memoryStorage(): Pick<Storage, "getItem" | "setItem"> {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

describe("a page of the session left in this tab", () => {
  it("is said by the next pages of that session within the grace, never after it nor for another session", () => {
    const storage = memoryStorage();
    const left = Date.parse("2026-12-08T09:30:00Z");
    expect(leftSessionRecently("s1", left, storage)).toBe(false);
    notePageLeft("s1", left, storage);
    expect(leftSessionRecently("s1", left + 2_000, storage)).toBe(true);
    // Every socket of the next page says it, whichever joins first.
    expect(leftSessionRecently("s1", left + 2_500, storage)).toBe(true);
    expect(leftSessionRecently("s1", left + NAVIGATION_GRACE_SECONDS * 1000, storage)).toBe(true);
    expect(leftSessionRecently("s1", left + NAVIGATION_GRACE_SECONDS * 1000 + 1, storage)).toBe(false);
    expect(leftSessionRecently("s2", left + 2_000, storage)).toBe(false);
  });

  it("says nothing when the tab's storage refuses (disabled, full) or holds something else", () => {
    const refusing = {
      getItem: (): string | null => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    expect(() => notePageLeft("s1", Date.now(), refusing)).not.toThrow();
    expect(leftSessionRecently("s1", Date.now(), refusing)).toBe(false);
    const storage = memoryStorage();
    storage.setItem("quorum:left-session:s1", "hier");
    expect(leftSessionRecently("s1", Date.now(), storage)).toBe(false);
  });
});
