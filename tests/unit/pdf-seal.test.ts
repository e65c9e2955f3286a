/**
 * The sealed PDF library (app/platform/pdf): a PDF/A-3b document with an evidence attachment and a certificate
 * page, sealed with the demo certificate, checked with the tools a recipient would use — Poppler (pdfsig,
 * pdfdetach, pdfinfo, pdftotext), xmllint and qpdf (installed by tests/support/ensure-tools.mjs) — and with our own
 * verifier, before and after tampering.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import forge from "node-forge";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCertificatePage } from "~/platform/pdf/certificate-page.server";
import { TextFlow } from "~/platform/pdf/layout.server";
import { drawQrCode, qrMatrix } from "~/platform/pdf/qr.server";
import { attachJson, createPdfA, numberPages, savePdfA } from "~/platform/pdf/pdfa.server";
import { sealPdf, type SealedPdf } from "~/platform/pdf/seal.server";
import {
  loadSealCertificate,
  resetSealCertificateCache,
  type SealCertificate,
} from "~/platform/pdf/seal-certificate.server";
import { buildSrgbIccProfile } from "~/platform/pdf/srgb-icc";
import { verifySealedPdf } from "~/platform/pdf/verify-seal.server";

const ORGANISATION = "CPNE Métallurgie";
const ACCENTS = "Délibéré à l'unanimité : élève très appliqué, cœur à l'ouvrage, ça coûte 12 € « sans réserve »";
const EVIDENCE = {
  session: "Jury paritaire du 12 mars 2027",
  decisions: [{ candidate: "Zoé Lefèvre", outcome: "totale", tally: { pour: 5, contre: 0, abstention: 1 } }],
  quorum: [{ at: "2027-03-12T09:02:00Z", reached: true }],
  incidents: [{ member: "Émile Durand", disconnectedAt: "2027-03-12T10:15:00Z", seconds: 94 }],
};

let dir: string;
let certificate: SealCertificate;
let sealed: SealedPdf;
let sealedFile: string;
let embedded: Uint8Array;
let sealMs: number;

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

async function buildDocument(pages: number) {
  const doc = await createPdfA({
    title: "Procès-verbal de délibération — Jury du 12 mars 2027",
    author: ORGANISATION,
    subject: "Procès-verbal scellé",
    keywords: ["procès-verbal", "jury"],
    createdAt: new Date("2027-03-12T17:30:00Z"),
  });
  const flow = new TextFlow(doc);
  flow.text("Procès-verbal de délibération", { size: 16, bold: true });
  flow.text(ACCENTS);
  while (doc.pdf.getPageCount() < pages - 1) flow.text(`Ligne de délibération n° ${flow.y.toFixed(0)} — ${ACCENTS}`);
  const bytes = await attachJson(doc, { fileName: "preuves.json", description: "Preuves du procès-verbal", data: EVIDENCE });
  addCertificatePage(doc, {
    documentLabel: "Procès-verbal de délibération — Jury du 12 mars 2027",
    contentHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    signers: [
      { name: "Hélène Garçon", role: "Présidente du jury", signedAt: new Date("2027-03-12T17:20:00Z"), authentication: "mot de passe, ré-authentification à la signature" },
      { name: "Jean Lefèvre", role: "Vice-président du jury", signedAt: new Date("2026-12-01T08:05:09Z"), authentication: "mot de passe, ré-authentification à la signature" },
    ],
    organisation: ORGANISATION,
    certificate,
    verificationUrl: "https://quorum.example/verifier/k3Xq9-ZrT2p",
  });
  numberPages(doc);
  return { doc, bytes };
}

beforeAll(async () => {
  for (const tool of ["pdfsig", "pdfdetach", "pdfinfo", "pdftotext", "qpdf", "xmllint"]) {
    if (!existsSync(`/usr/bin/${tool}`)) throw new Error(`/usr/bin/${tool} missing: run node tests/support/ensure-tools.mjs`);
  }
  dir = mkdtempSync(path.join(tmpdir(), "quorum-seal-"));
  resetSealCertificateCache();
  certificate = await loadSealCertificate({ organisation: ORGANISATION, dataDir: dir, env: {} });
  const { doc, bytes } = await buildDocument(5);
  embedded = bytes;
  const started = performance.now();
  sealed = await sealPdf(doc, { certificate, reason: "Procès-verbal scellé par l'organisme", location: "Lyon" });
  sealMs = performance.now() - started;
  sealedFile = path.join(dir, "pv.pdf");
  writeFileSync(sealedFile, sealed.bytes);
}, 120_000);

afterAll(() => {
  resetSealCertificateCache();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("sealed PDF", () => {
  it("is five pages (the sealing time is logged)", async () => {
    expect((await PDFDocument.load(sealed.bytes)).getPageCount()).toBe(5);
    const { doc } = await buildDocument(5);
    const started = performance.now();
    await sealPdf(doc, { certificate, reason: "Procès-verbal scellé par l'organisme" });
    const warm = performance.now() - started;
    console.log(`[pdf-seal] sealing a 5-page PDF: first ${sealMs.toFixed(0)} ms, then ${warm.toFixed(0)} ms`);
  });

  it("pdfsig reports the seal valid, the whole document signed, as ETSI.CAdES.detached", () => {
    const { out } = run("pdfsig", [sealedFile]);
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Total document signed");
    expect(out).toContain("Signature Type: ETSI.CAdES.detached");
    expect(out).toContain(`Signer Certificate Common Name: ${ORGANISATION} — cachet de démonstration`);
    // Self-signed demo certificate: the certificate (not the signature) is untrusted.
    expect(out).toMatch(/Certificate Validation: (Certificate issuer is unknown|Certificate isn't Trusted)/);
  });

  it("our verifier reports it intact, by the demo certificate, at the sealing time", () => {
    const result = verifySealedPdf(sealed.bytes);
    expect(result).toMatchObject({
      intact: true,
      sha256: sealed.sha256,
      signer: `${ORGANISATION} — cachet de démonstration`,
      demoCertificate: true,
      certificateFingerprint: certificate.fingerprint,
      subFilter: "ETSI.CAdES.detached",
    });
    if (result.intact) expect(result.signedAt?.getTime()).toBe(sealed.signedAt.getTime());
    expect(
      verifySealedPdf(sealed.bytes, { sha256: sealed.sha256, certificateFingerprints: [certificate.fingerprint] }).intact,
    ).toBe(true);
  });

  it("a validly signed file that is not the archived one, or not sealed by the organisation, is refused", () => {
    expect(verifySealedPdf(sealed.bytes, { sha256: "0".repeat(64) })).toMatchObject({
      intact: false,
      reason: expect.stringContaining("n'est pas celui qui a été archivé"),
    });
    expect(verifySealedPdf(sealed.bytes, { certificateFingerprints: ["ab".repeat(32)] })).toMatchObject({
      intact: false,
      reason: expect.stringContaining("pas été apposé avec le certificat de l'organisme"),
    });
  });

  it("one changed byte in the signed content breaks the seal for pdfsig and for our verifier", () => {
    const tampered = Buffer.from(sealed.bytes);
    const at = tampered.indexOf("/Title");
    expect(at).toBeGreaterThan(0);
    tampered[at + 12] ^= 0x01;
    const file = path.join(dir, "tampered.pdf");
    writeFileSync(file, tampered);
    const { out } = run("pdfsig", [file]);
    expect(out).not.toContain("Signature is Valid.");
    expect(out).toMatch(/Signature Validation: (Digest Mismatch|Signature is Invalid)/);
    const result = verifySealedPdf(tampered);
    expect(result.intact).toBe(false);
    if (!result.intact) expect(result.reason).toContain("modifié après le scellement");
  });

  it("bytes appended after sealing, a forged signature value or no seal at all are refused with a French reason", async () => {
    const appended = Buffer.concat([Buffer.from(sealed.bytes), Buffer.from("\n% ajout\n")]);
    expect(verifySealedPdf(appended)).toMatchObject({ intact: false, reason: expect.stringContaining("ne couvre pas tout le fichier") });

    // Change one hex digit of the RSA signature (the end of /Contents, before the zero padding).
    const forged = Buffer.from(sealed.bytes);
    const text = forged.toString("latin1");
    const contents = text.indexOf("/Contents <") + "/Contents <".length;
    const end = text.indexOf(">", contents);
    const lastSignificant = text.slice(contents, end).replace(/0+$/, "").length - 1 + contents;
    forged[lastSignificant - 4] = forged[lastSignificant - 4] === 0x61 ? 0x62 : 0x61;
    expect(verifySealedPdf(forged)).toMatchObject({ intact: false, reason: expect.stringContaining("falsifié") });

    const { doc } = await buildDocument(2);
    expect(verifySealedPdf(await savePdfA(doc))).toMatchObject({ intact: false, reason: expect.stringContaining("Aucun cachet") });
  });

  it("one hex digit changed anywhere in the seal's certificate is reported as a broken seal, never thrown", () => {
    const text = Buffer.from(sealed.bytes).toString("latin1");
    const contents = text.indexOf("/Contents <") + "/Contents <".length;
    // The embedded certificate (DER, hex in /Contents) starts with its own SEQUENCE after the SignedData header.
    const certificateHex = Buffer.from(certificate.certificates[0]!).toString("hex");
    const start = text.slice(contents, contents + 20_000).toLowerCase().indexOf(certificateHex) + contents;
    expect(start).toBeGreaterThan(contents);
    // Every seventh digit, and the unused-bits byte of the certificate's own signature (BIT STRING 03 82 xx xx 00),
    // which a decode-and-re-encode of the certificate used to reset unnoticed.
    const signatureBits = "2a864886f70d01010b0500038201"; // sha256WithRSAEncryption, NULL, BIT STRING of 2 length bytes
    const unusedBits = start + certificateHex.lastIndexOf(signatureBits) + signatureBits.length + 2;
    expect(certificateHex.slice(unusedBits - start, unusedBits - start + 2)).toBe("00");
    const digits = new Set([unusedBits, unusedBits + 1]);
    for (let at = start; at < start + certificateHex.length; at += 7) digits.add(at);
    for (const at of digits) {
      const forged = Buffer.from(sealed.bytes);
      forged[at] = forged[at] === 0x30 ? 0x31 : 0x30;
      const result = verifySealedPdf(forged);
      expect(result.intact, `hex digit ${at - start} of the certificate`).toBe(false);
    }
  });

  it("the JSON evidence extracts with pdfdetach byte for byte, as a PDF/A-3 associated file", async () => {
    expect(run("pdfdetach", ["-list", sealedFile]).out).toMatch(/1 embedded files\s+1: preuves\.json/);
    const out = path.join(dir, "extracted.json");
    execFileSync("pdfdetach", ["-save", "1", "-o", out, sealedFile]);
    expect(Buffer.from(readFileSync(out)).equals(Buffer.from(embedded))).toBe(true);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(EVIDENCE);

    const pdf = await PDFDocument.load(sealed.bytes);
    const af = pdf.catalog.lookup(PDFName.of("AF"), PDFArray);
    const spec = af.lookup(0, PDFDict);
    expect(spec.get(PDFName.of("AFRelationship"))).toBe(PDFName.of("Data"));
    const stream = spec.lookup(PDFName.of("EF"), PDFDict).lookup(PDFName.of("F")) as PDFRawStream;
    expect(stream).toBeInstanceOf(PDFRawStream);
    expect(stream.dict.get(PDFName.of("Subtype"))).toBe(PDFName.of("application/json"));
    expect(stream.dict.lookup(PDFName.of("Params"), PDFDict).get(PDFName.of("ModDate"))).toBeInstanceOf(PDFString);
  });

  it("declares PDF/A-3B in well-formed XMP that agrees with the Info dictionary, with an sRGB output intent and an ID", async () => {
    const xmp = run("pdfinfo", ["-meta", sealedFile]).out;
    expect(xmp).toContain("<pdfaid:part>3</pdfaid:part>");
    expect(xmp).toContain("<pdfaid:conformance>B</pdfaid:conformance>");
    expect(xmp).toContain("Procès-verbal de délibération — Jury du 12 mars 2027</rdf:li>");
    expect(xmp).toContain("<xmp:CreateDate>2027-03-12T17:30:00Z</xmp:CreateDate>");
    const xmpFile = path.join(dir, "xmp.xml");
    writeFileSync(xmpFile, xmp);
    expect(run("xmllint", ["--noout", xmpFile]).status).toBe(0);

    const info = run("pdfinfo", ["-isodates", sealedFile]).out;
    expect(info).toMatch(/Title:\s+Procès-verbal de délibération — Jury du 12 mars 2027/);
    expect(info).toMatch(/Author:\s+CPNE Métallurgie/);
    expect(info).toMatch(/CreationDate:\s+2027-03-12T17:30:00Z/);
    expect(info).toMatch(/Encrypted:\s+no/);

    const pdf = await PDFDocument.load(sealed.bytes);
    const intent = pdf.catalog.lookup(PDFName.of("OutputIntents"), PDFArray).lookup(0, PDFDict);
    expect(intent.get(PDFName.of("S"))).toBe(PDFName.of("GTS_PDFA1"));
    const profile = intent.lookup(PDFName.of("DestOutputProfile")) as PDFRawStream;
    expect(profile).toBeInstanceOf(PDFRawStream);
    expect(profile.dict.get(PDFName.of("N"))?.toString()).toBe("3");
    expect(pdf.context.trailerInfo.ID).toBeDefined();
    expect(Buffer.from(sealed.bytes.subarray(0, 8)).toString("latin1")).toBe("%PDF-1.7");
  });

  it("qpdf finds no structural error", () => {
    const { status, out } = run("qpdf", ["--check", sealedFile]);
    expect(out).toContain("No syntax or stream encoding errors found");
    expect(status).toBe(0);
  });

  it("pdftotext shows the French text, « page N / M » on every page and the certificate page", () => {
    const text = run("pdftotext", ["-layout", sealedFile, "-"]).out;
    expect(text).toContain(ACCENTS);
    for (let n = 1; n <= 5; n++) expect(text).toContain(`page ${n} / 5`);
    expect(text).toContain("Certificat de signature et de scellement");
    expect(text).toContain("Hélène Garçon — Présidente du jury");
    // Signing times as France writes them, as in the documents' own text: « 1er », « 18 h 20 », Paris time.
    expect(text).toMatch(/Signé le : 12 mars 2027 à 18[\s\u00a0]h[\s\u00a0]20\b/);
    expect(text).toMatch(/Signé le : 1er décembre 2026 à 9[\s\u00a0]h[\s\u00a0]05\b/);
    expect(text).not.toMatch(/\d{2}:\d{2}:\d{2}/);
    expect(text).toContain("Certificat de démonstration");
    expect(text).toContain("œ");
  });
});

describe("seal certificate", () => {
  it("the demo certificate is created once, private to the server, and reused", async () => {
    const bundle = path.join(dir, "seal", "demo-seal.pem");
    expect(statSync(bundle).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, "seal")).mode & 0o777).toBe(0o700);
    resetSealCertificateCache();
    const again = await loadSealCertificate({ organisation: "Autre organisme", dataDir: dir, env: {} });
    expect(again.fingerprint).toBe(certificate.fingerprint);
    expect(again.isDemoCertificate).toBe(true);
  });

  it("a PKCS#12 from QUORUM_SEAL_P12 seals instead, and a wrong password says so in French", async () => {
    const pem = readFileSync(path.join(dir, "seal", "demo-seal.pem"), "utf8");
    const key = forge.pki.privateKeyFromPem(pem);
    const cert = forge.pki.certificateFromPem(pem.slice(pem.indexOf("-----BEGIN CERTIFICATE-----")));
    const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], "secret", { algorithm: "3des" });
    const file = path.join(dir, "seal.p12");
    writeFileSync(file, Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary"));

    resetSealCertificateCache();
    const configured = await loadSealCertificate({
      organisation: ORGANISATION,
      dataDir: dir,
      env: { QUORUM_SEAL_P12: file, QUORUM_SEAL_P12_PASSWORD: "secret" },
    });
    expect(configured.isDemoCertificate).toBe(false);
    expect(configured.fingerprint).toBe(certificate.fingerprint);
    const { doc } = await buildDocument(2);
    const result = verifySealedPdf((await sealPdf(doc, { certificate: configured, reason: "Essai" })).bytes);
    expect(result.intact).toBe(true);

    resetSealCertificateCache();
    await expect(
      loadSealCertificate({ organisation: ORGANISATION, env: { QUORUM_SEAL_P12: file, QUORUM_SEAL_P12_PASSWORD: "faux" } }),
    ).rejects.toThrow("mot de passe (QUORUM_SEAL_P12_PASSWORD) incorrect");
    resetSealCertificateCache();
  });
});

describe("QR code", () => {
  it("is drawn module for module as the qrcode package encodes it, with its caption", async () => {
    const url = "https://quorum.example/verifier/k3Xq9-ZrT2p";
    const doc = await createPdfA({ title: "QR", author: ORGANISATION, createdAt: new Date() });
    const page = doc.pdf.addPage([200, 200]);
    drawQrCode(page, url, { x: 50, y: 50, size: 100, caption: "Vérifier ce document", font: doc.fonts.regular });
    const file = path.join(dir, "qr.pdf");
    writeFileSync(file, await savePdfA(doc));
    // Render at 144 dpi in grey (PGM: "P5 width height 255" then one byte per pixel), 2 pixels per point.
    execFileSync("pdftoppm", ["-gray", "-r", "144", "-singlefile", file, path.join(dir, "qr")]);
    const pgm = readFileSync(path.join(dir, "qr.pgm"));
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString("latin1", 0, 40))!;
    const [width] = [Number(header[1])];
    const pixels = pgm.subarray(header[0].length);
    const matrix = qrMatrix(url);
    const cell = 100 / matrix.length;
    matrix.forEach((row, r) =>
      row.forEach((dark, c) => {
        // Module centre in points from the top-left of the page, then in pixels.
        const px = Math.round((50 + (c + 0.5) * cell) * 2);
        const py = Math.round((200 - 150 + (r + 0.5) * cell) * 2);
        expect(pixels[py * width + px]! < 128, `module ${r},${c}`).toBe(dark);
      }),
    );
    expect(run("pdftotext", [file, "-"]).out).toContain("Vérifier ce document");
  });
});

describe("sRGB ICC profile", () => {
  it("is a well-formed ICC v2 display profile whose tags lie inside it", () => {
    const icc = Buffer.from(buildSrgbIccProfile());
    expect(icc.readUInt32BE(0)).toBe(icc.length);
    expect(icc.readUInt32BE(8)).toBe(0x02100000);
    expect(icc.toString("latin1", 12, 24)).toBe("mntrRGB XYZ ");
    expect(icc.toString("latin1", 36, 40)).toBe("acsp");
    const count = icc.readUInt32BE(128);
    const tags = new Map<string, string>();
    for (let i = 0; i < count; i++) {
      const entry = 132 + i * 12;
      const offset = icc.readUInt32BE(entry + 4);
      const size = icc.readUInt32BE(entry + 8);
      expect(offset % 4).toBe(0);
      expect(offset + size).toBeLessThanOrEqual(icc.length);
      tags.set(icc.toString("latin1", entry, entry + 4), icc.toString("latin1", offset, offset + 4));
    }
    expect(Object.fromEntries(tags)).toEqual({
      desc: "desc",
      cprt: "text",
      wtpt: "XYZ ",
      rXYZ: "XYZ ",
      gXYZ: "XYZ ",
      bXYZ: "XYZ ",
      rTRC: "curv",
      gTRC: "curv",
      bTRC: "curv",
    });
  });
});
