/**
 * CSV files as French spreadsheets expect them (Excel, LibreOffice with a French locale): UTF-8 with a byte order
 * mark (without it Excel reads « Ã©lodie »), semicolons between cells (the comma is the decimal separator), CRLF
 * line ends, cells quoted when they hold a separator, a quote or a line break, dates as JJ/MM/AAAA, decimals with
 * a comma. Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
 * prefixed with an apostrophe (OWASP « CSV injection »). Identifiers, codes and labels that a spreadsheet would
 * turn into a number or a date (a birth commune's code 01053, a bloc 01, a phone number, the month 2026-01) are
 * text-typed cells (`{ text }`): such a value starts with a tab, which Excel and LibreOffice take as text, keeping it
 * as written, and that any CSV parser reads as an ordinary character (decision 0010, « CSV opened in Excel »). Builds
 * a string (toCsv), or a stream of its bytes from rows read a batch at a time (csvStream: an export of years of rows).
 */

export type CsvValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | { date: Date | string }
  | { dateTime: Date | string }
  /** A cell that must stay text as written (identifiers, codes, phone numbers, month labels). */
  | { text: string | null | undefined };

export type CsvColumn<Row> = { header: string; value: (row: Row) => CsvValue };

export const CSV_BOM = "\uFEFF";
export const CSV_SEPARATOR = ";";
export const CSV_EOL = "\r\n";

const FORMULA_START = /^[=+\-@\t\r]/;
/**
 * What a spreadsheet would read as a number, a date or a time rather than as the text it is: digits with number and
 * date separators only (01000, 06 12 34 56 78, 2026-01, 01/02, 12:30, 1,5 %), or a number in scientific notation
 * (12E34).
 */
const CONVERTED_BY_SPREADSHEETS = /^(?:[\d\s.,:/%+-]*\d[\d\s.,:/%+-]*|\d+(?:[.,]\d+)?e[+-]?\d+)$/i;
/** Excel (and LibreOffice) keep a cell starting with a tab as text: the mark of a text-typed cell at risk. */
export const TEXT_MARK = "\t";

/** A text-typed cell's text: as written, marked when a spreadsheet would convert it (formulas neutralised first). */
export function textCell(value: string | null | undefined): string {
  if (!value) return "";
  if (FORMULA_START.test(value)) return `'${value}`;
  return CONVERTED_BY_SPREADSHEETS.test(value) ? TEXT_MARK + value : value;
}

/** Date-only values (UTC midnight Date or "YYYY-MM-DD…") as JJ/MM/AAAA. */
export function frenchDate(value: Date | string): string {
  if (typeof value === "string") {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
    if (match) return `${match[3]}/${match[2]}/${match[1]}`;
    value = new Date(value);
  }
  if (Number.isNaN(value.getTime())) return "";
  const iso = value.toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** Built once (a formatter costs ~0.3 ms to create; an export formats one date per row). */
const PARIS_DATE_TIME = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** An instant as JJ/MM/AAAA HH:MM in Paris time. */
export function frenchDateTime(value: Date | string): string {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return "";
  return PARIS_DATE_TIME.format(date)
    .replace(",", "")
    .replace(/\u202f|\u00a0/g, " ");
}

function isUtcMidnight(date: Date): boolean {
  return date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0;
}

/** The text of one cell before quoting. */
export function cellText(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "oui" : "non";
  if (typeof value === "number") return Number.isFinite(value) ? String(value).replace(".", ",") : "";
  if (value instanceof Date) return isUtcMidnight(value) ? frenchDate(value) : frenchDateTime(value);
  if (typeof value === "object") {
    if ("text" in value) return textCell(value.text);
    return "date" in value ? frenchDate(value.date) : frenchDateTime(value.dateTime);
  }
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One cell, quoted when needed. */
export function csvCell(value: CsvValue): string {
  const text = cellText(value);
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: BOM, header line, one line per row, CRLF after each line. */
export function toCsv<Row>(columns: CsvColumn<Row>[], rows: Iterable<Row>): string {
  const lines = [columns.map((column) => csvCell(column.header)).join(CSV_SEPARATOR)];
  for (const row of rows) lines.push(columns.map((column) => csvCell(column.value(row))).join(CSV_SEPARATOR));
  return CSV_BOM + lines.join(CSV_EOL) + CSV_EOL;
}

/**
 * A whole file as a stream: BOM and header line, then the lines of each batch as it comes (pulled: the next batch is
 * read when the client has taken the previous one). The first batch is read before the stream is returned, so that
 * an error there is the request's error, not a cut download; a later one errors the stream (the browser reports the
 * download as failed rather than keeping half a file).
 */
export async function csvStream<Row>(columns: CsvColumn<Row>[], batches: AsyncIterable<Row[]>): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  const lines = (rows: Row[]) => rows.map((row) => columns.map((column) => csvCell(column.value(row))).join(CSV_SEPARATOR) + CSV_EOL).join("");
  const first = await iterator.next();
  const head = CSV_BOM + columns.map((column) => csvCell(column.header)).join(CSV_SEPARATOR) + CSV_EOL + (first.done ? "" : lines(first.value));
  let done = first.done === true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head));
      if (done) controller.close();
    },
    async pull(controller) {
      // Until something is enqueued: a pull that enqueues nothing is not called again.
      while (!done) {
        const next = await iterator.next();
        if (next.done) {
          done = true;
          controller.close();
        } else if (next.value.length > 0) {
          controller.enqueue(encoder.encode(lines(next.value)));
          return;
        }
      }
    },
    async cancel() {
      done = true;
      await iterator.return?.();
    },
  });
}

/** Headers for a download: UTF-8 CSV as an attachment, the file name safe in ASCII and exact in UTF-8. */
export function csvDownloadHeaders(fileName: string): Record<string, string> {
  const ascii = fileName.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9._-]+/g, "_");
  return {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    "Cache-Control": "no-store",
  };
}
