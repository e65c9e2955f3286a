/**
 * The decision notice letter as a sealed PDF/A (PAdES seal of the organisation, like the records), with a QR code to
 * the verification page of each record it announces and one to the letter's own, in its head. Runs in the render worker: plain data in, bytes out.
 */
import type { Notice } from "~/domain/decision-notice";
import { formatParisLongDate } from "~/domain/paris-date";
import { rgb } from "pdf-lib";
import { HEADING_KEEP, MARGIN, printable, TextFlow, wrapText } from "~/platform/pdf/layout.server";
import { A4, createPdfA, numberPages, type PdfADocument } from "~/platform/pdf/pdfa.server";
import { drawQrCode } from "~/platform/pdf/qr.server";
import { loadSealCertificate } from "~/platform/pdf/seal-certificate.server";
import { sealPdf } from "~/platform/pdf/seal.server";

export type NoticePdfInput = {
  organisation: string;
  candidate: string;
  /**
   * The window block: the recipient's name (with the civility), then their postal address lines; the name alone when
   * no address is registered (the letter is then handed over, or the address written by hand).
   */
  recipient: string[];
  notice: Notice;
  notifiedAt: Date;
  records: { number: string; verificationUrl: string }[];
  /** The letter's own verification page (printed at its end); null for a letter written before letters had one. */
  verificationUrl?: string | null;
  /** A re-issued letter (app/delivery/reissue-decision-notice.server.ts): when, and the date of the letter it replaces. */
  reissue?: { issuedAt: Date; replaces: Date };
};

const MM = 72 / 25.4;

/** « 7 décembre 2026 », in Paris (a date that crossed to the render thread may arrive as its ISO text). */
const frenchDate = (date: Date | string) => formatParisLongDate(date);
/**
 * The recipient block where a DL window envelope (110 × 220 mm) shows it, the A4 letter folded in three: from 110 mm
 * from the left edge (up to the right margin, about 83 mm) and 50 mm from the top (the window spans about 45–90 mm).
 */
const WINDOW_LEFT = 110 * MM;
const WINDOW_TOP = 50 * MM;
/** Where the letter's body starts: under the window (its bottom edge at about 90 mm). */
const BODY_TOP = 95 * MM;

/** The QR codes printed in the letter's head (the letter's own and its records'; more follow the body), and their size in points. */
const HEAD_QR_CODES = 2;
const HEAD_QR_SIZE = 80;

/** The window's bottom edge: a line printed lower is hidden in the envelope. */
const WINDOW_BOTTOM = 90 * MM;
/** The recipient block's type sizes, largest first: a long name (civil names run to a hundred letters and more) with a
 * five-line address is set smaller rather than pushing the postcode and town under the window's edge. */
const RECIPIENT_SIZES = [10, 9, 8, 7];

/** Draws the recipient block on the first page, within the envelope's window; returns the y under its last line. */
function drawRecipient(doc: PdfADocument, flow: TextFlow, lines: string[]): number {
  const width = A4.width - MARGIN - WINDOW_LEFT;
  const layout = (size: number) =>
    lines.flatMap((line, index) => {
      const font = index === 0 ? doc.fonts.bold : doc.fonts.regular;
      return wrapText(printable(doc, line), font, size, width).map((part) => ({ part, font }));
    });
  const size = RECIPIENT_SIZES.find((s) => layout(s).length * s * 1.35 <= WINDOW_BOTTOM - WINDOW_TOP) ?? RECIPIENT_SIZES.at(-1)!;
  let y = A4.height - WINDOW_TOP;
  for (const { part, font } of layout(size)) {
    flow.page.drawText(part, { x: WINDOW_LEFT, y: y - size, size, font, color: rgb(0.1, 0.1, 0.15) });
    y -= size * 1.35;
  }
  return y;
}

export async function renderNoticePdf(input: NoticePdfInput): Promise<{ pdf: Uint8Array; notes: { replacedCharacters: string[] } }> {
  const doc = await createPdfA({ title: input.notice.subject, author: input.organisation, subject: "Notification de décision", createdAt: new Date(input.notifiedAt) });
  const flow = new TextFlow(doc);
  flow.text(input.organisation, { size: 11, bold: true, gap: 2 });
  const blockBottom = drawRecipient(doc, flow, input.recipient);
  // Up to two QR codes in the letter's head, left of the window (hidden in the envelope): at the end of the body, the
  // one of a parchemin sat alone on a second page. The letter's own comes first, with its address under it (as a
  // record prints its code); the records' follow it when they fit, otherwise they follow the body.
  const own = input.verificationUrl ? [{ url: input.verificationUrl, caption: "Vérifier ce document" }] : [];
  const inHead = own.length + input.records.length <= HEAD_QR_CODES;
  const head = [...own, ...(inHead ? input.records.map((r) => ({ url: r.verificationUrl, caption: `Vérifier ${r.number}` })) : [])];
  const headY = A4.height - 80 - HEAD_QR_SIZE;
  let captionHeight = 0;
  head.forEach((code, index) => {
    captionHeight = drawQrCode(flow.page, code.url, { x: MARGIN + index * (HEAD_QR_SIZE + 40), y: headY, size: HEAD_QR_SIZE, caption: code.caption, font: doc.fonts.regular });
  });
  if (input.verificationUrl) {
    const lines = wrapText(input.verificationUrl, doc.fonts.regular, 7, WINDOW_LEFT - MARGIN - 20);
    lines.forEach((line, index) => {
      flow.page.drawText(line, { x: MARGIN, y: headY - captionHeight - 10 - index * 9, size: 7, font: doc.fonts.regular, color: rgb(0.1, 0.1, 0.15) });
    });
  }
  // The body starts under the window and its block, as a French letter's date and subject do.
  flow.y = Math.min(flow.y, A4.height - BODY_TOP, blockBottom - 20);
  flow.text("Notification de la décision du jury", { size: 16, bold: true, gap: input.reissue ? 3 : 8 });
  if (input.reissue) {
    flow.text(`Lettre réémise le ${frenchDate(input.reissue.issuedAt)} : elle remplace la lettre du ${frenchDate(input.reissue.replaces)}.`, { size: 10, gap: 8 });
  }
  for (const section of input.notice.sections) {
    if (section.heading) flow.text(section.heading, { size: 12, bold: true, gap: 3, keepWithNext: HEADING_KEEP });
    for (const line of section.lines) flow.text(line, { indent: section.heading ? 8 : 0, gap: 3 });
    flow.space(4);
  }
  for (const record of inHead ? [] : input.records) {
    flow.ensure(120);
    drawQrCode(flow.page, record.verificationUrl, { x: 50, y: flow.y - 100, size: 90, caption: `Vérifier ${record.number}`, font: doc.fonts.regular });
    flow.y -= 115;
  }
  numberPages(doc);
  const certificate = await loadSealCertificate({ organisation: input.organisation });
  const sealed = await sealPdf(doc, { certificate, reason: "Notification de décision scellée par l'organisme certificateur", location: "Quorum" });
  return { pdf: sealed.bytes, notes: { replacedCharacters: [...doc.replacedCharacters] } };
}
