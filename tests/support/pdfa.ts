/**
 * What every sealed PDF must carry to be archived as PDF/A-3b, checked as a recipient's tools see it: an output
 * intent /GTS_PDFA1 with an embedded sRGB ICC profile (N 3, an ICC « mntr RGB » header), the XMP identification
 * (pdfaid:part 3, conformance B, via `pdfinfo -meta`), every font embedded (`pdffonts`), and the organisation's seal
 * valid (`pdfsig`). Shared by the tests that produce each kind of sealed document.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { expect } from "vitest";

export async function expectArchivablePdf(file: string): Promise<void> {
  const pdf = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const intents = pdf.catalog.lookupMaybe(PDFName.of("OutputIntents"), PDFArray);
  expect(intents, `${file}: /OutputIntents`).toBeDefined();
  const intent = intents!.lookup(0, PDFDict);
  expect(intent.get(PDFName.of("S")), `${file}: /S`).toBe(PDFName.of("GTS_PDFA1"));
  const profile = intent.lookup(PDFName.of("DestOutputProfile"));
  expect(profile, `${file}: /DestOutputProfile`).toBeInstanceOf(PDFRawStream);
  const stream = profile as PDFRawStream;
  expect(stream.dict.get(PDFName.of("N"))?.toString(), `${file}: ICC /N`).toBe("3");
  const icc = Buffer.from(decodePDFRawStream(stream).decode());
  expect(icc.subarray(12, 20).toString("latin1"), `${file}: ICC device class and colour space`).toBe("mntrRGB ");
  expect(icc.subarray(36, 40).toString("latin1"), `${file}: ICC signature`).toBe("acsp");

  const xmp = execFileSync("pdfinfo", ["-meta", file], { encoding: "utf8" });
  expect(xmp, `${file}: XMP pdfaid:part`).toMatch(/pdfaid:part(>|=")3/);
  expect(xmp, `${file}: XMP pdfaid:conformance`).toMatch(/pdfaid:conformance(>|=")B/);

  // pdffonts: name, type, encoding, emb, sub, uni, object ID; two header lines.
  const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" }).trim().split("\n").slice(2);
  expect(fonts.length, `${file}: fonts`).toBeGreaterThan(0);
  for (const line of fonts) expect(line.trim().split(/\s+/).at(-5), `${file}: embedded font ${line}`).toBe("yes");

  expect(spawnSync("pdfsig", [file], { encoding: "utf8" }).stdout, `${file}: seal`).toMatch(/Signature Validation: Signature is Valid/);
}
