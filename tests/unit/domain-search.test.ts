import { describe, expect, it } from "vitest";
import { foldForSearch, searchKeyOf, searchTerms } from "~/domain/search";

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
