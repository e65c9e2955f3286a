/**
 * DejaVu Sans (regular and bold) from the dejavu-fonts-ttf package, read once per process. Embedded as subsets,
 * these cover French (é è à ç œ « » €) and satisfy PDF/A's "every font embedded" rule.
 *
 * `sharedFontkit` is what createPdfA registers with pdf-lib instead of fontkit itself: each font file is parsed
 * once per process (thread) rather than once per document, and its text shaping is memoised word by word. pdf-lib
 * shapes every string it measures or draws (`font.layout`: OpenType substitutions such as the fi/fl ligatures, and
 * positioning it then ignores), which cost ~5 µs per character, most of a grid's render. A line's glyphs are the
 * glyphs of its words joined by the space's glyphs: none of DejaVu's default substitutions crosses a space
 * (checked by tests/unit/pdf-fonts.test.ts against whole-line shaping). pdf-lib reads only `glyphs` of the result.
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
    text.split(" ").forEach((part, index) => {
      if (index > 0) glyphs.push(...space);
      if (part) glyphs.push(...word(part));
    });
    return { glyphs } as GlyphRun;
  };
  return font;
}
