/**
 * Content-Disposition for every download (RFC 6266 with RFC 8187 `filename*`): a plain-ASCII fallback name, then
 * the exact UTF-8 name. Header values must be Latin-1: a raw « LŒUILLET » made Node throw (500).
 */
export function attachmentDisposition(fileName: string, type: "attachment" | "inline" = "attachment"): string {
  // eslint-disable-next-line no-control-regex
  const clean = fileName.replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
  const fallback =
    clean
      .replace(/Œ/g, "OE")
      .replace(/œ/g, "oe")
      .replace(/Æ/g, "AE")
      .replace(/æ/g, "ae")
      .replace(/ß/g, "ss")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[^A-Za-z0-9._ -]/g, "_")
      .trim() || "fichier";
  const encoded = encodeURIComponent(clean || "fichier").replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * A stored document as a download (signed PDFs by default): its name, its SHA-256 in X-Content-SHA256 for the
 * recipient to check, never cached.
 */
export function documentDownload(
  document: { content: BodyInit; fileName: string; sha256: string },
  contentType = "application/pdf",
): Response {
  return new Response(document.content, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": attachmentDisposition(document.fileName),
      "X-Content-SHA256": document.sha256,
      "Cache-Control": "private, no-store",
    },
  });
}
