/**
 * A QR code drawn as vector rectangles on a pdf-lib page (crisp at any zoom, no image, nothing for PDF/A to
 * object to), with an optional caption under it. The module matrix comes from the qrcode package; each row's
 * runs of dark modules become one rectangle of a single filled path.
 *
 *   drawQrCode(page, "https://quorum.example/verifier/Xk3…", {
 *     x: 440, y: 60, size: 100, caption: "Vérifier ce document", font: doc.fonts.regular,
 *   });
 */
import { rgb, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import type { TextFlow } from "./layout.server";

export type QrOptions = {
  /** Lower-left corner of the code (without its quiet zone), in points. */
  x: number;
  y: number;
  /** Side of the code in points (the 4-module quiet zone is left around it, outside this square). */
  size: number;
  caption?: string;
  font?: PDFFont;
  captionSize?: number;
  errorCorrectionLevel?: "L" | "M" | "Q" | "H";
};

/** The QR module matrix: `dark[row][column]`, row 0 at the top. */
export function qrMatrix(text: string, errorCorrectionLevel: QrOptions["errorCorrectionLevel"] = "M"): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel });
  const rows: boolean[][] = [];
  for (let r = 0; r < modules.size; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < modules.size; c++) row.push(Boolean(modules.get(r, c)));
    rows.push(row);
  }
  return rows;
}

/** Draws the code; returns the height used below `y` by the caption (0 without one). */
export function drawQrCode(page: PDFPage, text: string, options: QrOptions): number {
  const matrix = qrMatrix(text, options.errorCorrectionLevel);
  const n = matrix.length;
  const cell = options.size / n;
  // One filled path of all dark runs (row by row): a single fill, so no hairline seams between rows.
  const parts: string[] = [];
  matrix.forEach((row, r) => {
    let c = 0;
    while (c < n) {
      if (!row[c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && row[c]) c++;
      parts.push(`M${start} ${r}h${c - start}v1h${start - c}Z`);
    }
  });
  // drawSvgPath: origin at (x, y) with y growing downwards, in module units scaled to points.
  page.drawSvgPath(parts.join(""), { x: options.x, y: options.y + options.size, scale: cell, color: rgb(0, 0, 0) });
  if (!options.caption || !options.font) return 0;
  const size = options.captionSize ?? 7;
  const width = options.font.widthOfTextAtSize(options.caption, size);
  page.drawText(options.caption, {
    x: options.x + (options.size - width) / 2,
    y: options.y - size - 4,
    size,
    font: options.font,
    color: rgb(0.2, 0.2, 0.25),
  });
  return size + 4;
}

/**
 * The verification block every issued document ends with (parchemin, attestation, notice letter, fiche de décision):
 * the QR code to its public page, captioned « Vérifier ce document », then the page's address in small print (the
 * code readable without a phone, and in the PDF's text).
 */
export function drawVerificationCode(flow: TextFlow, url: string, font: PDFFont): void {
  flow.ensure(120);
  drawQrCode(flow.page, url, { x: 50, y: flow.y - 100, size: 90, caption: "Vérifier ce document", font });
  flow.y -= 115;
  flow.text(url, { size: 8 });
}
