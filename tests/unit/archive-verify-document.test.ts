import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPdfA } from "~/platform/pdf/pdfa.server";
import { TextFlow } from "~/platform/pdf/layout.server";
import { sealPdf } from "~/platform/pdf/seal.server";
import { loadSealCertificate, resetSealCertificateCache } from "~/platform/pdf/seal-certificate.server";
import { verifyArchivedDocument, type SealChecker } from "~/archive/documents/verify-archived-document.server";
import { candidateFormSchema } from "~/domain/identity";
import { retentionUntil } from "~/archive/documents/archive-kinds";

const pdf = Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe("verifyArchivedDocument", () => {
  it("says intact when the stored bytes hash to the stored SHA-256", async () => {
    const result = await verifyArchivedDocument({ content: pdf, sha256: sha(pdf) });
    expect(result).toMatchObject({ intact: true, problems: [], seal: { state: "absent" } });
  });
  it("says what is wrong when one byte changed", async () => {
    const altered = Buffer.concat([pdf, Buffer.from("%")]);
    const result = await verifyArchivedDocument({ content: altered, sha256: sha(pdf) });
    expect(result.intact).toBe(false);
    expect(result.computedSha256).toBe(sha(altered));
    expect(result.problems.join(" ")).toContain("le fichier a été modifié");
  });
  it("reports a broken seal through the pluggable checker", async () => {
    const broken: SealChecker = async () => ({ state: "invalid", problems: ["signature ne couvre pas tout le fichier"] });
    const result = await verifyArchivedDocument({ content: pdf, sha256: sha(pdf) }, broken);
    expect(result.intact).toBe(false);
    expect(result.problems).toEqual(["signature ne couvre pas tout le fichier"]);
  });
  it("verifies a real seal with app/platform/pdf, and refuses it once a byte inside the sealed range changed", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "quorum-archive-seal-"));
    try {
      resetSealCertificateCache();
      const certificate = await loadSealCertificate({ organisation: "CPNE Essai", dataDir: dir, env: {} });
      const doc = await createPdfA({ title: "Procès-verbal", author: "CPNE Essai", subject: "Essai", keywords: [], createdAt: new Date("2026-12-02T10:00:00Z") });
      new TextFlow(doc).text("Procès-verbal de délibération");
      const sealed = (await sealPdf(doc, { certificate, reason: "Essai" })).bytes;
      const ok = await verifyArchivedDocument({ content: sealed, sha256: sha(sealed) });
      expect(ok).toMatchObject({ intact: true, seal: { state: "valid", demoCertificate: true } });
      // The same bytes with one changed inside the signed range, stored hash updated: the seal alone catches it.
      const forged = Buffer.from(sealed);
      const at = forged.indexOf("/Producer");
      forged[at + 1] = forged[at + 1] === 0x50 ? 0x51 : 0x50;
      const broken = await verifyArchivedDocument({ content: forged, sha256: sha(forged) });
      expect(broken.intact).toBe(false);
      expect(broken.seal.state).toBe("invalid");
      expect(broken.problems.join(" ")).toContain("modifié après le scellement");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
  it("keeps a document its retention period from its creation", () => {
    expect(retentionUntil(new Date("2026-12-02T10:00:00Z"), 50).toISOString()).toBe("2076-12-02T10:00:00.000Z");
  });
});

describe("the candidate's INSEE birth code on the form", () => {
  const schema = candidateFormSchema("2026-12-02");
  const base = { birthName: "FAURE", givenNames: "Élodie" };
  it("accepts a commune code or a country code", () => {
    expect(schema.safeParse({ ...base, birthCode: "38185" }).success).toBe(true);
    expect(schema.safeParse({ ...base, birthCode: "2a004" }).success).toBe(true);
    expect(schema.safeParse({ ...base, birthCode: "99134", birthCountry: "Espagne" }).success).toBe(true);
    // A country's code alone names no place of birth: the declaration needs the country (fix/deskdel, 825340a).
    expect(schema.safeParse({ ...base, birthCode: "99134" }).error?.issues[0].message).toContain("indiquez aussi le pays de naissance");
  });
  it("refuses an impossible code with a French message", () => {
    const result = schema.safeParse({ ...base, birthCode: "20004" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toContain("Corse");
    expect(schema.safeParse({ ...base, birthCode: "99100" }).error?.issues[0].message).toContain("France");
  });
});
