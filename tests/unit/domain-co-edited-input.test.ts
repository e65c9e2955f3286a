/**
 * What the co-edited texts' editor does with a member's input before it reaches the shared document
 * (app/domain/co-edited-input.ts): refused with a French reason, or kept (the unprintable characters left out).
 */
import { describe, expect, it } from "vitest";
import { coEditedInput } from "~/domain/co-edited-input";

describe("a member's input into a co-edited text", () => {
  it("keeps a text that reaches the limit exactly, and refuses one character more, saying why", () => {
    expect(coEditedInput([{ from: 19_990, to: 19_990, text: "0123456789" }], 19_990, 20_000)).toEqual({
      kind: "kept",
      inserted: [{ from: 19_990, to: 19_990, text: "0123456789" }],
      changed: false,
      message: null,
    });
    expect(coEditedInput([{ from: 20_000, to: 20_000, text: "a" }], 20_000, 20_000)).toEqual({
      kind: "refused",
      message: "Non saisi : ce texte ne peut dépasser 20\u202f000 caractères (il en compterait 20\u202f001). Raccourcissez ce que vous ajoutez.",
    });
  });

  it("refuses a paste that would take the text over its limit, whole", () => {
    const verdict = coEditedInput([{ from: 0, to: 0, text: "x".repeat(10_001) }], 0, 10_000);
    expect(verdict.kind).toBe("refused");
  });

  it("counts what the input replaces, and what it leaves out", () => {
    // Replacing 5 characters by 5 at the limit: the length does not change.
    expect(coEditedInput([{ from: 0, to: 5, text: "abcde" }], 100, 100).kind).toBe("kept");
    // An emoji left out does not count: « o🙂 » typed at 99 characters is kept as « o », 100 characters.
    expect(coEditedInput([{ from: 99, to: 99, text: "o\u{1F642}" }], 99, 100)).toMatchObject({
      kind: "kept",
      inserted: [{ from: 99, to: 99, text: "o" }],
      changed: true,
    });
  });

  it("lets a text already over its limit be shortened, not lengthened", () => {
    expect(coEditedInput([{ from: 0, to: 10, text: "" }], 150, 100).kind).toBe("kept");
    expect(coEditedInput([{ from: 0, to: 1, text: "ab" }], 150, 100).kind).toBe("refused");
  });

  it("refuses a control or bidirectional character before anything else", () => {
    expect(coEditedInput([{ from: 0, to: 0, text: "exe\u202Efdp" }], 0, 100)).toEqual({
      kind: "refused",
      message: "Modification refusée : caractère interdit (U+202E).",
    });
  });
});
