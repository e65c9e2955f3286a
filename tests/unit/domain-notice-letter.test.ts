/**
 * Whether a sealed decision notice letter can be posted to the candidate's address as their file gives it now, and
 * when a new letter is worth re-issuing (app/domain/decision-notice.ts, `letterAddressState`).
 */
import { describe, expect, it } from "vitest";
import { letterAddressState } from "~/domain/decision-notice";

const sealed = (postalAddress: string | null, addressKnown = true) => ({ postalAddress, addressKnown });

describe("a sealed notice letter against the candidate's address now", () => {
  it("prints the address of the file: nothing to re-issue, whatever the spaces and blank lines typed", () => {
    expect(letterAddressState(sealed("8 rue de la République\n69002 Lyon"), "  8 rue   de la République \r\n\r\n69002 Lyon")).toEqual({
      state: "current",
      reissuable: false,
    });
  });

  it("without an address, and the file has none either (a candidate read by e-mail): nothing to re-issue", () => {
    expect(letterAddressState(sealed(null), null)).toEqual({ state: "current", reissuable: false });
    expect(letterAddressState(sealed(null), "  ")).toEqual({ state: "current", reissuable: false });
  });

  it("sealed without an address the secretariat filled afterwards: missing, re-issuable", () => {
    expect(letterAddressState(sealed(null), "5 rue Nationale\n37000 Tours")).toEqual({ state: "missing", reissuable: true });
  });

  it("sealed with an address since changed: changed, re-issuable", () => {
    expect(letterAddressState(sealed("8 rue de la République\n69002 Lyon"), "5 rue Nationale\n37000 Tours")).toEqual({
      state: "changed",
      reissuable: true,
    });
  });

  it("an address removed from the file since: changed, but a new letter would have none to print", () => {
    expect(letterAddressState(sealed("8 rue de la République\n69002 Lyon"), null)).toEqual({ state: "changed", reissuable: false });
  });

  it("sealed before letters kept their address, its file changed since: unknown, re-issuable when the file gives one", () => {
    expect(letterAddressState(sealed(null, false), "5 rue Nationale\n37000 Tours")).toEqual({ state: "unknown", reissuable: true });
    expect(letterAddressState(sealed(null, false), null)).toEqual({ state: "unknown", reissuable: false });
  });
});
