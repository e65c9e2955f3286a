/**
 * DejaVu Sans (regular and bold) from the dejavu-fonts-ttf package, read once per process. Embedded as subsets,
 * these cover French (é è à ç œ « » €) and satisfy PDF/A's "every font embedded" rule.
 *
 * `sharedFontkit` is what createPdfA registers with pdf-lib instead of fontkit itself: each font file is parsed
 * once per process (thread) rather than once per document, and its text shaping is memoised word by word. pdf-lib
 * shapes every string it measures or draws (`font.layout`: OpenType substitutions such as the fi/fl ligatures, and
 * positioning it then ignores), which cost ~5 µs per character, most of a grid's render. A line's glyphs are the
 * glyphs of its words joined by the space's glyphs: none of DejaVu's default substitutions crosses a space
 * (checked by tests/unit/pdf-fonts.test.ts against whole-line shaping), the words of a right-to-left run (a name in
 * Arabic or Hebrew) in visual order (`inVisualOrder`). pdf-lib reads only `glyphs` of the result.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import type { Fontkit, Font, Glyph, GlyphRun } from "pdf-lib/cjs/types/fontkit";

const require = createRequire(import.meta.url);
let fonts: Promise<{ regular: Uint8Array; bold: Uint8Array }> | undefined;

export function loadDejaVuFonts(): Promise<{ regular: Uint8Array; bold: Uint8Array }> {
  fonts ??= (async () => {
    const dir = require.resolve("dejavu-fonts-ttf/package.json").replace(/package\.json$/, "ttf/");
    const [regular, bold] = await Promise.all([readFile(`${dir}DejaVuSans.ttf`), readFile(`${dir}DejaVuSans-Bold.ttf`)]);
    return { regular, bold };
  })();
  return fonts;
}

/** Distinct words kept per font; past it the memo starts again (a référentiel's vocabulary is a few thousand). */
const WORD_MEMO_LIMIT = 50_000;

const parsed = new WeakMap<Uint8Array, Font>();

/** fontkit for pdf-lib's registerFontkit: one parsed, word-memoised Font per font file (the same bytes). */
export const sharedFontkit: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string): Font {
    if (postscriptName) return fontkit.create(buffer, postscriptName);
    let font = parsed.get(buffer);
    if (!font) {
      font = withWordMemo(fontkit.create(buffer));
      parsed.set(buffer, font);
    }
    return font;
  },
};

/** The font with `layout` answered from its words' shaping, each word shaped once (default features only). */
export function withWordMemo(font: Font): Font {
  const shape = font.layout.bind(font);
  const words = new Map<string, Glyph[]>();
  const word = (text: string): Glyph[] => {
    let glyphs = words.get(text);
    if (!glyphs) {
      if (words.size >= WORD_MEMO_LIMIT) words.clear();
      glyphs = shape(text).glyphs;
      words.set(text, glyphs);
    }
    return glyphs;
  };
  font.layout = (text: string, features?: Parameters<Font["layout"]>[1]): GlyphRun => {
    if (features && (Array.isArray(features) ? features.length > 0 : Object.keys(features).length > 0)) {
      return shape(text, features);
    }
    if (!text.includes(" ")) return { glyphs: word(text) } as GlyphRun;
    const glyphs: Glyph[] = [];
    const space = word(" ");
    inVisualOrder(text.split(" ")).forEach((pieces, index) => {
      if (index > 0) glyphs.push(...space);
      for (const piece of pieces) if (piece) glyphs.push(...word(piece));
    });
    return { glyphs } as GlyphRun;
  };
  return font;
}

/** A letter of a right-to-left script the fonts have (Hebrew, Arabic and their presentation forms), and any letter. */
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/u;
const LETTER = /\p{L}/u;

/**
 * The words of a line (split on spaces) in the order they are drawn, left to right, in a French (left-to-right) text,
 * each as the pieces drawn side by side: a run of right-to-left words (« سارة أحمد », a member's name in Arabic) is
 * drawn last word first, each word's own glyphs being reversed by its shaping; drawn in reading order, the name read
 * « أحمد سارة » (its words swapped) in the signed documents. Words without letters (numbers, dashes) between two
 * right-to-left words belong to their run; the punctuation closing the run (« سارة أحمد. ») stays after it, on its
 * right, and the punctuation opening it (« (سارة ») before it, as in the French sentence around.
 */
export function inVisualOrder(parts: string[]): string[][] {
  const direction = parts.map((part) => {
    for (const character of part) {
      if (RTL_LETTER.test(character)) return "rtl";
      if (LETTER.test(character)) return "ltr";
    }
    return "neutral";
  });
  if (!direction.includes("rtl")) return parts.map((part) => [part]);
  const ordered: string[][] = [];
  let index = 0;
  while (index < parts.length) {
    if (direction[index] !== "rtl") {
      ordered.push([parts[index]!]);
      index++;
      continue;
    }
    let end = index;
    for (let next = index + 1; next < parts.length && direction[next] !== "ltr"; next++) if (direction[next] === "rtl") end = next;
    const run = parts.slice(index, end + 1);
    const opening = /^[^\p{L}\p{M}]*/u.exec(run[0]!)![0];
    const closing = /[^\p{L}\p{M}]*$/u.exec(run.at(-1)!.slice(run.length === 1 ? opening.length : 0))![0];
    run[0] = run[0]!.slice(opening.length);
    run[run.length - 1] = run.at(-1)!.slice(0, run.at(-1)!.length - closing.length);
    const words = run.reverse().map((part) => [part]);
    words[0]!.unshift(opening);
    words.at(-1)!.push(closing);
    ordered.push(...words);
    index = end + 1;
  }
  return ordered;
}
