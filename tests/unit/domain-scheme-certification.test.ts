import { describe, expect, it } from "vitest";
import {
  blocCodeError,
  certificationCodeError,
  certificationCodeKind,
  competenceCodeError,
  declaredCertificationCode,
  registrationOf,
  isModality,
  normaliseCertificationCode,
  parseNsfCodes,
  registrationCodeError,
} from "~/domain/certification";

describe("certification codes", () => {
  it("normalises case and spaces of RNCP and RS codes, keeps a branch number's spaces", () => {
    expect(normaliseCertificationCode(" rncp 38544 ")).toBe("RNCP38544");
    expect(normaliseCertificationCode("rs5080")).toBe("RS5080");
    expect(normaliseCertificationCode("mq  2006 05 69  0262")).toBe("MQ 2006 05 69 0262");
  });

  it.each([
    ["RNCP38544", "RNCP"],
    ["RNCP123", "RNCP"],
    ["RNCP12345", "RNCP"],
    ["RS5080", "RS"],
    ["RS1", "RS"],
    ["MQ 2006 05 69 0262", "BRANCH"],
    ["CQP-2019-07", "BRANCH"],
    ["RNCP12", null],
    ["RNCP123456", null],
    ["RS", null],
    ["ABC", null],
    ["", null],
  ])("%s is of kind %s", (code, kind) => {
    expect(certificationCodeKind(code)).toBe(kind);
  });

  it.each([
    ["CQP", "RNCP38544"],
    ["CQPM", "RNCP37870"],
    ["CQPM", "MQ 2006 05 69 0262"],
    ["CQPI", "CQPI-2020-11"],
    ["CCPM", "RS5513"],
    ["CLEA", "RS5080"],
    ["OTHER", "RNCP999"],
  ] as const)("accepts %s %s", (kind, code) => {
    expect(certificationCodeError(kind, code)).toBeNull();
  });

  it.each([
    ["CQP", "", /Saisissez le code/],
    ["CQP", "RNCP12", /RNCP » suivi de 3 à 5 chiffres/],
    ["CQP", "RNCP123456", /RNCP » suivi de 3 à 5 chiffres/],
    ["CQP", "RNCP38544X", /RNCP » suivi de 3 à 5 chiffres/],
    ["CQP", "RS", /RS » suivi de chiffres/],
    ["CQP", "RS12A", /RS » suivi de chiffres/],
    ["CLEA", "RNCP38544", /CléA est enregistrée au répertoire spécifique/],
    ["CLEA", "CLEA-2018", /CléA est enregistrée au répertoire spécifique/],
    ["CQPM", "ABC", /Code invalide/],
    ["CQPM", "abc 12", /Code invalide/],
    // A code that looks right: the invisible character is named and located (« sans autre caractère » before).
    ["CQP", "RNCP38544\u200B", /^Le code contient un caractère invisible \(espace sans chasse, U\+200B\) après « RNCP38544 » : retapez-le\.$/],
    ["CQPM", "MQ 2006\u2060 05 69 0262", /^Le code contient un caractère invisible \(gluon de mots, U\+2060\) après « MQ 2006 » : retapez-le\.$/],
  ] as const)("refuses %s « %s » with a French reason", (kind, code, reason) => {
    expect(certificationCodeError(kind, code)).toMatch(reason);
  });
});

