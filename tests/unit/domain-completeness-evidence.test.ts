import { attachmentDisposition } from "~/platform/http/content-disposition";
import { describe, expect, it } from "vitest";
import {
  checkEvidenceFile,
  EVIDENCE_ACCEPT,
  EVIDENCE_KIND_LABELS,
  EVIDENCE_KINDS,
  EVIDENCE_MAX_BYTES,
  evidenceKindLabel,
  formatFileSize,
  safeFileName,
} from "~/domain/completeness";

const bytes = (...values: Array<number | string>) =>
  new Uint8Array(values.flatMap((v) => (typeof v === "string" ? [...v].map((c) => c.charCodeAt(0)) : [v])));

const PDF = bytes("%PDF-1.7\n");
const PNG = bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, "JFIF");
const EXE = bytes("MZ", 0x90, 0, 3, 0);
const ZIP_HEADER = [0x50, 0x4b, 0x03, 0x04, ...new Array(26).fill(0)];
const ODT = bytes(...ZIP_HEADER, "mimetypeapplication/vnd.oasis.opendocument.text");
const DOCX = bytes(...ZIP_HEADER, "[Content_Types].xml");

const check = (fileName: string, declaredType: string, head: Uint8Array, size = head.length) =>
  checkEvidenceFile({ fileName, declaredType, size, head });

describe("evidence file check", () => {
  it.each([
    ["attestation.pdf", "application/pdf", PDF, "application/pdf"],
    ["scan.PNG", "image/png", PNG, "image/png"],
    ["photo.jpg", "image/jpeg", JPEG, "image/jpeg"],
    ["photo.jpeg", "image/jpeg", JPEG, "image/jpeg"],
    ["livret.odt", "application/vnd.oasis.opendocument.text", ODT, "application/vnd.oasis.opendocument.text"],
    ["livret.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["sans-extension", "application/pdf", PDF, "application/pdf"],
    ["inconnu.pdf", "application/octet-stream", PDF, "application/pdf"],
    ["inconnu.odt", "", ODT, "application/vnd.oasis.opendocument.text"],
    ["type-avec-parametre.pdf", "application/pdf; charset=binary", PDF, "application/pdf"],
  ])("accepts %s (%s)", (fileName, declaredType, head, mimeType) => {
    expect(check(fileName, declaredType, head)).toEqual({ ok: true, mimeType });
  });

  it("accepts a PDF header after a little junk, as readers do", () => {
    expect(check("a.pdf", "application/pdf", bytes("\n\n", "%PDF-1.4")).ok).toBe(true);
  });

  const NOT_ALLOWED = "Type de fichier non autorisé : déposez un fichier PDF, JPEG, PNG, ODT ou DOCX.";

  it.each([
    ["setup.exe", "application/x-msdownload", EXE],
    ["setup.exe", "application/octet-stream", EXE],
    ["notes.txt", "text/plain", bytes("hello")],
    ["page.html", "text/html", bytes("<html>")],
    ["image.gif", "image/gif", bytes("GIF89a")],
    ["sans-extension", "application/octet-stream", PDF],
    // An allowed declared type does not excuse a forbidden extension.
    ["virus.exe", "application/pdf", PDF],
  ])("refuses %s declared %s", (fileName, declaredType, head) => {
    expect(check(fileName, declaredType, head)).toEqual({ ok: false, error: NOT_ALLOWED });
  });

  it("refuses a file whose extension contradicts its declared type", () => {
    expect(check("photo.png", "application/pdf", PDF)).toEqual({
      ok: false,
      error: "L'extension du fichier (.png) ne correspond pas à son type (PDF).",
    });
  });

  it.each([
    ["a renamed executable", "facture.pdf", "application/pdf", EXE, "PDF"],
    ["a PDF disguised as PNG", "scan.png", "image/png", PDF, "PNG"],
    ["a PNG disguised as JPEG", "photo.jpg", "image/jpeg", PNG, "JPEG"],
    ["a DOCX (zip) claiming to be ODT", "livret.odt", "application/vnd.oasis.opendocument.text", DOCX, "ODT"],
    ["a PDF claiming to be DOCX", "livret.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", PDF, "DOCX"],
  ])("refuses %s by its first bytes", (_case, fileName, declaredType, head, label) => {
    expect(check(fileName, declaredType, head)).toEqual({
      ok: false,
      error: `Le contenu du fichier n'est pas celui d'un fichier ${label} : fichier refusé.`,
    });
  });

  it("refuses empty and oversized files", () => {
    expect(check("vide.pdf", "application/pdf", new Uint8Array(), 0)).toEqual({ ok: false, error: "Le fichier est vide." });
    expect(check("gros.pdf", "application/pdf", PDF, EVIDENCE_MAX_BYTES + 1)).toEqual({
      ok: false,
      error: "Le fichier dépasse la taille maximale de 10 Mo.",
    });
    expect(check("juste.pdf", "application/pdf", PDF, EVIDENCE_MAX_BYTES).ok).toBe(true);
  });

  it("offers the browser the same types", () => {
    for (const token of ["application/pdf", ".pdf", "image/png", ".jpg", ".jpeg", ".odt", ".docx"]) {
      expect(EVIDENCE_ACCEPT.split(",")).toContain(token);
    }
  });
});

describe("file names", () => {
  it("keeps only a safe base name", () => {
    expect(safeFileName("C:\\Users\\léa\\Pièce d'identité.pdf")).toBe("Pièce d'identité.pdf");
    expect(safeFileName("../../etc/passwd")).toBe("passwd");
    expect(safeFileName('a"b<c>\u0000d\r\n.pdf')).toBe("abcd.pdf");
    expect(safeFileName("   ")).toBe("piece");
    expect(safeFileName("..")).toBe("piece");
    const long = safeFileName(`${"x".repeat(300)}.pdf`);
    expect(long).toHaveLength(180);
    expect(long.endsWith(".pdf")).toBe(true);
  });

  it("builds an attachment disposition with an ASCII fallback and the exact UTF-8 name", () => {
    expect(attachmentDisposition("attestation.pdf")).toBe(`attachment; filename="attestation.pdf"; filename*=UTF-8''attestation.pdf`);
    expect(attachmentDisposition("Pièce d'identité (recto).pdf")).toBe(
      `attachment; filename="Piece d_identite _recto_.pdf"; filename*=UTF-8''Pi%C3%A8ce%20d%27identit%C3%A9%20%28recto%29.pdf`,
    );
  });
});

describe("labels and sizes", () => {
  it("labels every evidence kind in French, and unknown kinds as themselves", () => {
    for (const kind of EVIDENCE_KINDS) expect(EVIDENCE_KIND_LABELS[kind]).toMatch(/\S/);
    expect(evidenceKindLabel("IDENTITY")).toBe("Pièce d'identité");
    expect(evidenceKindLabel("LEGACY")).toBe("LEGACY");
  });

  it("formats file sizes the French way", () => {
    expect(formatFileSize(512)).toBe("512 o");
    expect(formatFileSize(12_800)).toBe("12,5 Ko");
    expect(formatFileSize(EVIDENCE_MAX_BYTES)).toBe("10 Mo");
    expect(formatFileSize(1_258_291)).toBe("1,2 Mo");
  });
});
