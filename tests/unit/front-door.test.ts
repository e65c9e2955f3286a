import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "~/platform/http/content-disposition";
import { safeRedirect } from "~/platform/security/redirect";
import { isCrossOrigin, requestHost } from "~/platform/security/request-origin";

describe("safeRedirect: only same-origin paths after normalisation", () => {
  it.each([
    ["/\t/evil.example/x"],
    ["/\n/evil.example"],
    ["/\r\n/evil.example"],
    ["//evil.example"],
    ["/\\evil.example"],
    ["/\\/evil.example"],
    ["https://evil.example/"],
    ["javascript:alert(1)"],
    [" /x"],
    ["/x\u0000y"],
    [""],
  ])("refuses %j", (to) => {
    expect(safeRedirect(to)).toBe("/");
  });

  it("keeps ordinary paths, their query and fragment", () => {
    expect(safeRedirect("/sessions/abc?tab=1#x")).toBe("/sessions/abc?tab=1#x");
    expect(safeRedirect("/")).toBe("/");
    expect(safeRedirect("/a/../b")).toBe("/b");
  });

  it("uses the fallback for non-strings", () => {
    expect(safeRedirect(null, "/sessions")).toBe("/sessions");
    expect(safeRedirect(undefined)).toBe("/");
  });
});

describe("one origin check for HTTP, socket.io and Yjs", () => {
  it("compares Origin with Host", () => {
    expect(isCrossOrigin({ origin: "http://quorum.test", host: "quorum.test" }, false)).toBe(false);
    expect(isCrossOrigin({ origin: "http://evil.example", host: "quorum.test" }, false)).toBe(true);
    expect(isCrossOrigin({ origin: "null", host: "quorum.test" }, false)).toBe(true);
    expect(isCrossOrigin({ origin: "not a url", host: "quorum.test" }, false)).toBe(true);
    expect(isCrossOrigin({ host: "quorum.test" }, false)).toBe(false);
  });

  it("trusts X-Forwarded-Host only behind a trusted proxy", () => {
    const forged = { origin: "http://evil.example", host: "quorum.test", "x-forwarded-host": "evil.example" };
    expect(isCrossOrigin(forged, false)).toBe(true);
    expect(isCrossOrigin(forged, true)).toBe(false);
    expect(requestHost({ host: "a", "x-forwarded-host": "b, c" }, true)).toBe("b");
    expect(requestHost({ host: "a", "x-forwarded-host": ["b"] }, false)).toBe("a");
  });
});

describe("Content-Disposition (RFC 6266)", () => {
  it("gives a Latin-1-safe header for « LŒUILLET » that Node accepts", () => {
    const value = attachmentDisposition("grille-LŒUILLET.pdf");
    expect(value).toBe(`attachment; filename="grille-LOEUILLET.pdf"; filename*=UTF-8''grille-L%C5%92UILLET.pdf`);
    expect(() => new Headers({ "Content-Disposition": value })).not.toThrow();
  });

  it("drops quotes, control and bidi characters from the fallback", () => {
    const value = attachmentDisposition('fact"ure\u202Eexe.pdf\r\n');
    expect(value).toMatch(/^attachment; filename="fact_ureexe\.pdf"; filename\*=UTF-8''fact%22ureexe\.pdf$/);
  });
});
