import { describe, expect, it } from "vitest";
import {
  exportFileName,
  locateJsonError,
  formatImportError,
  parseReferentialJson,
  referentialToDocument,
  validateReferential,
  type ImportError,
} from "~/domain/referential-import";

const CODE = "RNCP38544";

const valid = () => ({
  format: "quorum-referential",
  formatVersion: 1,
  certification: { code: CODE, title: "CQP Assistant(e) de formation" },
  notes: "  Version de travail  ",
  blocs: [
    {
      code: "RNCP38544BC01",
      title: "Assistance à la gestion des formations",
      competences: [
        {
          code: "C1",
          statement: "Accueillir et informer les publics",
          conditions: "En présentiel et à distance",
          modalities: ["SITUATION_PROFESSIONNELLE", "GRILLE_TUTEUR", "GRILLE_TUTEUR"],
          criteria: [
            { statement: "L'information donnée est exacte", measurable: false, mandatory: true, expected: "Aucune erreur" },
            { statement: "Les demandes sont orientées" },
          ],
        },
      ],
    },
    {
      code: "rncp38544bc02",
      title: "Suivi administratif",
      competences: [{ code: "C2", statement: "Assurer le suivi", criteria: [{ statement: "Émargements complets" }] }],
    },
  ],
});

function errorsOf(input: unknown, code = CODE): ImportError[] {
  const result = validateReferential(input, code);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
}

const lines = (errors: ImportError[]) => errors.map(formatImportError);

