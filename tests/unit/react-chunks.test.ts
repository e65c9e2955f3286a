/**
 * React's server renderer writing its output as strings (app/platform/http/react-chunks.server.ts) sends the bytes of
 * the original (the pinned react-dom-server.node.production.min.js, both compiled fresh here) — but for the NUL bytes
 * the original leaves in its 2,048-byte buffer when a multi-byte character does not fit at its end (React 18.3.1 writes
 * the whole buffer: « M\0écanique » on the demo's candidates list). Markup with escaped text and attributes, non-ASCII
 * text, pages far larger than React's buffer and than the 16 kB of pending text, Suspense boundaries streamed after the
 * shell, and a destination that pushes back.
 */
import { readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { reactChunksAsStrings } from "~/platform/http/react-chunks.server";

const require = createRequire(import.meta.url);
// The production build that react-dom/server.node requires under NODE_ENV=production (the exports map hides it).
const file = path.join(path.dirname(require.resolve("react-dom/package.json")), "cjs", "react-dom-server.node.production.min.js");
const source = readFileSync(file, "utf8");
const React = require("react") as typeof import("react");
const h = React.createElement;

type Renderer = typeof import("react-dom/server");

function compiled(code: string): Renderer {
  const fresh = new Module(file) as Module & { _compile(content: string, filename: string): void };
  fresh.filename = file;
  fresh.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  fresh._compile(code, file);
  return fresh.exports as Renderer;
}

const rewritten = reactChunksAsStrings(source);
/** The bytes without NUL (no test page has one; the original renderer adds some, see above). */
const withoutNul = (bytes: Buffer) => Buffer.from(bytes.filter((byte) => byte !== 0));
const original = compiled(source);

/** Renders `element` to a destination and resolves with every byte it received, and how many writes it took. */
function render(
  renderer: Renderer,
  element: React.ReactElement,
  { pushBack = false, onShellReady = () => {} } = {},
): Promise<{ bytes: Buffer; writes: number }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const destination = new Writable({
      highWaterMark: pushBack ? 64 : 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        parts.push(Buffer.from(chunk));
        // A slow reader: write() returns false past the high-water mark and React waits for "drain".
        if (pushBack) setImmediate(done);
        else done();
      },
    });
    destination.on("finish", () => resolve({ bytes: Buffer.concat(parts), writes: parts.length }));
    const { pipe } = renderer.renderToPipeableStream(element, {
      onShellReady,
      onAllReady: () => pipe(destination),
      onShellError: reject,
      onError: reject,
    });
  });
}

/**
 * A value read through Suspense: it suspends until `release()`, then shows `text`. Released by the test once the shell
 * is ready, never by a timer: a timer that fired before React first rendered (a busy machine) would put the text in
 * the shell for one renderer and stream it after the shell for the other.
 */
function gated(text: string) {
  let ready = false;
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return {
    Late() {
      if (!ready) throw promise;
      return h("p", { className: "late" }, text);
    },
    release() {
      ready = true;
      open();
    },
  };
}

function page(rows: number, late?: Array<() => React.ReactElement | null>) {
  return h(
    "html",
    { lang: "fr" },
    h("head", null, h("title", null, "Procès-verbal — jury n° 3 « A & B »"), h("meta", { charSet: "utf-8" })),
    h(
      "body",
      { className: "min-h-screen", "data-testid": 'a "quoted" <value>' },
      h("h1", { style: { color: "red", marginTop: 4 } }, "Délibération du jury 😀 — 𝒜 ∑ ≠ < & >"),
      h(
        "ul",
        null,
        Array.from({ length: rows }, (_, i) =>
          h("li", { key: i, id: `row-${i}`, "aria-label": `Ligne ${i} « é »` }, `Candidat ${i} : compétence acquise ${"à".repeat(i % 7)}`, h("b", null, i)),
        ),
      ),
      h("pre", null, "x".repeat(40_000)),
      ...(late ?? []).map((Late, i) => h(React.Suspense, { key: `s${i}`, fallback: h("span", null, "Chargement…") }, h(Late))),
    ),
  );
}

describe("React's server output written as strings", () => {
  it("applies to the pinned renderer", () => {
    expect(rewritten).not.toBeNull();
    expect(rewritten).not.toContain("new Uint8Array(2048)");
  });

  it.each([
    ["an empty body", 0],
    ["a small page", 3],
    ["a page of 5,000 rows (~600 kB)", 5_000],
  ])("sends the original's bytes for %s", async (_label, rows) => {
    const expected = await render(original, page(rows));
    const actual = await render(compiled(rewritten!), page(rows));
    expect(actual.bytes.includes(0)).toBe(false);
    expect(actual.bytes.equals(withoutNul(expected.bytes))).toBe(true);
    // The rewrite gathers pieces: never more writes than React's own 2 kB buffers.
    expect(actual.writes).toBeLessThanOrEqual(expected.writes);
  });

  it("sends the original's bytes when Suspense boundaries resolve after the shell", async () => {
    const renderWith = async (renderer: Renderer) => {
      const late = [gated("Décision : admis ✓"), gated("Tally: 7 / 2 / 0")];
      return render(renderer, page(50, late.map((boundary) => boundary.Late)), {
        onShellReady: () => late.forEach((boundary) => boundary.release()),
      });
    };
    const expected = await renderWith(original);
    const actual = await renderWith(compiled(rewritten!));
    expect(actual.bytes.toString("utf8")).toContain("Décision : admis ✓");
    expect(actual.bytes.equals(withoutNul(expected.bytes))).toBe(true);
  });

  it("sends the original's bytes to a destination that pushes back, streamed boundaries included", async () => {
    const stream = (renderer: Renderer) =>
      new Promise<Buffer>((resolve, reject) => {
        const parts: Buffer[] = [];
        const destination = new Writable({
          highWaterMark: 64,
          write(chunk: Buffer, _encoding, done) {
            parts.push(Buffer.from(chunk));
            setImmediate(done);
          },
        });
        destination.on("finish", () => resolve(Buffer.concat(parts)));
        const late = gated("Fin de séance");
        const element = page(2_000, [late.Late]);
        // Piped at the shell: the boundary streams later, through a destination that is often full.
        const { pipe } = renderer.renderToPipeableStream(element, {
          onShellReady: () => {
            pipe(destination);
            late.release();
          },
          onShellError: reject,
        });
      });
    const expected = await stream(original);
    const actual = await stream(compiled(rewritten!));
    // Both renderers sent the fallback with the shell and streamed the boundary after it.
    expect(expected.toString("utf8")).toContain("Chargement…");
    expect(actual.toString("utf8")).toContain("Chargement…");
    expect(actual.toString("utf8")).toContain("Fin de séance");
    expect(actual.equals(withoutNul(expected))).toBe(true);
  });

  it("never splits a character at a buffer's end, where the original writes NUL bytes", async () => {
    // Short attributes in French across React's 2,048-byte buffers: at one buffer's end an « é » (two bytes) finds one.
    const words = Array.from({ length: 1_000 }, (_, i) => (i % 2 ? "é" : "ab"));
    const element = h("p", null, words.map((word, i) => h("span", { key: i, title: word }, "x")));
    const expected = await render(original, element);
    const actual = await render(compiled(rewritten!), element);
    expect(expected.bytes.includes(0)).toBe(true);
    expect(actual.bytes.toString("utf8")).toBe(`<p>${words.map((word) => `<span title="${word}">x</span>`).join("")}</p>`);
  });
});
