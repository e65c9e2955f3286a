/**
 * The signed evaluation grid as a sealed PDF/A-3b (app/platform/pdf: embedded DejaVu fonts, so é è à ç œ « » €
 * render; XMP identification; sRGB output intent; the organisation's PAdES seal):
 * header, competences with criteria, results and comments, each bloc's result and the outcome the scheme gives,
 * the commission's synthesis, and a certificate page listing the signers, their signing times, the SHA-256 of
 * the sealed content and the audit chain's head at completion. « page N / M » on every page. Runs in the render worker (app/signing/render-worker.ts), never
 * on the server's event loop. No I/O but the font files and the seal certificate.
 */
import { rgb, type PDFDocument, type PDFFont, type PDFPage } from "pdf-lib";
import { decodeResult, scaleLevels } from "~/domain/scales";
import type { Scheme } from "~/domain/scheme";
import type { AuditHead } from "~/domain/audit";
import { auditHeadLines, unavailableLines } from "~/platform/pdf/certificate-page.server";
import { createPdfA } from "~/platform/pdf/pdfa.server";
import { HEADING_KEEP } from "~/platform/pdf/layout.server";
import { sealPdf } from "~/platform/pdf/seal.server";
import { loadSealCertificate } from "~/platform/pdf/seal-certificate.server";
import { replaceMissingGlyphs, wrapText } from "../../text-layout";
import { frenchDate, frenchTime } from "~/domain/minutes";
import { candidateLine } from "~/domain/format";

export type GridPdfInput = {
  organisation: string;
  certification: { code: string; title: string; version: number };
  candidate: string;
  session: { title: string; date: Date; place: string };
  scheme: Scheme;
  blocs: Array<{
    code: string;
    title: string;
    competences: Array<{ id: string; code: string; statement: string; criteria: Array<{ statement: string }> }>;
  }>;
  results: Record<string, string>;
  comments: Record<string, string>;
  synthesis: string;
  /** Each bloc's result and the certification outcome, as the scheme computes them (app/domain/aggregation). */
  blocResults: Record<string, string>;
  outcome: string;
  /** Scoring members only (president, members): observers are not part of the commission's decision. */
  members: Array<{ name: string; role: string }>;
  signatures: Array<{ name: string; role: string; signedAt: Date }>;
  /** Members recorded as prevented from signing (« empêchement constaté », decision 0028): never signatures. */
  unavailable?: Array<{ name: string; role: string; recordedAt: Date; recordedBy: string; reason: string }>;
  contentHash: string;
  /** The audit chain's head anchored at completion (set by the render runner). */
  auditHead?: AuditHead | null;
};

/** What the render reports beside the bytes (characters the font lacks, replaced visibly). */
export type RenderNotes = { replacedCharacters: string[] };

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 50;
/** « 2 décembre 2026 », « 1er décembre 2026 » and « 9 h 05 »: the shared formatters (app/domain). */
export { frenchDate, frenchTime };