describe("validateReferential", () => {
  it("accepts a valid document and normalises it", () => {
    const result = validateReferential(valid(), CODE);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.content.notes).toBe("Version de travail");
    expect(result.content.blocs.map((b) => b.code)).toEqual(["RNCP38544BC01", "RNCP38544BC02"]);
    const c1 = result.content.blocs[0].competences[0];
    expect(c1.modalities).toEqual(["SITUATION_PROFESSIONNELLE", "GRILLE_TUTEUR"]);
    expect(c1.criteria[0]).toEqual({
      statement: "L'information donnée est exacte",
      measurable: false,
      mandatory: true,
      expected: "Aucune erreur",
    });
    expect(c1.criteria[1]).toEqual({ statement: "Les demandes sont orientées", measurable: false, mandatory: false, expected: null });
    expect(result.content.blocs[1].competences[0].conditions).toBeNull();
  });

  it("refuses a text the grids and parchemins cannot print (an emoji, an ideogram), naming it and where it is", () => {
    const doc = {
      blocs: [{ code: "D1", title: "Français 🇫🇷", competences: [{ code: "D1.1", statement: "Écouter", criteria: [{ statement: "Comprend 漢字" }] }] }],
    };
    const result = validateReferential(doc, "RS5080");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message).join("\n")).toMatch(/ne peut pas figurer dans les documents signés/);
    expect(result.errors.some((e) => e.message.includes("« 🇫 » (U+1F1EB)"))).toBe(true);
    expect(result.errors.some((e) => e.message.includes("« 漢 » (U+6F22)"))).toBe(true);
    // French typography, multi-line texts and accented capitals are printable.
    const french = { blocs: [{ code: "D1", title: "Œuvre « réussie » : 12 € — ½", competences: [{ code: "D1.1", statement: "Écouter\nRéagir", criteria: [{ statement: "Ça va" }] }] }] };
    expect(validateReferential(french, "RS5080").ok).toBe(true);
  });

  it("accepts the bare minimum (blocs only, no format header)", () => {
    const doc = { blocs: [{ code: "D1", title: "Français", competences: [{ code: "D1.1", statement: "Écouter", criteria: [{ statement: "Comprend" }] }] }] };
    expect(validateReferential(doc, "RS5080").ok).toBe(true);
  });

  it("locates a missing competence code as in the brief", () => {
    const doc = valid();
    delete (doc.blocs[1].competences[0] as { code?: string }).code;
    expect(lines(errorsOf(doc))).toEqual(["blocs[1].competences[0].code : code obligatoire"]);
  });

  it("reports every error at once, each with its path", () => {
    const doc = valid() as Record<string, unknown> & ReturnType<typeof valid>;
    doc.blocs[0].code = "RNCP38544BC1";
    doc.blocs[0].title = " ";
    (doc.blocs[0].competences[0] as Record<string, unknown>).modalities = ["ORAL"];
    doc.blocs[0].competences[0].criteria[1] = { statement: "", mandatory: "oui" } as never;
    doc.blocs[1].competences[0].code = "C1";
    doc.blocs[1].competences[0].criteria = [];
    doc.extra = true;
    const errors = errorsOf(doc);
    expect(errors.map((e) => e.path)).toEqual([
      "extra",
      "blocs[0].code",
      "blocs[0].title",
      "blocs[0].competences[0].modalities[0]",
      "blocs[0].competences[0].criteria[1].statement",
      "blocs[0].competences[0].criteria[1].mandatory",
      "blocs[1].competences[0].code",
      "blocs[1].competences[0].criteria",
    ]);
    expect(lines(errors)).toEqual([
      "extra : champ inconnu (champs possibles : format, formatVersion, certification, version, publishedAt, exportedAt, notes, blocs)",
      "blocs[0].code : code de bloc invalide : attendu RNCP38544BC suivi de 2 chiffres (ex. RNCP38544BC01)",
      "blocs[0].title : intitulé obligatoire",
      "blocs[0].competences[0].modalities[0] : modalité inconnue « ORAL » (valeurs possibles : SITUATION_PROFESSIONNELLE, PRESENTATION_PROJET, QUESTIONNAIRE, MISE_EN_SITUATION, ETUDE_DE_CAS, GRILLE_TUTEUR)",
      "blocs[0].competences[0].criteria[1].statement : énoncé obligatoire",
      "blocs[0].competences[0].criteria[1].mandatory : true ou false attendu",
      "blocs[1].competences[0].code : code C1 déjà utilisé par blocs[0].competences[0] (unique dans la version)",
      "blocs[1].competences[0].criteria : critères : au moins un élément est attendu",
    ]);
  });

  it.each([
    ["not an object", [], "", "un objet JSON est attendu"],
    ["no blocs", {}, "blocs", "blocs obligatoire"],
    ["blocs not a list", { blocs: {} }, "blocs", "une liste est attendue"],
    ["empty blocs", { blocs: [] }, "blocs", "au moins un élément"],
    ["a bloc that is not an object", { blocs: ["x"] }, "blocs[0]", "un bloc (objet) est attendu"],
    ["a bloc code of another certification", { blocs: [{ code: "RNCP11111BC01" }] }, "blocs[0].code", "autre certification"],
    ["a numeric bloc code", { blocs: [{ code: 1 }] }, "blocs[0].code", "un texte est attendu"],
    ["a wrong format", { format: "csv", blocs: [] }, "format", "format inconnu"],
    ["a future format version", { formatVersion: 2, blocs: [] }, "formatVersion", "non prise en charge"],
    ["another certification", { certification: { code: "RNCP11111" }, blocs: [] }, "certification.code", "pas RNCP38544"],
    ["a certification without code", { certification: {}, blocs: [] }, "certification.code", "est attendu"],
    ["notes that are not text", { notes: 3, blocs: [] }, "notes", "un texte est attendu"],
  ])("refuses %s", (_case, doc, path, message) => {
    const errors = errorsOf(doc);
    const match = errors.find((e) => e.path === path);
    expect(match, JSON.stringify(errors)).toBeDefined();
    expect(match!.message).toContain(message);
  });

  it("refuses duplicate bloc codes, pointing at the first use", () => {
    const doc = valid();
    doc.blocs[1].code = "RNCP38544BC01";
    expect(lines(errorsOf(doc))).toEqual(["blocs[1].code : code RNCP38544BC01 déjà utilisé par blocs[0]"]);
  });

  it("accepts a file whose certification code is written differently (case, spaces)", () => {
    const doc = valid();
    doc.certification.code = "rncp 38544";
    expect(validateReferential(doc, CODE).ok).toBe(true);
  });

  it("names an invisible character in a code and where it is, never « RNCP38544, pas RNCP38544 »; trims the spaces around a code", () => {
    const refused = (code: string) => {
      const doc = valid();
      doc.certification.code = code;
      return lines(errorsOf(doc));
    };
    expect(refused("RNCP38544\u200B")).toEqual([
      "certification.code : le code contient un caractère invisible (espace sans chasse, U+200B) après « RNCP38544 » : retapez-le",
    ]);
    expect(refused("\u2060RNCP38544")).toEqual([
      "certification.code : le code contient un caractère invisible (gluon de mots, U+2060) au début, avant « RNCP38544 » : retapez-le",
    ]);
    expect(refused("RNCP\u00AD38544")).toEqual([
      "certification.code : le code contient un caractère invisible (trait d'union conditionnel, U+00AD) après « RNCP » : retapez-le",
    ]);
    // Spaces of any kind and a BOM around (or inside) the certification's code are what any typed code drops.
    for (const code of ["RNCP38544\u00A0", "\uFEFFRNCP38544", " RNCP\u202F38544 "]) {
      const doc = valid();
      doc.certification.code = code;
      expect(validateReferential(doc, CODE).ok, JSON.stringify(code)).toBe(true);
    }
    // Bloc and competence codes likewise: the bloc's code read « code de bloc invalide : attendu RNCP38544BC suivi de 2 chiffres ».
    const doc = valid();
    doc.blocs[0].code = "RNCP38544BC01\u200B";
    doc.blocs[0].competences[0].code = "C1\u00A0.2";
    expect(lines(errorsOf(doc))).toEqual([
      "blocs[0].code : le code contient un caractère invisible (espace sans chasse, U+200B) après « RNCP38544BC01 » : retapez-le",
      "blocs[0].competences[0].code : le code contient un caractère invisible (espace insécable, U+00A0) après « C1 » : retapez-le",
    ]);
  });

  it("refuses a document nested deeper than any référentiel, at the first value too deep, without walking it", () => {
    let deep: unknown = "SITUATION_PROFESSIONNELLE";
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const doc = valid();
    (doc.blocs[0].competences[0] as { modalities: unknown[] }).modalities = [deep];
    const errors = errorsOf(doc);
    expect(errors).toHaveLength(1);
    // Root › blocs › bloc › competences › competence › modalities › 10 nested lists: the 16th level.
    expect(errors[0].path).toBe(`blocs[0].competences[0].modalities${"[0]".repeat(11)}`);
    expect(errors[0].message).toBe("imbrication trop profonde (16 niveaux de listes et d'objets au plus)");
    // Parsed from the uploaded text the same way.
    const text = JSON.stringify(valid()).replace('"modalities":[', `"modalities":[${"[".repeat(20_000)}${"]".repeat(20_000)},`);
    const parsed = parseReferentialJson(text, CODE);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(lines(parsed.errors)[0]).toMatch(/^blocs\[0\]\.competences\[0\]\.modalities(\[0\]){11} : imbrication trop profonde/);
  });

  it("names a modality that is not a text without printing it, and quotes an unknown one shortly", () => {
    const doc = valid();
    (doc.blocs[0].competences[0] as { modalities: unknown[] }).modalities = [[["x"]], { a: 1 }, 3, "Z".repeat(5000), "AB\u202EC"];
    expect(lines(errorsOf(doc)).map((l) => l.replace(/ \(valeurs possibles : .*\)$/, ""))).toEqual([
      "blocs[0].competences[0].modalities[0] : modalité inconnue « liste »",
      "blocs[0].competences[0].modalities[1] : modalité inconnue « objet »",
      "blocs[0].competences[0].modalities[2] : modalité inconnue « 3 »",
      `blocs[0].competences[0].modalities[3] : modalité inconnue « ${"Z".repeat(60)}… »`,
      "blocs[0].competences[0].modalities[4] : modalité inconnue « ABC »",
    ]);
  });

  it("refuses control and bidi characters in every text, at the field, keeping line breaks in multi-line texts", () => {
    const doc = valid() as ReturnType<typeof valid> & { notes: string };
    doc.notes = "Version \u202Efdp.exe";
    doc.blocs[0].title = "Assistance\nà la gestion";
    doc.blocs[0].competences[0].statement = "abc\u0000def";
    (doc.blocs[0].competences[0] as { conditions: string }).conditions = "En présentiel\u2066";
    (doc.blocs[0].competences[0].criteria[0] as { expected: string }).expected = "Aucune\u0007erreur";
    doc.blocs[1].competences[0].criteria[0].statement = "Émargements\u200Fcomplets";
    const unsafe = "Caractères invisibles ou de contrôle refusés (par exemple un inverseur de sens d'écriture) : retapez le texte.";
    // Each names the character and where it is: the text looks right otherwise.
    expect(lines(errorsOf(doc))).toEqual([
      `notes : notes : ${unsafe} Trouvé : caractère invisible (inverseur de sens d'écriture, U+202E) après « Version ».`,
      `blocs[0].title : intitulé : ${unsafe} Trouvé : retour à la ligne (U+000A) après « Assistance ».`,
      `blocs[0].competences[0].statement : énoncé : ${unsafe} Trouvé : caractère invisible (caractère de contrôle, U+0000) après « abc ».`,
      `blocs[0].competences[0].conditions : conditions de réalisation : ${unsafe} Trouvé : caractère invisible (inverseur de sens d'écriture, U+2066) après « En présentiel ».`,
      `blocs[0].competences[0].criteria[0].expected : résultat attendu : ${unsafe} Trouvé : caractère invisible (caractère de contrôle, U+0007) après « Aucune ».`,
      `blocs[1].competences[0].criteria[0].statement : énoncé : ${unsafe} Trouvé : caractère invisible (marque de sens d'écriture, U+200F) après « Émargements ».`,
    ]);
    const multiline = valid();
    multiline.blocs[0].competences[0].statement = "Accueillir\n\tet informer\r\nles publics";
    expect(validateReferential(multiline, CODE).ok).toBe(true);
  });

  it("refuses over-long texts with their length", () => {
    const doc = valid();
    doc.blocs[0].title = "x".repeat(301);
    expect(lines(errorsOf(doc))).toEqual(["blocs[0].title : intitulé trop long (301 caractères, 300 au plus)"]);
  });

  it("caps the list of errors and says how many were left out", () => {
    const doc = { blocs: Array.from({ length: 100 }, () => ({ code: "", title: "", competences: [] })) };
    const errors = errorsOf(doc);
    expect(errors).toHaveLength(201);
    expect(errors[200].message).toBe("… et 100 autres erreurs");
  });
});

