/**
 * A part's Content-Disposition as browsers and curl write it, read by the multipart parser's replacement
 * (app/platform/http/form-data-disposition.ts), and the rewrite that puts it in the pinned parser.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parseFormDataDisposition } from "~/platform/http/form-data-disposition";
import { dispositionThroughQuorum } from "~/platform/package-rewrites.server";

describe("a multipart part's Content-Disposition", () => {
  it("reads names with « ; », « = » and quotes as the browser sent them", () => {
    expect(parseFormDataDisposition('form-data; name="file"; filename="CR réunion; version=2.pdf"')).toEqual({
      name: "file",
      filename: "CR réunion; version=2.pdf",
    });
    // A browser writes a quote %22; curl writes \".
    expect(parseFormDataDisposition('form-data; name="file"; filename="a%22b.pdf"').filename).toBe('a"b.pdf');
    expect(parseFormDataDisposition('form-data; name="file"; filename="a\\"b; c.pdf"').filename).toBe('a"b; c.pdf');
    expect(parseFormDataDisposition('form-data; name="kind"')).toEqual({ name: "kind" });
    expect(parseFormDataDisposition("form-data; name=kind")).toEqual({ name: "kind" });
    expect(parseFormDataDisposition(`form-data; name="file"; filename*=UTF-8''Pi%C3%A8ce%3B%20a.pdf`).filename).toBe("Pièce; a.pdf");
  });

  it("refuses what is not a form part", () => {
    expect(() => parseFormDataDisposition('attachment; filename="a.pdf"')).toThrow(/malformed/);
    expect(() => parseFormDataDisposition('form-data; name="file"; filename="a.pdf')).toThrow(/malformed/);
    expect(() => parseFormDataDisposition("form-data; name")).toThrow(/malformed/);
  });

  it("is what the pinned parser's own function becomes when Node compiles it", () => {
    const require = createRequire(import.meta.url);
    const source = readFileSync(require.resolve("@web3-storage/multipart-parser"), "utf8");
    const rewritten = dispositionThroughQuorum(source);
    expect(rewritten).not.toBeNull();
    expect(rewritten).toContain('function parseContentDisposition(header) { return globalThis[Symbol.for("quorum.formDataDisposition")](header); }');
    expect(dispositionThroughQuorum("function other() {}")).toBeNull();
  });
});
