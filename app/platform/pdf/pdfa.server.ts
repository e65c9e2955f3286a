/**
 * PDF/A-3b documents with pdf-lib: what the archive needs for a file to stay readable and self-describing.
 *
 *   const doc = await createPdfA({ title: "Procès-verbal — Jury du 12 mars", author: "CPNE Métallurgie", createdAt });
 *   const page = doc.pdf.addPage(A4);  page.drawText("…", { font: doc.fonts.regular, … });
 *   await attachJson(doc, { fileName: "preuves.json", description: "Preuves du procès-verbal", data: evidence });
 *   numberPages(doc);                        // « page N / M » on every page, once, after the last page
 *   const bytes = await savePdfA(doc);       // unsigned; or sealPdf(doc, …) from seal.server.ts
 *
 * What makes it PDF/A-3b here: embedded DejaVu subsets (no standard-14 font), an XMP metadata stream
 * (pdfaid:part 3, conformance B, dc/xmp/pdf properties equal to the Info dictionary), an sRGB output intent with
 * an ICC profile generated in code (srgb-icc.ts), a document ID in the trailer, no encryption, no object streams
 * (a plain xref table), and attachments as associated files (catalog /AF, /AFRelationship, /Subtype, /ModDate).
 */
import { randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";
import {
  AFRelationship,
  PDFContentStream,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
  rgb,
  type PDFFont,
} from "pdf-lib";
import { loadDejaVuFonts, sharedFontkit } from "./fonts.server";
import { buildSrgbIccProfile, SRGB_DESCRIPTION } from "./srgb-icc";

export const A4 = { width: 595.28, height: 841.89 } as const;

export type PdfAMetadata = {
  /** dc:title and Info /Title (shown in the reader's title bar). */
  title: string;
  /** dc:creator and Info /Author: the organisation. */
  author: string;
  /** dc:description and Info /Subject. */
  subject?: string;
  keywords?: string[];
  /** The document's creation time (Info /CreationDate, xmp:CreateDate); also its modification time. */
  createdAt: Date;
  /** BCP 47 language of the content; default "fr-FR". */
  lang?: string;
};

export type PdfADocument = {
  pdf: PDFDocument;
  fonts: { regular: PDFFont; bold: PDFFont };
  meta: PdfAMetadata;
  /** 32 hex digits: the trailer /ID and xmpMM:DocumentID. */
  documentId: string;
  /** Set once XMP, output intent and ID are written (applyPdfA is idempotent). */
  conformanceApplied: boolean;
  /**
   * Characters the fonts lack, as « U+XXXX », replaced by a visible « � » where the text layout drew them (TextFlow):
   * the render job logs and audits them. The forms refuse such characters; a text stored before they did still
   * renders, the gap shown and reported rather than an empty box the text layer silently drops.
   */
  replacedCharacters: Set<string>;
};

export const PRODUCER = "Quorum (pdf-lib)";
const CREATOR_TOOL = "Quorum";

/** A new PDF/A-3b document with DejaVu Sans regular and bold embedded (subset) and the Info dictionary filled. */
export async function createPdfA(meta: PdfAMetadata): Promise<PdfADocument> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(sharedFontkit);
  const { regular, bold } = await loadDejaVuFonts();
  const fonts = {
    regular: await pdf.embedFont(regular, { subset: true }),
    bold: await pdf.embedFont(bold, { subset: true }),
  };
  const createdAt = new Date(Math.floor(meta.createdAt.getTime() / 1000) * 1000); // PDF dates have no milliseconds
  const full = { ...meta, createdAt, lang: meta.lang ?? "fr-FR" };
  pdf.setTitle(full.title, { showInWindowTitleBar: true });
  pdf.setAuthor(full.author);
  if (full.subject) pdf.setSubject(full.subject);
  if (full.keywords?.length) pdf.setKeywords([full.keywords.join("; ")]);
  pdf.setCreator(CREATOR_TOOL);
  pdf.setProducer(PRODUCER);
  pdf.setCreationDate(createdAt);
  pdf.setModificationDate(createdAt);
  pdf.setLanguage(full.lang);
  return { pdf, fonts, meta: full, documentId: randomBytes(16).toString("hex"), conformanceApplied: false, replacedCharacters: new Set() };
}

export type JsonAttachment = {
  /** File name inside the PDF, e.g. "preuves.json". */
  fileName: string;
  /** Shown by readers next to the attachment (French). */
  description: string;
  /** Serialised with JSON.stringify(data, null, 2); pass a string to embed it verbatim. */
  data: unknown;
  /** PDF/A-3 relationship to the document: Data (default: the evidence the document presents) or Source. */
  relationship?: "Data" | "Source" | "Supplement";
};

/**
 * Embeds JSON as a PDF/A-3 associated file: an EmbeddedFiles name-tree entry whose file specification carries
 * /AFRelationship and is listed in the catalog's /AF; the stream has /Subtype application/json and /Params with
 * /Size, /CreationDate and /ModDate. Returns the exact bytes embedded (to hash or store alongside).
 */
