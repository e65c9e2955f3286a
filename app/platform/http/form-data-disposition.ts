/**
 * The Content-Disposition header of one part of a multipart form, as browsers write it (HTML's multipart/form-data
 * encoding): `form-data; name="…"; filename="…"`, where a `"` of a name is written %22 and CR and LF %0D and %0A,
 * nothing else escaped — a file may be named « CR réunion; version=2.pdf ». Other clients (curl) write `\"` instead.
 *
 * Remix's multipart parser (@web3-storage/multipart-parser 1.0) split this header at every `;` and every `=`: such a
 * file name made it throw and the upload answered 500. Its function is replaced by this one when Node compiles the
 * package (package-rewrites.server.ts); the parser's callers read `name` and `filename` from the result.
 */
export function parseFormDataDisposition(header: string): Record<string, string> {
  const length = header.length;
  const firstSemicolon = header.indexOf(";");
  const type = header.slice(0, firstSemicolon < 0 ? length : firstSemicolon).trim().toLowerCase();
  if (type !== "form-data") throw new Error('malformed content-disposition header: missing "form-data"');
  const out: Record<string, string> = {};
  let i = firstSemicolon < 0 ? length : firstSemicolon;
  while (i < length) {
    while (i < length && (header[i] === ";" || header[i] === " " || header[i] === "\t")) i++;
    if (i >= length) break;
    const equals = header.indexOf("=", i);
    if (equals < 0) throw new Error("malformed content-disposition header: key-value pair not found");
    const key = header.slice(i, equals).trim().toLowerCase();
    i = equals + 1;
    while (i < length && (header[i] === " " || header[i] === "\t")) i++;
    let value: string;
    if (header[i] === '"') {
      // The closing quote is the one followed by the end of the header or by `;`: a quote inside the value is never
      // raw from a browser (%22), and one escaped by curl (`\"`) is followed by more of the name.
      let close = header.indexOf('"', i + 1);
      while (close >= 0 && !/^[ \t]*(;|$)/.test(header.slice(close + 1))) close = header.indexOf('"', close + 1);
      if (close < 0) throw new Error("malformed content-disposition header: mismatched quotations");
      value = header
        .slice(i + 1, close)
        .replace(/\\"/g, '"')
        .replace(/%22/gi, '"');
      i = close + 1;
    } else {
      const end = header.indexOf(";", i);
      value = header.slice(i, end < 0 ? length : end).trim();
      i = end < 0 ? length : end;
    }
    if (key === "filename*") {
      // RFC 8187 (`UTF-8''…`), which no browser sends in a form but some clients do: it wins over `filename`.
      const encoded = /^utf-8'[^']*'(.*)$/i.exec(value)?.[1];
      if (encoded === undefined) continue;
      try {
        out.filename = decodeURIComponent(encoded);
      } catch {
        // a malformed encoding: keep `filename` as sent
      }
      continue;
    }
    if (key === "filename" && out.filename !== undefined && header.toLowerCase().includes("filename*=")) continue;
    out[key] = value;
  }
  return out;
}