/** Writes text top-down with wrapping and page breaks. */
class Writer {
  page: PDFPage;
  y = A4.height - MARGIN;
  readonly replaced = new Set<string>();
  private readonly glyphs = new Map<PDFFont, Set<number>>();
  constructor(
    private readonly pdf: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
    /** Printed at the top of every page after the first (« Grille d'évaluation — Jeanne Dupont — suite »). */
    private readonly continuation: string,
  ) {
    this.page = pdf.addPage([A4.width, A4.height]);
    for (const font of [regular, bold]) this.glyphs.set(font, new Set(font.getCharacterSet()));
  }
  private readonly measures = new Map<PDFFont, Map<number, (text: string) => number>>();
  /** Width of a word at a size, measured once per distinct word (shaping a word is the costly part of a render). */
  measurer(font: PDFFont, size: number): (text: string) => number {
    const bySize = this.measures.get(font) ?? new Map<number, (text: string) => number>();
    this.measures.set(font, bySize);
    let measure = bySize.get(size);
    if (!measure) {
      const widths = new Map<string, number>();
      measure = (text) => {
        let width = widths.get(text);
        if (width === undefined) {
          width = font.widthOfTextAtSize(text, size);
          widths.set(text, width);
        }
        return width;
      };
      bySize.set(size, measure);
    }
    return measure;
  }
  newPage() {
    this.page = this.pdf.addPage([A4.width, A4.height]);
    this.y = A4.height - MARGIN;
    this.text(this.continuation, { size: 8, color: [0.35, 0.35, 0.4], gap: 10 });
  }
  /** `keepWithNext`: points of what follows kept on the heading's page (TextOptions in app/platform/pdf/layout.server.ts). */
  text(
    value: string,
    options: { size?: number; bold?: boolean; indent?: number; color?: [number, number, number]; gap?: number; keepWithNext?: number } = {},
  ) {
    const size = options.size ?? 10;
    const font = options.bold ? this.bold : this.regular;
    const x = MARGIN + (options.indent ?? 0);
    const width = A4.width - MARGIN - x;
    const glyphs = this.glyphs.get(font)!;
    const safe = replaceMissingGlyphs(value.replace(/\t/g, " "), (code) => glyphs.has(code), glyphs.has(0xfffd) ? "\uFFFD" : "?");
    for (const code of safe.replaced) this.replaced.add(code);
    const lines = wrapText(safe.text, this.measurer(font, size), width);
    if (options.keepWithNext) {
      const height = lines.length * size * 1.35 + (options.gap ?? 2) + options.keepWithNext;
      if (this.y - height < MARGIN && A4.height - 2 * MARGIN - height >= 60) this.newPage();
    }
    for (const line of lines) {
      if (this.y - size < MARGIN) this.newPage();
      this.page.drawText(line, { x, y: this.y - size, size, font, color: rgb(...(options.color ?? [0.1, 0.1, 0.15])) });
      this.y -= size * 1.35;
    }
    this.y -= options.gap ?? 2;
  }
  rule() {
    if (this.y - 8 < MARGIN) this.newPage();
    this.page.drawLine({
      start: { x: MARGIN, y: this.y - 4 },
      end: { x: A4.width - MARGIN, y: this.y - 4 },
      thickness: 0.5,
      color: rgb(0.7, 0.7, 0.75),
    });
    this.y -= 10;
  }
}

function resultLabel(scheme: Scheme, raw: string | undefined): string {
  const value = decodeResult(scheme.scale, raw);
  if (!value) return "Non évalué";
  if ("level" in value) return scaleLevels(scheme.scale)?.find((l) => l.value === value.level)?.label ?? value.level;
  if ("score" in value) {
    return scheme.scale.kind === "marks" ? `${value.score} / ${scheme.scale.max}` : `${value.score} %`;
  }
  return `${value.criteriaMet.length} critère(s) satisfait(s)`;
}

