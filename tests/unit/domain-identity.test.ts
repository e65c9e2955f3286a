import { describe, expect, it } from "vitest";
import {
  ageOn,
  birthDateError,
  candidateDataFromForm,
  candidateFormDefaults,
  candidateFormSchema,
  candidateName,
  formatBirthPlace,
  formatDateFr,
  identityGaps,
  identityMatchKey,
  isDepartmentCode,
  isoDateInParis,
  normaliseFamilyName,
  normaliseGivenNames,
  parseBirthPlace,
  parseIsoDate,
  pastDateError,
  toIsoDate,
} from "~/domain/identity";

const TODAY = "2025-06-15";

describe("dates", () => {
  it("parses real calendar dates only", () => {
    expect(parseIsoDate("1994-03-12")?.toISOString()).toBe("1994-03-12T00:00:00.000Z");
    expect(parseIsoDate("2024-02-29")?.toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(parseIsoDate("2023-02-29")).toBeNull();
    expect(parseIsoDate("2023-13-01")).toBeNull();
    expect(parseIsoDate("12/03/1994")).toBeNull();
    expect(parseIsoDate("")).toBeNull();
  });

  it("formats and round-trips date-only values", () => {
    expect(toIsoDate(new Date("1994-03-12T00:00:00Z"))).toBe("1994-03-12");
    expect(toIsoDate("1994-03-12T00:00:00.000Z")).toBe("1994-03-12");
    expect(formatDateFr(new Date("1994-03-12T00:00:00Z"))).toBe("12/03/1994");
    expect(formatDateFr("2026-12-07T23:59:59.999Z")).toBe("07/12/2026"); // a timestamp: its UTC day
  });

  it("writes a date as Intl's French format does, day by day over decades and for what Intl alone writes", () => {
    const intl = new Intl.DateTimeFormat("fr-FR", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });
    for (let t = Date.UTC(1899, 11, 25); t <= Date.UTC(2101, 0, 5); t += 86_400_000 + 3_600_000 * (t % 7)) {
      expect(formatDateFr(new Date(t))).toBe(intl.format(new Date(t)));
    }
    expect(formatDateFr(new Date(Date.UTC(999, 0, 1)))).toBe(intl.format(new Date(Date.UTC(999, 0, 1))));
    expect(() => formatDateFr("pas une date")).toThrow(RangeError);
  });

  it("gives today's date in France, not in UTC", () => {
    expect(isoDateInParis(new Date("2025-06-14T22:30:00Z"))).toBe("2025-06-15"); // 00:30 in Paris (summer)
    expect(isoDateInParis(new Date("2025-01-14T23:30:00Z"))).toBe("2025-01-15"); // 00:30 in Paris (winter)
    expect(isoDateInParis(new Date("2025-01-14T22:30:00Z"))).toBe("2025-01-14");
  });

  it("counts full years of age", () => {
    expect(ageOn("2000-06-15", TODAY)).toBe(25);
    expect(ageOn("2000-06-16", TODAY)).toBe(24);
    expect(ageOn("2000-07-01", TODAY)).toBe(24);
    expect(ageOn("2000-05-31", TODAY)).toBe(25);
  });

  it.each([
    ["1994-03-12", null],
    ["2011-06-15", null], // exactly 14
    ["2025-06-16", "La date de naissance est dans le futur."],
    ["2030-01-01", "La date de naissance est dans le futur."],
    ["1899-12-31", "La date de naissance est antérieure à 1900 : vérifiez-la."],
    ["2011-06-16", "La personne aurait moins de 14 ans : vérifiez la date de naissance."],
    ["1994-02-30", "Date de naissance invalide (format attendu : JJ/MM/AAAA)."],
  ])("birth date %s → %s", (value, expected) => {
    expect(birthDateError(value, TODAY)).toBe(expected);
  });

  it("checks past event dates", () => {
    expect(pastDateError("2025-06-15", TODAY, "Date de l'avis")).toBeNull();
    expect(pastDateError("2025-06-16", TODAY, "Date de l'avis")).toBe("Date de l'avis : la date est dans le futur.");
    expect(pastDateError("1999-12-31", TODAY, "Date de l'avis")).toMatch(/antérieure à 2000/);
    expect(pastDateError("n'importe", TODAY, "Date de l'avis")).toBe("Date de l'avis : date invalide.");
  });
});

