/**
 * The decision notice letter's layout (app/delivery/notice-pdf.server.ts): a parchemin's QR code in the letter's head,
 * so a letter of the demo's length stays on one page (its QR code sat alone on a second page), the letter's own code
 * (docs/decisions/0029) first; more records than the head holds follow the body.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { renderNoticePdf, type NoticePdfInput } from "~/delivery/notice-pdf.server";

const dir = mkdtempSync(path.join(tmpdir(), "quorum-notice-"));
beforeAll(() => {
  process.env.QUORUM_DATA_DIR = dir; // the demo seal certificate is created there
});

const record = (n: number) => ({ number: `CPNEF-2026-00000${n}`, verificationUrl: `https://quorum.example/verifier/code${n}abcdefghijklmnop` });
/** A letter as long as the demo's total delivery: its sections as app/domain/decision-notice.ts writes them. */
const letter = (records: NoticePdfInput["records"]): NoticePdfInput => ({
  organisation: "Commission paritaire nationale de l'emploi et de la formation",
  candidate: "Lucas Henri BONNET",
  recipient: ["Monsieur Lucas Henri BONNET", "12 rue des Tanneurs", "38000 Grenoble"],
  notifiedAt: new Date("2026-11-08T10:00:00Z"),
  records,
  notice: {
    subject: "Décision du jury",
    sections: [
      { heading: null, lines: ["Monsieur,", "Le jury paritaire réuni le 6 novembre 2026 a décidé de vous délivrer la certification « CQPM Opérateur(trice) régleur(se) sur machines-outils à commande numérique »."] },
      { heading: "Blocs de compétences acquis", lines: ["BC01 — Préparation et réglage d'une machine-outil à commande numérique", "BC02 — Production et contrôle en série"] },
      {
        heading: "Préconisations du jury",
        lines: [
          "Le jury encourage le titulaire à transmettre son expérience en tutorat, à préparer le certificat de tuteur en entreprise et à suivre le module de programmation paramétrée proposé par la branche dans les deux ans.",
        ],
      },
      { heading: "Vos documents", lines: records.map((r) => `Parchemin n° ${r.number} — vérifiable en ligne : ${r.verificationUrl}`) },
      {
        heading: "Voies de recours",
        lines: [
          "Vous pouvez contester cette décision par un recours écrit et motivé adressé au secrétariat de la certification, dans un délai de 60 jours à compter de la présente notification, soit au plus tard le 7 janvier 2027.",
          "Le recours est examiné par un jury ultérieur ; sa décision vous sera notifiée.",
        ],
      },
      {
        heading: null,
        lines: [
          "Fait le 8 novembre 2026.",
          "Le secrétariat de la certification, Commission paritaire nationale de l'emploi et de la formation (démonstration).",
        ],
      },
    ],
  },
});

async function render(records: NoticePdfInput["records"]) {
  const { pdf } = await renderNoticePdf(letter(records));
  const file = path.join(dir, `notice-${records.length}.pdf`);
  writeFileSync(file, pdf);
  const pages = (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
  const firstPage = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-layout", file, "-"], { encoding: "utf8" });
  return { pages, firstPage };
}

describe("the notice letter's QR codes", () => {
  it("prints a parchemin's QR code in the head: the letter stays on one page", async () => {
    const { pages, firstPage } = await render([record(1)]);
    expect(pages).toBe(1);
    expect(firstPage).toContain("Vérifier CPNEF-2026-000001");
  }, 60_000);

  it("prints the letter's own code first in the head, with its address, beside a parchemin's: still one page", async () => {
    const own = "https://quorum.example/verifier/abcdefghijklmnopqrstuvwxyz";
    const { pdf } = await renderNoticePdf({ ...letter([record(1)]), verificationUrl: own });
    const file = path.join(dir, "notice-own-code.pdf");
    writeFileSync(file, pdf);
    expect((await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount()).toBe(1);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    expect(text).toContain("Vérifier ce document");
    expect(text).toContain("Vérifier CPNEF-2026-000001");
    expect(text).toContain(own);
  }, 60_000);

  it("prints two in the head, and more after the body", async () => {
    expect((await render([record(1), record(2)])).pages).toBe(1);
    const three = await render([record(1), record(2), record(3)]);
    expect(three.pages).toBe(2);
  }, 60_000);
});

describe("the recipient block in the envelope's window", () => {
  it("keeps a long civil name and a five-line address inside the window, postcode and town included", async () => {
    const recipient = [
      "Madame Élodie Marie Anne-Sophie DE LA FONTAINE-SAINT-ÉTIENNE-MONTMORENCY-VILLENEUVE D'ASCQ LŒUILLET-ÆBY GARÇON",
      "Mme Marie-Thérèse O'Connor-Dupré",
      "Résidence Les Jardins du Parc, bât. B",
      "Escalier 4, appartement 1207",
      "14 avenue du Maréchal de Lattre",
      "69002 Lyon",
    ];
    const { pdf } = await renderNoticePdf({ ...letter([record(1)]), recipient });
    const file = path.join(dir, "notice-long-name.pdf");
    writeFileSync(file, pdf);
    // A DL envelope's window: from 110 mm from the left edge (312 pt), between 45 and 90 mm from the top (128–255 pt).
    const window = execFileSync("pdftotext", ["-f", "1", "-l", "1", "-x", "305", "-y", "128", "-W", "290", "-H", "127", file, "-"], { encoding: "utf8" });
    const shown = window.replace(/\s+/g, " ");
    for (const line of recipient.slice(1)) expect(shown).toContain(line);
    expect(shown).toContain("GARÇON");
  }, 60_000);
});