export async function renderGridPdf(input: GridPdfInput): Promise<{ pdf: Uint8Array; notes: RenderNotes }> {
  const lastSignature = input.signatures.map((s) => new Date(s.signedAt)).sort((a, b) => b.getTime() - a.getTime())[0];
  const doc = await createPdfA({
    title: `Grille d'évaluation — ${input.candidate}`,
    author: input.organisation,
    subject: "Grille d'évaluation signée",
    createdAt: lastSignature ?? new Date(),
  });
  const pdf = doc.pdf;
  // Every page after the first names the grid and its candidate: a page printed or read alone still says whose it is.
  const w = new Writer(pdf, doc.fonts.regular, doc.fonts.bold, `Grille d'évaluation — ${input.candidate} — suite`);

  w.text("Grille d'évaluation signée", { size: 18, bold: true, gap: 6 });
  w.text(input.organisation, { size: 11 });
  w.text(`${input.certification.title} (${input.certification.code}) — référentiel version ${input.certification.version}`, {
    size: 11,
  });
  w.rule();
  w.text(candidateLine(input.candidate), { bold: true, size: 11 });
  w.text(`Session : ${input.session.title}`);
  w.text(`Date : ${frenchDate(input.session.date)}, ${frenchTime(input.session.date)} — ${input.session.place}`);
  w.text(`Commission : ${input.members.map((m) => `${m.name} (${m.role})`).join(", ")}`, { gap: 8 });

  for (const bloc of input.blocs) {
    w.text(`${bloc.code} — ${bloc.title}`, { bold: true, size: 12, gap: 4, keepWithNext: HEADING_KEEP });
    for (const c of bloc.competences) {
      w.text(`${c.code}. ${c.statement}`, { bold: true, keepWithNext: HEADING_KEEP });
      for (const cr of c.criteria) w.text(`• ${cr.statement}`, { indent: 12, size: 9 });
      w.text(`Résultat : ${resultLabel(input.scheme, input.results[c.id])}`, { indent: 12 });
      const comment = input.comments[c.id]?.trim();
      if (comment) w.text(`Commentaire : ${comment}`, { indent: 12, size: 9 });
      w.y -= 4;
    }
    w.text(`Résultat du bloc ${bloc.code} : ${input.blocResults[bloc.code] ?? "Non évalué"}`, { bold: true, gap: 4 });
    w.rule();
  }
  w.text(`Résultat de la commission : ${input.outcome}`, { bold: true, size: 12, gap: 8 });
  w.text("Synthèse de la commission", { bold: true, size: 12, gap: 4, keepWithNext: HEADING_KEEP });
  w.text(input.synthesis.trim() || "—", { gap: 8 });

  w.newPage();
  w.text("Certificat de signature", { size: 16, bold: true, gap: 8 });
  w.text(
    "Chaque membre a signé électroniquement (signature simple) après s'être ré-authentifié par son mot de passe et " +
      "avoir donné son consentement explicite. Chaque signature est liée à l'empreinte SHA-256 du contenu scellé " +
      "de la grille ci-dessous ; elle figure, avec ses données techniques, dans le journal d'audit chaîné.",
    { gap: 8 },
  );
  w.text("Empreinte SHA-256 du contenu scellé :", { bold: true });
  w.text(input.contentHash, { size: 9, gap: 10 });
  w.text("Signataires", { bold: true, size: 12, gap: 4, keepWithNext: HEADING_KEEP });
  for (const s of input.signatures) {
    w.text(`${s.name} — ${s.role}`, { bold: true });
    w.text(`Signé le ${frenchDate(s.signedAt)} à ${frenchTime(s.signedAt)}`, { indent: 12, size: 9, gap: 6 });
  }
  if (input.unavailable?.length) {
    w.text("Signataires empêchés (n'ont pas signé)", { bold: true, size: 12, gap: 4, keepWithNext: HEADING_KEEP });
    for (const u of input.unavailable) {
      const lines = unavailableLines(u);
      w.text(lines.heading, { bold: true });
      w.text(`N'a pas signé : ${lines.notSigned}`, { indent: 12, size: 9 });
      w.text(`Motif : ${lines.reason}`, { indent: 12, size: 9, gap: 6 });
    }
  }
  if (input.auditHead) {
    const lines = auditHeadLines(input.auditHead);
    w.rule();
    w.text("Journal d'audit", { bold: true, size: 12, gap: 4, keepWithNext: HEADING_KEEP });
    w.text(lines.explanation, { size: 9, gap: 4 });
    w.text("Tête de la chaîne (numéro:empreinte) :", { bold: true });
    w.text(lines.anchor, { size: 9, gap: 6 });
  }
  const pages = pdf.getPages();
  pages.forEach((page, i) => {
    const label = `page ${i + 1} / ${pages.length}`;
    const size = 8;
    page.drawText(label, {
      x: A4.width - MARGIN - w.regular.widthOfTextAtSize(label, size),
      y: MARGIN / 2,
      size,
      font: w.regular,
      color: rgb(0.4, 0.4, 0.45),
    });
  });
  const certificate = await loadSealCertificate({ organisation: input.organisation });
  const sealed = await sealPdf(doc, { certificate, reason: "Grille d'évaluation signée, scellée par l'organisme", location: "Quorum" });
  return { pdf: sealed.bytes, notes: { replacedCharacters: [...w.replaced] } };
}
