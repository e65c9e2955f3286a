/**
 * Line wrapping for the PDFs, pure: each word is measured once and line widths are summed, so a paragraph costs
 * time linear in its length (the former wrapping re-measured the growing line for every word: quadratic).
 * A word wider than a whole line is cut into pieces that fit (it used to run off the page).
 */

/** Width of a piece of text at the font size in use (pdf-lib's `font.widthOfTextAtSize(text, size)`). */
export type Measure = (text: string) => number;

export function wrapText(text: string, measure: Measure, width: number): string[] {
  const space = measure(" ");
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r/g, "").split("\n")) {
    let line: string[] = [];
    let lineWidth = 0;
    // A no-break space (« 9 h 05 ») keeps its words on one line.
    for (const word of paragraph.split(/[^\S\u00a0\u202f]+/)) {
      for (const piece of fitWord(word, measure, width)) {
        const pieceWidth = measure(piece.text);
        const extended = line.length > 0 ? lineWidth + space + pieceWidth : pieceWidth;
        if (extended <= width || line.length === 0) {
          line.push(piece.text);
          lineWidth = extended;
        } else {
          lines.push(line.join(" "));
          line = [piece.text];
          lineWidth = pieceWidth;
        }
      }
    }
    lines.push(line.join(" "));
  }
  return lines;
}

/** The word itself, or (wider than a line) consecutive pieces that each fit, measured character by character. */
function fitWord(word: string, measure: Measure, width: number): Array<{ text: string }> {
  if (word.length < 2 || measure(word) <= width) return [{ text: word }];
  const pieces: Array<{ text: string }> = [];
  let piece = "";
  let pieceWidth = 0;
  for (const char of word) {
    const charWidth = measure(char);
    if (piece && pieceWidth + charWidth > width) {
      pieces.push({ text: piece });
      piece = "";
      pieceWidth = 0;
    }
    piece += char;
    pieceWidth += charWidth;
  }
  if (piece) pieces.push({ text: piece });
  return pieces;
}

/**
 * Replaces every character the font cannot draw by a visible mark (pdf-lib would throw, or the glyph would be
 * empty), and reports which were replaced so the caller can log them.
 */
export function replaceMissingGlyphs(
  text: string,
  has: (codePoint: number) => boolean,
  mark = "\uFFFD",
): { text: string; replaced: string[] } {
  let out = "";
  const replaced: string[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === "\n" || char === "\t" || has(code)) out += char;
    else {
      out += mark;
      replaced.push(`U+${code.toString(16).toUpperCase().padStart(4, "0")}`);
    }
  }
  return { text: out, replaced };
}