describe("names and places", () => {
  it("normalises family names to capitals and given names to single spaces", () => {
    expect(normaliseFamilyName("  de la   Fontaine ")).toBe("DE LA FONTAINE");
    expect(normaliseFamilyName("N’Diaye")).toBe("N'DIAYE");
    expect(normaliseFamilyName("Éloïse")).toBe("ÉLOÏSE");
    expect(normaliseGivenNames("Léa,  Marie,Jeanne")).toBe("Léa Marie Jeanne");
  });

  it.each(["01", "13", "19", "2A", "2b", "21", "69", "95", "971", "974", "976", "988"])("accepts département %s", (code) => {
    expect(isDepartmentCode(code)).toBe(true);
  });

  it.each(["00", "20", "96", "99", "970", "979", "100", "A1", "", "6"])("refuses département %s", (code) => {
    expect(isDepartmentCode(code)).toBe(false);
  });

  it("composes and splits a French birth place", () => {
    expect(formatBirthPlace(" Saint-Denis ", "974")).toBe("Saint-Denis (974)");
    expect(formatBirthPlace("Ajaccio", "2a")).toBe("Ajaccio (2A)");
    expect(parseBirthPlace("Lyon (69)")).toEqual({ commune: "Lyon", department: "69" });
    expect(parseBirthPlace("Aix-en-Provence(13)")).toEqual({ commune: "Aix-en-Provence", department: "13" });
    expect(parseBirthPlace("Lyon")).toEqual({ commune: "Lyon", department: "" });
    expect(parseBirthPlace(null)).toEqual({ commune: "", department: "" });
  });

  it("names a candidate with all given names and the usage name first", () => {
    expect(candidateName({ birthName: "DURAND", givenNames: "Léa Marie" })).toBe("Léa Marie DURAND");
    expect(candidateName({ birthName: "BENALI", usageName: "MARTIN", givenNames: "Yasmine", sex: "F" })).toBe(
      "Yasmine MARTIN (née BENALI)",
    );
    expect(candidateName({ birthName: "A", usageName: "B", givenNames: "Paul", sex: "M" })).toBe("Paul B (né A)");
    expect(candidateName({ birthName: "A", usageName: "A", givenNames: "Paul" })).toBe("Paul A");
  });
});

describe("identity gaps for the Caisse des Dépôts", () => {
  const complete = {
    birthName: "DURAND",
    givenNames: "Léa Marie",
    sex: "F",
    birthDate: new Date("1994-03-12T00:00:00Z"),
    birthPlace: "Lyon (69)",
    birthCountry: null,
  };

  it("finds nothing missing in a complete identity, born in France or abroad", () => {
    expect(identityGaps(complete)).toEqual([]);
    expect(identityGaps({ ...complete, birthPlace: null, birthCountry: "Espagne" })).toEqual([]);
  });

  it("lists every missing item in form order", () => {
    expect(
      identityGaps({ birthName: " ", givenNames: "", sex: null, birthDate: null, birthPlace: null, birthCountry: null }),
    ).toEqual(["birthName", "givenNames", "sex", "birthDate", "birthPlace"]);
  });

  it("refuses an unknown sex, a commune without département, and France given as a country", () => {
    expect(identityGaps({ ...complete, sex: "X" })).toEqual(["sex"]);
    expect(identityGaps({ ...complete, birthPlace: "Lyon" })).toEqual(["birthPlace"]);
    expect(identityGaps({ ...complete, birthPlace: null, birthCountry: "France" })).toEqual(["birthPlace"]);
  });
});