describe("parseReferentialJson", () => {
  it("locates a JSON syntax error by line and column", () => {
    const result = parseReferentialJson('{\n  "blocs": [\n    { "code": "D1", }\n  ]\n}', "RS5080");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(formatImportError(result.errors[0])).toBe(
      "fichier : le fichier n'est pas un JSON valide : caractère inattendu « } » (ligne 3, colonne 21)",
    );
  });

  it("locates the end of a truncated file", () => {
    const result = parseReferentialJson('{ "blocs": [', "RS5080");
    expect(result.ok ? "" : result.errors[0].message).toBe(
      "le fichier n'est pas un JSON valide : fin du fichier inattendue (ligne 1, colonne 13)",
    );
  });

  it("refuses an empty file and accepts a byte-order mark", () => {
    const empty = parseReferentialJson("  \n", CODE);
    expect(empty.ok ? [] : lines(empty.errors)).toEqual(["fichier : le fichier est vide"]);
    expect(parseReferentialJson(`\uFEFF${JSON.stringify(valid())}`, CODE).ok).toBe(true);
  });
});

describe("fields written twice, and long field names", () => {
  it("refuses a field written twice in one object, at its path (JSON.parse keeps the last one silently)", () => {
    const doc = JSON.stringify(valid());
    const twice = doc.replace('"blocs":[', '"blocs":[],"blocs":[');
    expect(JSON.parse(twice).blocs).toHaveLength(2); // what would have been read: the second, without a word
    const result = parseReferentialJson(twice, CODE);
    expect(result.ok).toBe(false);
    expect(lines((result as { errors: ImportError[] }).errors)).toEqual([
      "blocs : champ écrit deux fois dans le même objet (une seule des deux valeurs serait lue) : gardez-en un seul",
    ]);
    const inCompetence = doc.replace('"code":"C1",', '"code":"C1","code":"C9",');
    expect((parseReferentialJson(inCompetence, CODE) as { errors: ImportError[] }).errors[0].path).toBe("blocs[0].competences[0].code");
    // The same name in two objects is no duplicate; nor is a name that only looks alike once escaped differently.
    expect(parseReferentialJson(doc, CODE).ok).toBe(true);
    expect((parseReferentialJson(doc.replace('"code":"C1",', '"code":"C1","co\\u0064e":"C9",'), CODE) as { errors: ImportError[] }).errors[0].path).toBe(
      "blocs[0].competences[0].code",
    );
  });

  it("shortens a long unknown field name in its error", () => {
    const doc = { ...valid(), ["x".repeat(100_000)]: 1 };
    const [error] = errorsOf(doc);
    expect(error.path).toBe(`${"x".repeat(60)}…`);
    expect(formatImportError(error).length).toBeLessThan(250);
  });
});

