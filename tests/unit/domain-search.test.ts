import { describe, expect, it } from "vitest";
import { fileNameSlug, foldForSearch, searchKeyOf, searchTerms } from "~/domain/search";

describe("accent-insensitive search keys", () => {
  it("folds case, diacritics and ligatures", () => {
    expect(foldForSearch("Élodie Marie")).toBe("elodie marie");
    expect(foldForSearch("TRAORÉ")).toBe("traore");
    expect(foldForSearch("Œuvre d'Ægir")).toBe("oeuvre d aegir");
    expect(foldForSearch("Chloé-Anaïs  Ñuñez")).toBe("chloe anais nunez");
    expect(foldForSearch(null)).toBe("");
  });
  it("builds a key from several parts and splits a query into folded words", () => {
    expect(searchKeyOf("FAURE", null, "Élodie Marie")).toBe("faure elodie marie");
    expect(searchTerms("  élodie   FAURE ")).toEqual(["elodie", "faure"]);
    expect(searchKeyOf("FAURE", null, "Élodie").includes(searchTerms("elodie")[0])).toBe(true);
  });
});

describe("a name in a document's file name", () => {
  it("keeps every letter, ligatures and Ł/Ø included, as plain ASCII words joined by hyphens", () => {
    expect(fileNameSlug("DE LA FONTAINE D'ASCQ LŒUILLET-ÆBY GARÇON Élodie", "x")).toBe("de-la-fontaine-d-ascq-loeuillet-aeby-garcon-elodie");
    expect(fileNameSlug("WĄSIK Łukasz", "x")).toBe("wasik-lukasz");
    expect(fileNameSlug("ØYVIND-ĞÜL Zoe\u0308", "x")).toBe("oyvind-gul-zoe");
    expect(fileNameSlug("NGUYỄN Thị", "x")).toBe("nguyen-thi");
  });
  it("stays under 60 characters, cut between words, and falls back when nothing is left", () => {
    const slug = fileNameSlug(`${"MONTMORENCY-LAVAL ".repeat(10)}Anne`, "x");
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toMatch(/^montmorency-laval-.*-(montmorency|laval)$/);
    expect(fileNameSlug("A".repeat(100), "x")).toBe("a".repeat(60));
    expect(fileNameSlug("  ", "c123")).toBe("c123");
  });
});
