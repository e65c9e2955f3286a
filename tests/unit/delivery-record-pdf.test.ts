/**
 * A delivery record as its reader sees it (pdftotext, page by page): a parchemin of twelve long blocs, a holder with
 * a 60-character hyphenated double surname, a long certification title. Every page after the first names the
 * document and its holder, so a page printed or read alone still says what it belongs to; nothing is lost between
 * pages; the seal covers the whole file (pdfsig).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderRecordPdf, type RecordForPdf } from "~/delivery/record-pdf.server";
import { resetSealCertificateCache } from "~/platform/pdf/seal-certificate.server";

const dir = mkdtempSync(path.join(tmpdir(), "quorum-record-pdf-"));
const birthName = "De La Fontaine-Saint-Étienne-Montmorency-Villeneuve d'Ascq";
const blocs = Array.from({ length: 12 }, (_, i) => ({
  code: `RNCP38512BC${String(i + 1).padStart(2, "0")}`,
  title: `Réaliser la maintenance préventive et corrective des équipements automatisés et robotisés, partie ${i + 1}`,
}));
const record: RecordForPdf = {
  kind: "PARCHEMIN",
  number: "CPNE-2026-000123",
  verificationCode: "abcdefghijklmnopqrstuvwxyz",
  holder: { birthName, usageName: null, givenNames: "Marie-Françoise Anne-Élisabeth", birthDate: "1990-05-01", birthPlace: "Lyon", email: null },
  certification: {
    kind: "CQPM",
    code: "RNCP38512",
    title: "Technicien(ne) en maintenance industrielle des systèmes automatisés, robotisés et connectés de production",
    nationalLevel: 5,
    eqfLevel: 5,
    nsfCodes: ["250"],
    decisionDate: "2025-03-01",
    certifierName: "CPNE de la Métallurgie",
    signatory: "Hélène Garçon",
  },
  blocs,
  missingBlocs: [],
  preconisations: null,
  validUntil: null,
  placeOfIssue: "Lyon",
  issuedAt: new Date("2026-12-01T09:00:00Z"),
  duplicateOf: null,
  credential: null,
} as RecordForPdf;
let file = "";

beforeAll(async () => {
  process.env.QUORUM_DATA_DIR = dir;
  resetSealCertificateCache();
  const sealed = await renderRecordPdf(record, { baseUrl: "https://quorum.example", organisationName: "CPNE de la Métallurgie" });
  file = path.join(dir, "parchemin.pdf");
  writeFileSync(file, sealed.bytes);
}, 60_000);

afterAll(() => {
  resetSealCertificateCache();
  rmSync(dir, { recursive: true, force: true });
});

const pageText = (page: number) =>
  execFileSync("pdftotext", ["-f", String(page), "-l", String(page), "-layout", file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");

describe("a parchemin over two pages", () => {
  it("names the document and its holder at the top of the second page, and keeps every bloc and mention", () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
    expect(pages).toBeGreaterThan(1);
    for (let page = 2; page <= pages; page++) {
      expect(pageText(page), `page ${page}`).toContain(
        `Parchemin n° CPNE-2026-000123 — Marie-Françoise Anne-Élisabeth ${birthName} — suite`,
      );
    }
    const all = Array.from({ length: pages }, (_, i) => pageText(i + 1)).join(" ");
    for (const bloc of blocs) expect(all).toContain(bloc.code);
    expect(all).toContain("Délivré le : 1er décembre 2026 à Lyon");
    expect(all).toContain("https://quorum.example/verifier/abcdefghijklmnopqrstuvwxyz");
  });

  it("is sealed as a whole (pdfsig)", () => {
    const out = spawnSync("pdfsig", [file], { encoding: "utf8" }).stdout;
    expect(out).toContain("Signature Validation: Signature is Valid.");
    expect(out).toContain("Total document signed");
  });
});

describe("the registration a record states", () => {
  const render = async (code: string, decisionDate: string | null) => {
    const sealed = await renderRecordPdf(
      { ...record, blocs: blocs.slice(0, 1), certification: { ...record.certification, code, decisionDate } } as RecordForPdf,
      { baseUrl: "https://quorum.example", organisationName: "CPNE de la Métallurgie" },
    );
    const out = path.join(dir, `${code.replace(/\W/g, "")}.pdf`);
    writeFileSync(out, sealed.bytes);
    return execFileSync("pdftotext", [out, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
  };

  it("names the Répertoire national for an RNCP code, the Répertoire spécifique for an RS code", async () => {
    expect(await render("RNCP38512", "2025-03-01")).toContain(
      "Enregistrement : RNCP38512, Répertoire national des certifications professionnelles, décision de France Compétences du 1er mars 2025",
    );
    expect(await render("RS5080", "2025-03-01")).toContain("Enregistrement : RS5080, Répertoire spécifique, décision de France Compétences");
  });

  it("claims no répertoire for a branch's own number (a CQPM's « MQ … »), and names a decision only when one was entered", async () => {
    const withDecision = await render("MQ 2017 10 69 0312", "2017-10-12");
    expect(withDecision).toContain(
      "Code de la certification : MQ 2017 10 69 0312 (numéro attribué par la branche professionnelle), décision de France Compétences du 12 octobre 2017",
    );
    expect(withDecision).not.toContain("Répertoire");
    const without = await render("MQ 2017 10 69 0312", null);
    expect(without).toContain("Code de la certification : MQ 2017 10 69 0312 (numéro attribué par la branche professionnelle)");
    expect(without).not.toContain("France Compétences");
    expect(without).not.toContain("Répertoire");
  });

  it("says who issued and sealed it when the organisation runs another certifier's certification, and nothing when it is the certifier", async () => {
    const render = async (organisationName: string, kind: "PARCHEMIN" | "ATTESTATION") => {
      const sealed = await renderRecordPdf({ ...record, kind, blocs: blocs.slice(0, 1) } as RecordForPdf, { baseUrl: "https://quorum.example", organisationName });
      const out = path.join(dir, `pour-le-compte-${kind}.pdf`);
      writeFileSync(out, sealed.bytes);
      return execFileSync("pdftotext", [out, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    };
    const parchemin = await render("CPNEF de démonstration", "PARCHEMIN");
    expect(parchemin).toContain("Organisme certificateur : CPNE de la Métallurgie");
    expect(parchemin).toContain("Délivré par : CPNEF de démonstration, pour le compte de l'organisme certificateur");
    expect(await render("CPNEF de démonstration", "ATTESTATION")).toContain("Délivrée par : CPNEF de démonstration, pour le compte");
    expect(await render("cpne de la  metallurgie", "PARCHEMIN")).not.toContain("pour le compte");
  });

  it("states the day of issue alone when no place of issue was entered, with no dash in its stead", async () => {
    const sealed = await renderRecordPdf({ ...record, blocs: blocs.slice(0, 1), placeOfIssue: null } as RecordForPdf, {
      baseUrl: "https://quorum.example",
      organisationName: "CPNE de la Métallurgie",
    });
    const out = path.join(dir, "sans-lieu.pdf");
    writeFileSync(out, sealed.bytes);
    const text = execFileSync("pdftotext", [out, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toContain("Délivré le : 1er décembre 2026 ");
    expect(text).not.toMatch(/Délivré le : 1er décembre 2026 à/);
  });
});

describe("a holder's name stored with a character the fonts lack (before the form refused it)", () => {
  it("prints a visible « � » in its place, in the text layer too, and reports the character to the render job", async () => {
    const sealed = await renderRecordPdf(
      { ...record, blocs: blocs.slice(0, 1), holder: { ...record.holder, givenNames: "Ｊeanne Zoë" } } as RecordForPdf,
      { baseUrl: "https://quorum.example", organisationName: "CPNE de la Métallurgie" },
    );
    const out = path.join(dir, "missing-glyph.pdf");
    writeFileSync(out, sealed.bytes);
    const text = execFileSync("pdftotext", [out, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    expect(text).toContain(`Titulaire : \uFFFDeanne Zoë ${birthName}`);
    expect(sealed.replacedCharacters).toEqual(["U+FF2A"]);
  });
});