describe("export", () => {
  it("exports a version that imports back to the same content", () => {
    const imported = validateReferential(valid(), CODE);
    if (!imported.ok) throw new Error("fixture invalid");
    const doc = referentialToDocument({
      certification: { code: CODE, title: "CQP Assistant(e) de formation" },
      version: 3,
      publishedAt: new Date("2025-01-02T03:04:05Z"),
      exportedAt: new Date("2025-02-01T00:00:00Z"),
      ...imported.content,
    });
    expect(doc).toMatchObject({
      format: "quorum-referential",
      formatVersion: 1,
      version: 3,
      publishedAt: "2025-01-02T03:04:05.000Z",
      exportedAt: "2025-02-01T00:00:00.000Z",
    });
    const again = parseReferentialJson(JSON.stringify(doc), CODE);
    expect(again.ok && again.content).toEqual(imported.content);
  });

  it("names the file after the certification and the version", () => {
    expect(exportFileName("RNCP38544", 2)).toBe("RNCP38544-referentiel-v2.json");
    expect(exportFileName("MQ 2006 05 69 0262", 1)).toBe("MQ-2006-05-69-0262-referentiel-v1.json");
  });
});

describe("locateJsonError", () => {
  it.each([
    ['{"a":1}', 7],
    ["[1, 2, 3]", 9],
    ['  {"a": [true, false, null, -1.5e3, "x\\u00e9"]}  ', 49],
    ["{", 1],
    ['{"a" 1}', 5],
    ["[1,]", 3],
    ["[01]", 2],
    ['{"a": tru}', 6 + 3],
    ['"\\q"', 2],
    ['"\\u12G4"', 5],
    ["[1] x", 4],
    ["", 0],
    ["-", 0],
  ])("%j → offset %i", (text, offset) => {
    expect(locateJsonError(text)).toBe(offset);
  });

  it("agrees with JSON.parse on what is valid", () => {
    for (const text of ['{"a":[1,{"b":null}]}', "[]", "{}", '"x"', "0", "-0.5E+2"]) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(locateJsonError(text)).toBe(text.length);
    }
  });

  it("survives a very deep nesting", () => {
    const deep = "[".repeat(200_000);
    expect(locateJsonError(deep)).toBeGreaterThan(0);
  });
});