describe("candidate form", () => {
  const schema = candidateFormSchema(TODAY);
  const valid = {
    birthName: "Durand",
    givenNames: "Léa Marie",
    sex: "F",
    birthDate: "1994-03-12",
    birthCommune: "Lyon",
    birthDepartment: "69",
  };
  const errorsOf = (input: Record<string, unknown>) => {
    const result = schema.safeParse(input);
    return result.success ? {} : result.error.flatten().fieldErrors;
  };

  it("accepts a valid identity, and a minimal one (names only)", () => {
    expect(schema.safeParse(valid).success).toBe(true);
    expect(schema.safeParse({ birthName: "Durand", givenNames: "Léa" }).success).toBe(true);
    expect(schema.safeParse({ ...valid, birthCommune: undefined, birthDepartment: undefined, birthCountry: "Maroc" }).success).toBe(true);
  });

  it("requires the birth name and the given names, in French", () => {
    expect(errorsOf({})).toMatchObject({
      birthName: ["Saisissez le nom de naissance."],
      givenNames: ["Saisissez tous les prénoms, dans l'ordre de l'état civil."],
    });
  });

  it("refuses at the field a name longer than the Caisse des Dépôts' declaration takes (60 characters)", () => {
    const sixty = "A".repeat(59) + "\u00c9";
    expect(errorsOf({ ...valid, birthName: sixty, usageName: sixty, givenNames: `Léa ${sixty}` })).toEqual({});
    // Decomposed accents count once, as the declaration writes them composed.
    expect(errorsOf({ ...valid, birthName: "A".repeat(59) + "E\u0301" })).toEqual({});
    expect(errorsOf({ ...valid, birthName: `${sixty}Z` }).birthName).toEqual([
      "Nom de naissance : 60 caractères au plus (limite de la déclaration à la Caisse des Dépôts).",
    ]);
    expect(errorsOf({ ...valid, usageName: `${sixty}Z` }).usageName?.[0]).toMatch(/^Nom d'usage : 60 caractères au plus/);
    expect(errorsOf({ ...valid, givenNames: `Léa ${sixty}Z` }).givenNames).toEqual([
      "Prénoms : 60 caractères au plus par prénom (limite de la déclaration à la Caisse des Dépôts).",
    ]);
  });

  it("refuses a birth date in the future at the field", () => {
    expect(errorsOf({ ...valid, birthDate: "2030-01-01" }).birthDate).toEqual(["La date de naissance est dans le futur."]);
  });

  it("refuses digits in names and an invalid sex", () => {
    expect(errorsOf({ ...valid, birthName: "Dur4nd" }).birthName?.[0]).toMatch(/^Nom de naissance : lettres/);
    expect(errorsOf({ ...valid, givenNames: "Léa 2" }).givenNames?.[0]).toMatch(/^Prénoms : lettres/);
    expect(errorsOf({ ...valid, sex: "X" }).sex).toEqual(["Choisissez F ou M."]);
  });

  it("takes names in the Latin alphabet, as civil status and the sealed records write them, accents and all", () => {
    for (const name of ["Nguyễn", "Ødegård", "Żółć", "Çelik", "N'Diaye", "Saint-Exupéry", "Łukasz", "Ǆuro", "Müller"]) {
      expect(errorsOf({ ...valid, birthName: name, givenNames: name }), name).toEqual({});
    }
    // Decomposed accents (e + combining acute), as some keyboards and copies send them.
    expect(errorsOf({ ...valid, givenNames: "Le\u0301a" })).toEqual({});
    for (const name of ["王", "小明", "سارة", "Дмитрий", "Ελένη", "Léa王"]) {
      expect(errorsOf({ ...valid, birthName: name }).birthName?.[0], name).toMatch(/^Nom de naissance : lettres de l'alphabet latin/);
      expect(errorsOf({ ...valid, usageName: name }).usageName?.[0], name).toMatch(/^Nom d'usage : lettres de l'alphabet latin/);
      expect(errorsOf({ ...valid, givenNames: `Léa ${name}` }).givenNames?.[0], name).toMatch(/^Prénoms : lettres de l'alphabet latin/);
    }
  });

  it("names the invisible character that makes a name that reads right refused, and where it is", () => {
    expect(errorsOf({ ...valid, birthName: "DU\u200BRAND" }).birthName).toEqual([
      "Nom de naissance : lettres de l'alphabet latin (accentuées ou non), espaces, tirets et apostrophes uniquement, comme à l'état civil. Trouvé : caractère invisible (espace sans chasse, U+200B) après « DU ».",
    ]);
    expect(errorsOf({ ...valid, givenNames: "Léa Marie\u00AD" }).givenNames?.[0]).toMatch(/ Trouvé : caractère invisible \(trait d'union conditionnel, U\+00AD\) après « Léa Marie »\.$/);
    // A name refused for a visible reason says the rule alone.
    expect(errorsOf({ ...valid, birthName: "王" }).birthName?.[0]).not.toContain("Trouvé");
  });

  it("refuses in a name a Latin letter the parchemin's font lacks (full-width, rare extensions), at the field", () => {
    for (const name of ["ＤＵＰＯＮＴ", "Ỽan", "Ꞔa"]) {
      expect(errorsOf({ ...valid, birthName: name }).birthName?.[0], name).toMatch(/^Nom de naissance : le caractère « .+ » \(U\+[0-9A-F]+\) ne peut pas figurer dans les documents signés/);
      expect(errorsOf({ ...valid, usageName: name }).usageName?.[0], name).toMatch(/^Nom d'usage : le caractère/);
      expect(errorsOf({ ...valid, givenNames: `Léa ${name}` }).givenNames?.[0], name).toMatch(/^Prénoms : le caractère/);
    }
  });

  it("stores decomposed accents composed, as civil status and the declaration write them", () => {
    const form = schema.parse({ ...valid, birthName: "Dupre\u0301", givenNames: "Zoe\u0308  Le\u0301a", birthCommune: "Saint-E\u0301tienne" });
    const stored = candidateDataFromForm(form);
    expect(stored.birthName).toBe("DUPR\u00c9");
    expect(stored.givenNames).toBe("Zo\u00eb L\u00e9a");
    expect(stored.birthPlace).toBe("Saint-\u00c9tienne (69)");
  });

  it("refuses in a place of birth a character the parchemin cannot print", () => {
    expect(errorsOf({ ...valid, birthCommune: "Lyon 🏙" }).birthCommune?.[0]).toMatch(/^Le caractère « 🏙 » \(U\+1F3D9\) ne peut pas figurer dans les documents signés/);
    expect(errorsOf({ ...valid, birthCommune: undefined, birthDepartment: undefined, birthCountry: "日本" }).birthCountry?.[0]).toMatch(
      /ne peut pas figurer dans les documents signés/,
    );
    expect(errorsOf({ ...valid, birthCommune: "Saint-Étienne-du-Rouvray" })).toEqual({});
  });

  it("wants either a French commune with its département or a foreign country, not both", () => {
    expect(errorsOf({ ...valid, birthCountry: "Belgique" }).birthCountry?.[0]).toMatch(/pas les deux/);
    expect(errorsOf({ ...valid, birthCommune: undefined, birthDepartment: undefined, birthCountry: "France" }).birthCountry?.[0]).toMatch(
      /commune et le département/,
    );
    expect(errorsOf({ ...valid, birthDepartment: undefined }).birthDepartment).toEqual([
      "Indiquez le département de la commune de naissance.",
    ]);
    expect(errorsOf({ ...valid, birthCommune: undefined }).birthCommune).toEqual(["Indiquez la commune de naissance."]);
    expect(errorsOf({ ...valid, birthDepartment: "20" }).birthDepartment?.[0]).toMatch(/^Département inconnu/);
  });

  it("refuses an INSEE birth code that contradicts the birth place, at the code's field", () => {
    const codeErrors = (input: Record<string, unknown>) => errorsOf({ ...valid, ...input }).birthCode;
    // Lyon (69) with Germany's code, with Marseille's; Morocco with Paris's.
    expect(codeErrors({ birthCode: "99109" })).toEqual([
      "Ce code désigne un pays (99…), or la naissance est en France : indiquez le code INSEE de la commune de naissance.",
    ]);
    expect(codeErrors({ birthCode: "13055" })).toEqual([
      "Ce code désigne une commune du département 13, pas du 69 : vérifiez le code INSEE ou le département.",
    ]);
    expect(codeErrors({ birthCommune: undefined, birthDepartment: undefined, birthCountry: "Maroc", birthCode: "75056" })).toEqual([
      "Ce code désigne une commune française, or la naissance est à l'étranger : indiquez le code INSEE du pays (99…, ex. 99109 pour l'Allemagne).",
    ]);
    // Agreeing codes: Lyon, Ajaccio (2A), Saint-Denis de La Réunion (974), Morocco; a code alone (the place completed later).
    expect(codeErrors({ birthCode: "69123" })).toBeUndefined();
    expect(codeErrors({ birthCommune: "Ajaccio", birthDepartment: "2a", birthCode: "2A004" })).toBeUndefined();
    expect(codeErrors({ birthCommune: "Saint-Denis", birthDepartment: "974", birthCode: "97411" })).toBeUndefined();
    expect(codeErrors({ birthCommune: "Bastia", birthDepartment: "2B", birthCode: "2A004" })?.[0]).toMatch(/département 2A, pas du 2B/);
    expect(codeErrors({ birthCommune: "Saint-Denis", birthDepartment: "974", birthCode: "97105" })?.[0]).toMatch(/département 971, pas du 974/);
    expect(codeErrors({ birthCommune: undefined, birthDepartment: undefined, birthCountry: "Maroc", birthCode: "99350" })).toBeUndefined();
    expect(errorsOf({ birthName: "Durand", givenNames: "Léa", birthCode: "38185" })).toEqual({});
  });

  it("refuses a foreign country's code with no birth place at all, asking for the country at its field", () => {
    // The Caisse des Dépôts declaration names the country of birth: Morocco's code alone is not enough.
    expect(errorsOf({ birthName: "Durand", givenNames: "Léa", birthCode: "99350" })).toEqual({
      birthCountry: ["Le code INSEE 99350 désigne un pays étranger : indiquez aussi le pays de naissance."],
    });
    expect(errorsOf({ birthName: "Durand", givenNames: "Léa", birthCountry: "  ", birthCode: "99350" }).birthCountry).toEqual([
      "Le code INSEE 99350 désigne un pays étranger : indiquez aussi le pays de naissance.",
    ]);
    expect(errorsOf({ birthName: "Durand", givenNames: "Léa", birthCountry: "Maroc", birthCode: "99350" })).toEqual({});
  });

  it("checks e-mail and phone formats", () => {
    expect(errorsOf({ ...valid, email: "lea@" }).email).toEqual(["Adresse e-mail invalide."]);
    expect(errorsOf({ ...valid, phone: "appelez-moi" }).phone?.[0]).toMatch(/^Numéro de téléphone invalide/);
    expect(schema.safeParse({ ...valid, email: "lea@example.fr", phone: "+33 6 12 34 56 78" }).success).toBe(true);
  });

  it("turns a valid form into stored values, and stored values back into form defaults", () => {
    const form = schema.parse({
      ...valid,
      usageName: "martin",
      givenNames: "Léa,  Marie",
      email: "Lea@Example.FR",
      trainerName: "  GRETA   Lyon ",
    });
    const stored = candidateDataFromForm(form);
    expect(stored).toMatchObject({
      birthName: "DURAND",
      usageName: "MARTIN",
      givenNames: "Léa Marie",
      sex: "F",
      birthPlace: "Lyon (69)",
      birthCountry: null,
      email: "lea@example.fr",
      phone: null,
      trainerId: null,
      trainerName: "GRETA Lyon",
    });
    expect(stored.birthDate?.toISOString()).toBe("1994-03-12T00:00:00.000Z");
    const defaults = candidateFormDefaults({ ...stored, employer: null });
    expect(defaults).toMatchObject({ birthCommune: "Lyon", birthDepartment: "69", birthDate: "1994-03-12", usageName: "MARTIN" });
    expect(schema.safeParse(Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== ""))).success).toBe(true);
  });

  it("never writes « née » for a man with a usage name (screens, e-mails and the signed grid use this one function)", () => {
    const man = { birthName: "LEROY", usageName: "MARTIN", givenNames: "Jean Pierre", sex: "M" };
    expect(candidateName(man)).toBe("Jean Pierre MARTIN (né LEROY)");
    expect(candidateName(man, { givenNames: "first" })).toBe("Jean MARTIN (né LEROY)");
    expect(candidateName(man)).not.toContain("née");
    const woman = { ...man, givenNames: "Anne", sex: "F" };
    expect(candidateName(woman, { givenNames: "first" })).toBe("Anne MARTIN (née LEROY)");
    expect(candidateName({ ...man, sex: null })).toBe("Jean Pierre MARTIN (né(e) LEROY)");
  });
});

describe("the duplicate-candidate key", () => {
  const lea = { birthName: "DURAND", givenNames: "Léa Marie", birthDate: new Date(Date.UTC(1994, 2, 12)) };

  it("matches the same birth name, given names and birth date whatever the case, accents, ligatures and hyphens", () => {
    expect(identityMatchKey({ birthName: "durand", givenNames: "LEA-MARIE", birthDate: "1994-03-12" })).toBe(identityMatchKey(lea));
    expect(identityMatchKey({ birthName: "LŒUILLET", givenNames: "Élodie", birthDate: "1990-01-01" })).toBe(
      identityMatchKey({ birthName: "Loeuillet", givenNames: "elodie", birthDate: new Date(Date.UTC(1990, 0, 1)) }),
    );
  });

  it("differs by a given name, their order, or a day; and is absent without a birth date", () => {
    expect(identityMatchKey({ ...lea, givenNames: "Léa" })).not.toBe(identityMatchKey(lea));
    expect(identityMatchKey({ ...lea, givenNames: "Marie Léa" })).not.toBe(identityMatchKey(lea));
    expect(identityMatchKey({ ...lea, birthDate: "1994-03-13" })).not.toBe(identityMatchKey(lea));
    expect(identityMatchKey({ ...lea, birthDate: null })).toBeNull();
  });
});
