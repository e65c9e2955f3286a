import { describe, expect, it } from "vitest";
import { communeCodeError, countryCodeError, departmentOfCommune, parseBirthCode } from "~/domain/birthplace";

describe("INSEE birth codes", () => {
  it("accepts commune codes of metropolitan France, Corsica and overseas", () => {
    for (const code of ["75056", "01001", "69123", "2A004", "2b033", "97411", "97611", "98735"]) {
      expect(communeCodeError(code), code).toBeNull();
    }
    expect(departmentOfCommune("2A004")).toBe("2A");
    expect(departmentOfCommune("97411")).toBe("974");
    expect(parseBirthCode(" 2a 004 ")).toEqual({ ok: true, value: { kind: "commune", code: "2A004", department: "2A" } });
  });

  it("refuses malformed commune codes with a French message", () => {
    expect(communeCodeError("")).toBe("Indiquez le code INSEE de la commune de naissance.");
    expect(communeCodeError("7505")).toBe("Le code INSEE d'une commune compte 5 caractères (ex. 75056, 2A004, 97411).");
    expect(communeCodeError("20004")).toBe("En Corse, le code commence par 2A (Corse-du-Sud) ou 2B (Haute-Corse).");
    expect(communeCodeError("99109")).toBe("Ce code désigne un pays (99…) : indiquez-le comme pays de naissance.");
    expect(communeCodeError("00123")).toBe("Ce département n'existe pas (01 à 95, 2A, 2B, 971 à 976…).");
    expect(communeCodeError("96123")).toBe("Ce département n'existe pas (01 à 95, 2A, 2B, 971 à 976…).");
    expect(communeCodeError("97912")).toBe("Code d'outre-mer inconnu : il commence par 971 à 978 ou 984 à 988.");
    expect(communeCodeError("2C004")).toBe("Le code INSEE ne contient que des chiffres, ou 2A / 2B pour la Corse.");
    expect(communeCodeError("7A056")).toBe("Le code INSEE ne contient que des chiffres, ou 2A / 2B pour la Corse.");
  });

  it("accepts country codes 99xxx except France", () => {
    expect(countryCodeError("99109")).toBeNull();
    expect(parseBirthCode("99109")).toEqual({ ok: true, value: { kind: "country", code: "99109" } });
    expect(countryCodeError("99100")).toBe("99100 désigne la France : indiquez plutôt le code de la commune de naissance.");
    expect(countryCodeError("9910")).toBe(
      "Le code INSEE d'un pays compte 5 chiffres et commence par 99 (ex. 99109 pour l'Allemagne).",
    );
    expect(parseBirthCode("")).toEqual({ ok: false, message: "Indiquez le code INSEE de la commune ou du pays de naissance." });
    expect(parseBirthCode("9A109")).toMatchObject({ ok: false });
  });
});
