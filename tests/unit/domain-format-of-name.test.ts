/** « de » before a candidate's name in the minutes' « Documents examinés »: elided before a vowel. */
import { describe, expect, it } from "vitest";
import { ofName } from "~/domain/format";

describe("ofName", () => {
  it("elides before a vowel, accented or not, whatever its case", () => {
    expect(`Dossier ${ofName("Élodie Marie FAURE")}`).toBe("Dossier d'Élodie Marie FAURE");
    expect(ofName("anne DURAND")).toBe("d'anne DURAND");
    expect(ofName("Yves MARTIN")).toBe("d'Yves MARTIN");
    expect(ofName("Œdipe ROI")).toBe("d'Œdipe ROI");
  });
  it("keeps « de » before a consonant or an h", () => {
    expect(`Dossier ${ofName("Lucas Henri BONNET")}`).toBe("Dossier de Lucas Henri BONNET");
    expect(ofName("Hugo LEROY")).toBe("de Hugo LEROY");
    expect(ofName("Yasmine Nora MARTIN")).toBe("de Yasmine Nora MARTIN"); // a y before a vowel is a consonant
  });
});
