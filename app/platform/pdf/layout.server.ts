/**
 * Top-down text layout on A4 pages for the sealed documents (minutes, decision sheets, grids, delivery records):
 * wrapped paragraphs, headings, rules and key/value lines with automatic page breaks, leaving room at the bottom
 * for « page N / M » (numberPages in pdfa.server.ts).
 *
 *   const flow = new TextFlow(doc);
 *   flow.text("Procès-verbal de délibération", { size: 16, bold: true });
 *   flow.field("Date", "12 mars 2027");  flow.rule();  flow.text(longParagraph);
 */
import { rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { printableCodePoint } from "~/domain/pdf-printable";
import { replaceMissingGlyphs } from "~/signing/text-layout";
import { A4, type PdfADocument } from "./pdfa.server";

export const MARGIN = 50;
/** Space kept free at the bottom of each page for the page number. */
export const FOOTER = 40;

export type TextOptions = {
  size?: number;
  bold?: boolean;
  indent?: number;
  color?: [number, number, number];
  /** Extra space after the paragraph, in points (default 2). */
  gap?: number;
  /**
   * A heading's keep-with-next: points of what follows that must fit on the same page, else the heading starts the
   * next page (a heading alone at the foot of a page, its content overleaf, was seen on a decision sheet).
   */
  keepWithNext?: number;
};

/** `text` with each character the fonts lack replaced by « � », noted in `doc.replacedCharacters`. */
export function printable(doc: PdfADocument, text: string): string {
  const safe = replaceMissingGlyphs(text.replace(/\t/g, " "), printableCodePoint);
  for (const code of safe.replaced) doc.replacedCharacters.add(code);
  return safe.text;
}

/** What a heading keeps with it: two lines of body text (10 pt) and a paragraph's gap. */
export const HEADING_KEEP = 2 * 10 * 1.35 + 3;

export class TextFlow {
  page: PDFPage;
  y: number;
  /**
   * `continuation`: a line printed at the top of every page after the first (« Parchemin n° … — Jeanne Dupont —
   * suite »), so a page read or printed on its own still says which document and holder it belongs to.
   */
  constructor(
    readonly doc: PdfADocument,
    readonly options: { continuation?: string } = {},
  ) {
    this.page = doc.pdf.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
  }
  get bottom() {
    return MARGIN + FOOTER - 20;
  }
  newPage() {
    this.page = this.doc.pdf.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
    const continuation = this.options.continuation;
    if (continuation) {
      const size = 8;
      const font = this.doc.fonts.regular;
      for (const line of wrapText(printable(this.doc, continuation), font, size, A4.width - 2 * MARGIN)) {
        this.page.drawText(line, { x: MARGIN, y: this.y - size, size, font, color: rgb(0.35, 0.35, 0.4) });
        this.y -= size * 1.35;
      }
      this.y -= 10;
    }
  }
  /** Starts a new page unless `height` points still fit on this one. */
  ensure(height: number) {
    if (this.y - height < this.bottom) this.newPage();
  }
  text(value: string, options: TextOptions = {}) {
    const size = options.size ?? 10;
    const font = options.bold ? this.doc.fonts.bold : this.doc.fonts.regular;
    const x = MARGIN + (options.indent ?? 0);
    const lines = wrapText(printable(this.doc, value), font, size, A4.width - MARGIN - x);
    if (options.keepWithNext) {
      const height = lines.length * size * 1.35 + (options.gap ?? 2) + options.keepWithNext;
      // Only when it would fit on a fresh page: a longer block is left to break where it must.
      if (this.y - height < this.bottom && A4.height - MARGIN - height >= this.bottom + 60) this.newPage();
    }
    for (const line of lines) {
      this.ensure(size);
      this.page.drawText(line, { x, y: this.y - size, size, font, color: rgb(...(options.color ?? [0.1, 0.1, 0.15])) });
      this.y -= size * 1.35;
    }
    this.y -= options.gap ?? 2;
  }
  /** « Label : value » with the label in bold. */
  field(label: string, value: string, options: Omit<TextOptions, "bold"> = {}) {
    const size = options.size ?? 10;
    const prefix = printable(this.doc, `${label} : `);
    const x = MARGIN + (options.indent ?? 0);
    const labelWidth = this.doc.fonts.bold.widthOfTextAtSize(prefix, size);
    const lines = wrapText(printable(this.doc, value), this.doc.fonts.regular, size, A4.width - MARGIN - x - labelWidth);
    lines.forEach((line, index) => {
      this.ensure(size);
      const color = rgb(...(options.color ?? [0.1, 0.1, 0.15]));
      if (index === 0) this.page.drawText(prefix, { x, y: this.y - size, size, font: this.doc.fonts.bold, color });
      this.page.drawText(line, { x: x + labelWidth, y: this.y - size, size, font: this.doc.fonts.regular, color });
      this.y -= size * 1.35;
    });
    this.y -= options.gap ?? 2;
  }
  rule() {
    this.ensure(10);
    this.page.drawLine({
      start: { x: MARGIN, y: this.y - 4 },
      end: { x: A4.width - MARGIN, y: this.y - 4 },
      thickness: 0.5,
      color: rgb(0.7, 0.7, 0.75),
    });
    this.y -= 10;
  }
  space(points: number) {
    this.y -= points;
  }
}

/**
 * Greedy word wrap; a word longer than the width is cut so nothing runs off the page (hashes, URLs). A no-break space
 * (« 9 h 04 », « n° 12 ») never breaks a line.
 */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r/g, "").split("\n")) {
    let line = "";
    for (const word of paragraph.split(/[^\S\u00a0\u202f]+/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = word;
      while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
        let cut = line.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--;
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
      }
    }
    lines.push(line);
  }
  return lines;
}
