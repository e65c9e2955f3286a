import { describe, expect, it } from "vitest";
import { countOf } from "~/components/certifications/certification-ui";
import { describeScale, LEVEL_PRESETS } from "~/domain/scales";

describe("French labels a new user reads", () => {
  it("does not print « Acquis (acquis) »", () => {
    const text = describeScale({ kind: "levels", levels: LEVEL_PRESETS.acquiredPartial });
    expect(text).toBe("Acquis / Partiellement acquis / Non acquis");
    expect(describeScale({ kind: "levels", levels: [{ value: "OK", label: "Maîtrisé", positive: true }] })).toBe("Maîtrisé (acquis)");
  });

  it("writes French plurals, not « session(s) »", () => {
    expect(countOf(0, "session")).toBe("0 session");
    expect(countOf(1, "session")).toBe("1 session");
    expect(countOf(2, "session")).toBe("2 sessions");
  });
});