describe("registration code of a branch certification (RNCP or RS, for the declaration of its holders)", () => {
  it("accepts RNCP + 3 to 5 digits or RS + digits, refuses anything else in French, naming a hidden character", () => {
    expect(registrationCodeError("RNCP38123")).toBeNull();
    expect(registrationCodeError("RS5080")).toBeNull();
    expect(registrationCodeError("RNCP12A")).toMatch(/RNCP » suivi de 3 à 5 chiffres/);
    expect(registrationCodeError("RS12A")).toMatch(/RS » suivi de chiffres/);
    expect(registrationCodeError("MQ 2017 10 69 0312")).toMatch(/^Code d'enregistrement invalide : saisissez le code RNCP/);
    expect(registrationCodeError("RNCP38123\u200B")).toMatch(/^Le code d'enregistrement contient un caractère invisible \(espace sans chasse, U\+200B\) après « RNCP38123 »/);
  });

  it("declares under the code when it is RNCP or RS, else under the registration code, else the branch number as it stands", () => {
    expect(declaredCertificationCode("RNCP38544", "RS5080")).toBe("RNCP38544");
    expect(declaredCertificationCode("MQ 2017 10 69 0312", "RNCP38123")).toBe("RNCP38123");
    expect(declaredCertificationCode("MQ 2017 10 69 0312", null)).toBe("MQ 2017 10 69 0312");
  });

  it("names the registration an export carries: the declared code when RNCP or RS, nothing for a branch number alone", () => {
    expect(registrationOf(declaredCertificationCode("RNCP38544", null))).toBe("RNCP38544");
    expect(registrationOf(declaredCertificationCode("RS5080", null))).toBe("RS5080");
    expect(registrationOf(declaredCertificationCode("MQ 2017 10 69 0312", "RNCP38123"))).toBe("RNCP38123");
    expect(registrationOf(declaredCertificationCode("MQ 2017 10 69 0312", null))).toBeNull();
    expect(registrationOf(declaredCertificationCode("RS-2019-07", null))).toBeNull();
  });
});

describe("bloc codes", () => {
  it("requires <RNCP code>BCnn for an RNCP certification", () => {
    expect(blocCodeError("RNCP38544", "RNCP38544BC01")).toBeNull();
    expect(blocCodeError("RNCP38544", "RNCP38544BC1")).toMatch(/attendu RNCP38544BC suivi de 2 chiffres/);
    expect(blocCodeError("RNCP38544", "BC01")).toMatch(/attendu RNCP38544BC/);
    expect(blocCodeError("RNCP38544", "RNCP12345BC01")).toMatch(/autre certification/);
    expect(blocCodeError("RNCP38544", "")).toBe("code obligatoire");
    expect(blocCodeError("RNCP38544", "RNCP38544BC01\u00AD")).toBe(
      "le code contient un caractère invisible (trait d'union conditionnel, U+00AD) après « RNCP38544BC01 » : retapez-le",
    );
  });

  it("takes a short local code for other certifications, never an RNCP bloc code", () => {
    expect(blocCodeError("RS5080", "D1")).toBeNull();
    expect(blocCodeError("MQ 2006 05 69 0262", "BC01")).toBeNull();
    expect(blocCodeError("RS5080", "RNCP38544BC01")).toMatch(/que pour une certification RNCP/);
    expect(blocCodeError("RS5080", "d 1")).toMatch(/code de bloc invalide/);
    expect(blocCodeError("RS5080", "X".repeat(33))).toMatch(/32 caractères/);
  });
});

describe("competence codes, NSF codes, modalities", () => {
  it("checks competence codes", () => {
    expect(competenceCodeError("C1")).toBeNull();
    expect(competenceCodeError("C1.2")).toBeNull();
    expect(competenceCodeError("")).toBe("code obligatoire");
    expect(competenceCodeError("C 1")).toMatch(/code de compétence invalide/);
  });

  it("splits and checks NSF codes", () => {
    expect(parseNsfCodes("333t, 221 ;  310M")).toEqual({ codes: ["333t", "221", "310m"], errors: [] });
    expect(parseNsfCodes("")).toEqual({ codes: [], errors: [] });
    expect(parseNsfCodes("333t, 333t")).toEqual({ codes: ["333t"], errors: [] });
    const bad = parseNsfCodes("33, 333tt, abc");
    expect(bad.codes).toEqual([]);
    expect(bad.errors).toHaveLength(3);
    expect(bad.errors[0]).toBe("« 33 » n'est pas un code NSF : trois chiffres suivis éventuellement d'une lettre (ex. 333t).");
  });

  it("knows the modalities", () => {
    expect(isModality("GRILLE_TUTEUR")).toBe(true);
    expect(isModality("Grille tuteur")).toBe(false);
    expect(isModality(3)).toBe(false);
  });
});