export async function attachJson(doc: PdfADocument, attachment: JsonAttachment): Promise<Uint8Array> {
  const text = typeof attachment.data === "string" ? attachment.data : JSON.stringify(attachment.data, null, 2);
  const bytes = new TextEncoder().encode(text);
  await doc.pdf.attach(bytes, attachment.fileName, {
    mimeType: "application/json",
    description: attachment.description,
    creationDate: doc.meta.createdAt,
    modificationDate: doc.meta.createdAt,
    afRelationship: AFRelationship[attachment.relationship ?? "Data"],
  });
  return bytes;
}

/**
 * Writes « page N / M » at the bottom centre of every page. Call once, after the last page is added (M is the
 * page count at that moment).
 */
export function numberPages(
  doc: PdfADocument,
  options: { size?: number; format?: (page: number, total: number) => string } = {},
): void {
  const pages = doc.pdf.getPages();
  const size = options.size ?? 8;
  const format = options.format ?? ((n: number, m: number) => `page ${n} / ${m}`);
  pages.forEach((page, index) => {
    const label = format(index + 1, pages.length);
    const width = doc.fonts.regular.widthOfTextAtSize(label, size);
    page.drawText(label, {
      x: (page.getWidth() - width) / 2,
      y: 24,
      size,
      font: doc.fonts.regular,
      color: rgb(0.35, 0.35, 0.4),
    });
  });
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function xmpDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The XMP packet: PDF/A identification plus the Dublin Core, XMP basic, PDF and XMP media-management properties. */
export function buildXmp(meta: PdfAMetadata, documentId: string): string {
  const date = xmpDate(meta.createdAt);
  const uuid = `uuid:${documentId.slice(0, 8)}-${documentId.slice(8, 12)}-${documentId.slice(12, 16)}-${documentId.slice(16, 20)}-${documentId.slice(20)}`;
  const keywords = meta.keywords?.length ? meta.keywords : undefined;
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${xmlEscape(meta.author)}</rdf:li></rdf:Seq></dc:creator>
${meta.subject ? `   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(meta.subject)}</rdf:li></rdf:Alt></dc:description>\n` : ""}${keywords ? `   <dc:subject><rdf:Bag>${keywords.map((k) => `<rdf:li>${xmlEscape(k)}</rdf:li>`).join("")}</rdf:Bag></dc:subject>\n   <pdf:Keywords>${xmlEscape(keywords.join("; "))}</pdf:Keywords>\n` : ""}   <dc:language><rdf:Bag><rdf:li>${xmlEscape(meta.lang ?? "fr-FR")}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreateDate>${date}</xmp:CreateDate>
   <xmp:ModifyDate>${date}</xmp:ModifyDate>
   <xmp:MetadataDate>${date}</xmp:MetadataDate>
   <xmp:CreatorTool>${CREATOR_TOOL}</xmp:CreatorTool>
   <pdf:Producer>${xmlEscape(PRODUCER)}</pdf:Producer>
   <xmpMM:DocumentID>${uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>${uuid}</xmpMM:InstanceID>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** The sRGB profile, deflated once per process (it is the same in every document). */
let iccProfile: Uint8Array | undefined;

/** Writes the XMP metadata stream, the sRGB output intent and the trailer ID. Idempotent. */
export function applyPdfA(doc: PdfADocument): void {
  if (doc.conformanceApplied) return;
  const { pdf } = doc;
  const context = pdf.context;
  // Metadata stream: uncompressed UTF-8 (PDF/A forbids a filter on it).
  const metadata = context.stream(new TextEncoder().encode(buildXmp(doc.meta, doc.documentId)), {
    Type: "Metadata",
    Subtype: "XML",
  });
  pdf.catalog.set(PDFName.of("Metadata"), context.register(metadata));

  iccProfile ??= deflateSync(buildSrgbIccProfile());
  const profile = context.register(context.stream(iccProfile, { N: 3, Filter: "FlateDecode" }));
  const intent = context.obj({
    Type: "OutputIntent",
    S: "GTS_PDFA1",
    OutputConditionIdentifier: PDFString.of(SRGB_DESCRIPTION),
    Info: PDFString.of(SRGB_DESCRIPTION),
    RegistryName: PDFString.of("http://www.color.org"),
    DestOutputProfile: profile,
  });
  pdf.catalog.set(PDFName.of("OutputIntents"), context.obj([context.register(intent)]));

  const id = PDFHexString.of(doc.documentId);
  context.trailerInfo.ID = context.obj([id, id]);
  doc.conformanceApplied = true;
}

/**
 * Deflates the pages' content streams with Node's zlib (native) instead of pdf-lib's pako at save time: the same
 * FlateDecode streams, in a fraction of the time (pako was a fifth of a 30-competence grid's render). Call right
 * before `pdf.save`, after the last drawing (a page drawn on afterwards would write to the replaced stream).
 */
export function deflateContentStreams(pdf: PDFDocument): void {
  for (const [ref, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFContentStream) || object.dict.get(PDFName.of("Filter")) !== PDFName.of("FlateDecode")) continue;
    pdf.context.assign(ref, PDFRawStream.of(object.dict, deflateSync(object.getUnencodedContents())));
  }
}

/** The unsigned PDF/A-3b bytes. Prefer sealPdf for anything that leaves the server. */
export async function savePdfA(doc: PdfADocument): Promise<Uint8Array> {
  applyPdfA(doc);
  deflateContentStreams(doc.pdf);
  return doc.pdf.save({ useObjectStreams: false, updateFieldAppearances: false });
}
