/**
 * The référentiel exchange format (docs/referential-format.md): validation of an imported document with every
 * error located (JSON path and French reason), and the export of a version. The same validation decides whether a
 * draft may be published. Pure, no I/O.
 */
import {
  blocCodeError,
  competenceCodeError,
  isModality,
  MODALITIES,
  normaliseCertificationCode,
  type Modality,
} from "./certification";
import { unprintableCharacter } from "./pdf-printable";
import { hasUnsafeCharacters, hiddenCharacterNote, UNSAFE_TEXT_MESSAGE, unprintableTextMessage } from "./safe-text";

export const REFERENTIAL_FORMAT = "quorum-referential";
export const REFERENTIAL_FORMAT_VERSION = 1;
/** Largest file accepted for import. */
export const MAX_IMPORT_BYTES = 1_000_000;

export const LIMITS = {
  blocs: 100,
  competencesPerBloc: 200,
  criteriaPerCompetence: 100,
  title: 300,
  statement: 2000,
  conditions: 2000,
  expected: 500,
  notes: 2000,
} as const;

export type CriterionContent = { statement: string; measurable: boolean; mandatory: boolean; expected: string | null };
export type CompetenceContent = {
  code: string;
  statement: string;
  conditions: string | null;
  modalities: Modality[];
  criteria: CriterionContent[];
};
export type BlocContent = { code: string; title: string; competences: CompetenceContent[] };
/** A référentiel's content, validated and normalised: what a version holds. */
export type ReferentialContent = { notes: string | null; blocs: BlocContent[] };

/** The exported document: the content plus where it comes from. */
export type ReferentialDocument = {
  format: typeof REFERENTIAL_FORMAT;
  formatVersion: typeof REFERENTIAL_FORMAT_VERSION;
  certification: { code: string; title: string };
  version: number;
  publishedAt: string | null;
  exportedAt: string;
} & ReferentialContent;

export type ImportError = { path: string; message: string };
export type ValidationResult = { ok: true; content: ReferentialContent } | { ok: false; errors: ImportError[] };

const MAX_REPORTED_ERRORS = 200;
/**
 * Deepest nesting of arrays and objects a document may have: a référentiel needs 7 levels (root › blocs › bloc ›
 * competences › competence › criteria › criterion). A deeper one is refused before it is walked: 20,000 nested
 * arrays blew the stack of any recursive reading (String() of a nested array, a 500).
 */
export const MAX_DEPTH = 16;
/** Longest unexpected value quoted back in an error message. */
const QUOTED_MAX = 60;

/** « blocs[1].competences[0].code : code obligatoire ». */
export function formatImportError(error: ImportError): string {
  return `${error.path === "" ? "fichier" : error.path} : ${error.message}`;
}

const ROOT_KEYS = ["format", "formatVersion", "certification", "version", "publishedAt", "exportedAt", "notes", "blocs"];
const BLOC_KEYS = ["code", "title", "competences"];
const COMPETENCE_KEYS = ["code", "statement", "conditions", "modalities", "criteria"];
const CRITERION_KEYS = ["statement", "measurable", "mandatory", "expected"];

type Ctx = { errors: ImportError[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const join = (path: string, key: string | number) =>
  typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;

function fail(ctx: Ctx, path: string, message: string) {
  ctx.errors.push({ path, message });
}

/** A field's name as a path shows it: a name of 100,000 characters was repeated whole in the error. */
const keyShown = (key: string) => (key.length > QUOTED_MAX ? `${key.slice(0, QUOTED_MAX)}…` : key);

function unknownKeys(ctx: Ctx, path: string, value: Record<string, unknown>, allowed: readonly string[]) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(ctx, join(path, keyShown(key)), `champ inconnu (champs possibles : ${allowed.join(", ")})`);
  }
}

/**
 * Where `value` nests deeper than `max` levels of arrays and objects: the path of the first value too deep, or null.
 * Iterative (an explicit stack), so any depth is read without recursion.
 */
export function tooDeepAt(value: unknown, max: number): string | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: "", depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth >= max) return path;
    const entries: Array<[string | number, unknown]> = Array.isArray(current)
      ? current.map((item, i): [number, unknown] => [i, item])
      : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      if (typeof item === "object" && item !== null) stack.push({ value: item, path: join(path, key), depth: depth + 1 });
    }
  }
  return null;
}

/** An unexpected value as quoted back in a message: a short, printable excerpt, never the value's own toString. */
function quoted(value: unknown): string {
  if (typeof value !== "string") return Array.isArray(value) ? "liste" : isObject(value) ? "objet" : JSON.stringify(value) ?? String(value);
  // eslint-disable-next-line no-control-regex -- control and bidi characters are dropped from what is shown
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
  return printable.length > QUOTED_MAX ? `${printable.slice(0, QUOTED_MAX)}…` : printable;
}

/**
 * A code with a character no one sees (a zero-width space pasted with it): the French error that names it and where it
 * is. Without it, « RNCP38544\u200B » was refused as « ce fichier concerne la certification RNCP38544, pas RNCP38544 ».
 * Spaces, no-break spaces and a BOM around a code are not among them: they are trimmed, as in every code typed. (A bloc's
 * and a competence's codes are checked so by blocCodeError and competenceCodeError, as when typed.)
 */
function hiddenInCode(ctx: Ctx, path: string, code: string): boolean {
  const note = hiddenCharacterNote(code);
  if (note) fail(ctx, path, `le code contient un ${note} : retapez-le`);
  return note !== null;
}

/**
 * A text with a control, bidi or invisible character (tab and line breaks allowed when multi-line): its French error,
 * with the character named and where it is (the text looks right otherwise).
 */
function unsafeText(ctx: Ctx, path: string, text: string, what: string, multiline: boolean): void {
  if (hasUnsafeCharacters(text, { multiline })) {
    const note = hiddenCharacterNote(text, { text: true, multiline });
    return fail(ctx, path, `${what} : ${UNSAFE_TEXT_MESSAGE}${note ? ` Trouvé : ${note}.` : ""}`);
  }
  // Printed in the grids and on the parchemins: a character their font lacks would be an empty box there.
  const character = unprintableCharacter(text.replace(/[\t\r\n]/g, ""));
  if (character) fail(ctx, path, `${what} : ${unprintableTextMessage(character)}`);
}

/** A required text: trimmed, non-empty, at most `max` characters, without control or bidi characters. */
function requiredText(ctx: Ctx, path: string, value: unknown, what: string, max: number, multiline = true): string {
  if (value === undefined || value === null) {
    fail(ctx, path, `${what} obligatoire`);
    return "";
  }
  if (typeof value !== "string") {
    fail(ctx, path, `${what} : un texte est attendu`);
    return "";
  }
  const text = value.trim();
  if (text === "") fail(ctx, path, `${what} obligatoire`);
  else if (text.length > max) fail(ctx, path, `${what} trop long (${text.length} caractères, ${max} au plus)`);
  else unsafeText(ctx, path, text, what, multiline);
  return text;
}

/** An optional text (multi-line): trimmed, at most `max` characters, without control or bidi characters. */
function optionalText(ctx: Ctx, path: string, value: unknown, what: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") {
    fail(ctx, path, `${what} : un texte est attendu`);
    return null;
  }
  const text = value.trim();
  if (text.length > max) fail(ctx, path, `${what} trop long (${text.length} caractères, ${max} au plus)`);
  else unsafeText(ctx, path, text, what, true);
  return text === "" ? null : text;
}

function optionalBoolean(ctx: Ctx, path: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") {
    fail(ctx, path, "true ou false attendu");
    return false;
  }
  return value;
}

function list(ctx: Ctx, path: string, value: unknown, what: string, max: number): unknown[] {
  if (value === undefined || value === null) {
    fail(ctx, path, `${what} obligatoire (une liste d'au moins un élément)`);
    return [];
  }
  if (!Array.isArray(value)) {
    fail(ctx, path, `${what} : une liste est attendue`);
    return [];
  }
  if (value.length === 0) fail(ctx, path, `${what} : au moins un élément est attendu`);
  if (value.length > max) fail(ctx, path, `${what} : ${value.length} éléments, ${max} au plus`);
  return value.slice(0, max);
}

function criterion(ctx: Ctx, path: string, value: unknown): CriterionContent {
  if (!isObject(value)) {
    fail(ctx, path, "un critère (objet) est attendu");
    return { statement: "", measurable: false, mandatory: false, expected: null };
  }
  unknownKeys(ctx, path, value, CRITERION_KEYS);
  return {
    statement: requiredText(ctx, join(path, "statement"), value.statement, "énoncé", LIMITS.statement),
    measurable: optionalBoolean(ctx, join(path, "measurable"), value.measurable),
    mandatory: optionalBoolean(ctx, join(path, "mandatory"), value.mandatory),
    expected: optionalText(ctx, join(path, "expected"), value.expected, "résultat attendu", LIMITS.expected),
  };
}

function modalities(ctx: Ctx, path: string, value: unknown): Modality[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    fail(ctx, path, "une liste de modalités est attendue");
    return [];
  }
  const found: Modality[] = [];
  value.forEach((m, i) => {
    if (!isModality(m)) {
      fail(ctx, join(path, i), `modalité inconnue « ${quoted(m)} » (valeurs possibles : ${MODALITIES.join(", ")})`);
    } else if (!found.includes(m)) {
      found.push(m);
    }
  });
  return found;
}

/**
 * Validates a référentiel document for the certification `certificationCode`. Every problem is reported with its
 * location; the content is returned only when there is none.
 */
export function validateReferential(input: unknown, certificationCode: string): ValidationResult {
  const ctx: Ctx = { errors: [] };
  if (!isObject(input)) {
    return { ok: false, errors: [{ path: "", message: "un objet JSON est attendu ({ \"blocs\": [ … ] })" }] };
  }
  // Before anything walks it: a document nested deeper than any référentiel is refused at the first value too deep.
  const deep = tooDeepAt(input, MAX_DEPTH);
  if (deep !== null) {
    return { ok: false, errors: [{ path: deep, message: `imbrication trop profonde (${MAX_DEPTH} niveaux de listes et d'objets au plus)` }] };
  }
  unknownKeys(ctx, "", input, ROOT_KEYS);
  if (input.format !== undefined && input.format !== REFERENTIAL_FORMAT) {
    fail(ctx, "format", `format inconnu : « ${REFERENTIAL_FORMAT} » attendu`);
  }
  if (input.formatVersion !== undefined && input.formatVersion !== REFERENTIAL_FORMAT_VERSION) {
    fail(ctx, "formatVersion", `version de format non prise en charge : ${REFERENTIAL_FORMAT_VERSION} attendu`);
  }
  if (input.certification !== undefined) {
    const cert = input.certification;
    if (!isObject(cert) || typeof cert.code !== "string") {
      fail(ctx, "certification.code", "le code de la certification (texte) est attendu");
    } else if (hiddenInCode(ctx, "certification.code", normaliseCertificationCode(cert.code))) {
      // Said with where the hidden character is.
    } else if (normaliseCertificationCode(cert.code) !== certificationCode) {
      fail(
        ctx,
        "certification.code",
        `ce fichier concerne la certification ${quoted(cert.code)}, pas ${certificationCode}`,
      );
    }
  }
  const notes = optionalText(ctx, "notes", input.notes, "notes", LIMITS.notes);

  const blocCodes = new Map<string, string>();
  const competenceCodes = new Map<string, string>();
  const blocs = list(ctx, "blocs", input.blocs, "blocs", LIMITS.blocs).map((rawBloc, b): BlocContent => {
    const blocPath = join("blocs", b);
    if (!isObject(rawBloc)) {
      fail(ctx, blocPath, "un bloc (objet) est attendu");
      return { code: "", title: "", competences: [] };
    }
    unknownKeys(ctx, blocPath, rawBloc, BLOC_KEYS);
    const codePath = join(blocPath, "code");
    let code = "";
    if (rawBloc.code === undefined || rawBloc.code === null || rawBloc.code === "") fail(ctx, codePath, "code obligatoire");
    else if (typeof rawBloc.code !== "string") fail(ctx, codePath, "code : un texte est attendu");
    else {
      code = rawBloc.code.trim().toUpperCase();
      const error = blocCodeError(certificationCode, code);
      if (error) fail(ctx, codePath, error);
      else if (blocCodes.has(code)) fail(ctx, codePath, `code ${code} déjà utilisé par ${blocCodes.get(code)}`);
      else blocCodes.set(code, blocPath);
    }
    const title = requiredText(ctx, join(blocPath, "title"), rawBloc.title, "intitulé", LIMITS.title, false);
    const competences = list(
      ctx,
      join(blocPath, "competences"),
      rawBloc.competences,
      "compétences",
      LIMITS.competencesPerBloc,
    ).map((rawCompetence, c): CompetenceContent => {
      const path = join(join(blocPath, "competences"), c);
      if (!isObject(rawCompetence)) {
        fail(ctx, path, "une compétence (objet) est attendue");
        return { code: "", statement: "", conditions: null, modalities: [], criteria: [] };
      }
      unknownKeys(ctx, path, rawCompetence, COMPETENCE_KEYS);
      const cPath = join(path, "code");
      let cCode = "";
      if (rawCompetence.code === undefined || rawCompetence.code === null || rawCompetence.code === "") {
        fail(ctx, cPath, "code obligatoire");
      } else if (typeof rawCompetence.code !== "string") {
        fail(ctx, cPath, "code : un texte est attendu");
      } else {
        cCode = rawCompetence.code.trim();
        const error = competenceCodeError(cCode);
        if (error) fail(ctx, cPath, error);
        else if (competenceCodes.has(cCode)) {
          fail(ctx, cPath, `code ${cCode} déjà utilisé par ${competenceCodes.get(cCode)} (unique dans la version)`);
        } else competenceCodes.set(cCode, path);
      }
      return {
        code: cCode,
        statement: requiredText(ctx, join(path, "statement"), rawCompetence.statement, "énoncé", LIMITS.statement),
        conditions: optionalText(
          ctx,
          join(path, "conditions"),
          rawCompetence.conditions,
          "conditions de réalisation",
          LIMITS.conditions,
        ),
        modalities: modalities(ctx, join(path, "modalities"), rawCompetence.modalities),
        criteria: list(
          ctx,
          join(path, "criteria"),
          rawCompetence.criteria,
          "critères",
          LIMITS.criteriaPerCompetence,
        ).map((rawCriterion, k) => criterion(ctx, join(join(path, "criteria"), k), rawCriterion)),
      };
    });
    return { code, title, competences };
  });

  if (ctx.errors.length > 0) {
    const errors = ctx.errors.slice(0, MAX_REPORTED_ERRORS);
    if (ctx.errors.length > MAX_REPORTED_ERRORS) {
      errors.push({ path: "", message: `… et ${ctx.errors.length - MAX_REPORTED_ERRORS} autres erreurs` });
    }
    return { ok: false, errors };
  }
  return { ok: true, content: { notes, blocs } };
}

/** Reads the text of an uploaded file as JSON, then validates it. A syntax error is located by line and column. */
export function parseReferentialJson(text: string, certificationCode: string): ValidationResult {
  const source = text.replace(/^\uFEFF/, "");
  if (source.trim() === "") return { ok: false, errors: [{ path: "", message: "le fichier est vide" }] };
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    const at = locateJsonError(source);
    const before = source.slice(0, at);
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    const found = at >= source.length ? "fin du fichier inattendue" : `caractère inattendu « ${source[at]} »`;
    return {
      ok: false,
      errors: [{ path: "", message: `le fichier n'est pas un JSON valide : ${found} (ligne ${line}, colonne ${column})` }],
    };
  }
  // JSON.parse keeps the last of two same-named fields: « "blocs": [] … "blocs": [ … ] » lost one of them silently. The
  // format refuses unknown fields so that nothing is lost unseen; a field written twice is refused likewise.
  if (tooDeepAt(value, MAX_DEPTH) === null) {
    const duplicate = duplicateKeyAt(source);
    if (duplicate) {
      return {
        ok: false,
        errors: [{ path: duplicate, message: "champ écrit deux fois dans le même objet (une seule des deux valeurs serait lue) : gardez-en un seul" }],
      };
    }
  }
  return validateReferential(value, certificationCode);
}

/**
 * The path of the first field written twice in one object of a valid JSON text (« blocs[0].code »), or null. Called
 * on a text JSON.parse read and whose depth was checked (MAX_DEPTH): its recursion stays shallow.
 */
export function duplicateKeyAt(text: string): string | null {
  let i = 0;
  class Found extends Error {
    constructor(readonly path: string) {
      super("duplicate");
    }
  }
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      const seen = new Set<string>();
      for (;;) {
        ws();
        if (text[i] === "}") break;
        if (text[i] === ",") {
          i++;
          continue;
        }
        const key = string();
        if (seen.has(key)) throw new Found(join(path, keyShown(key)));
        seen.add(key);
        ws();
        i++; // the colon
        value(join(path, keyShown(key)));
      }
      i++;
      return;
    }
    if (ch === "[") {
      i++;
      let index = 0;
      for (;;) {
        ws();
        if (text[i] === "]") break;
        if (text[i] === ",") {
          i++;
          continue;
        }
        value(join(path, index++));
      }
      i++;
      return;
    }
    if (ch === '"') {
      string();
      return;
    }
    while (i < text.length && !",]} \t\n\r".includes(text[i])) i++; // a number, true, false or null
  };
  try {
    value("");
    return null;
  } catch (error) {
    if (error instanceof Found) return error.path === "" ? null : error.path;
    throw error;
  }
}

/**
 * Offset of the first JSON syntax error in `text` (text.length for a premature end), by a small recursive-descent
 * scan: JSON.parse's own messages do not always give a position.
 */
export function locateJsonError(text: string): number {
  let i = 0;
  class Stop extends Error {
    constructor(readonly at: number) {
      super("json");
    }
  }
  const fail = (): never => {
    throw new Stop(i);
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      const code = text.charCodeAt(i);
      if (code < 0x20) fail();
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          for (let k = 1; k <= 4; k++) {
            if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) {
              i += k;
              fail();
            }
          }
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? "")) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!match || match[0] === "" || match[0] === "-") fail();
    i += match![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail();
      }
    }
    if (ch === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail();
      }
    }
    if (ch === '"') return string();
    if (ch === "t") return literal("true");
    if (ch === "f") return literal("false");
    if (ch === "n") return literal("null");
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return text.length;
  } catch (error) {
    if (error instanceof Stop) return error.at;
    if (error instanceof RangeError) return i; // nesting too deep to scan: point at where the scan stopped
    throw error;
  }
}

/** The exported document of a version (positions are the array order; database ids are not exported). */
export function referentialToDocument(input: {
  certification: { code: string; title: string };
  version: number;
  publishedAt: Date | null;
  notes: string | null;
  blocs: ReadonlyArray<{
    code: string;
    title: string;
    competences: ReadonlyArray<{
      code: string;
      statement: string;
      conditions: string | null;
      modalities: readonly string[];
      criteria: ReadonlyArray<{ statement: string; measurable: boolean; mandatory: boolean; expected: string | null }>;
    }>;
  }>;
  exportedAt: Date;
}): ReferentialDocument {
  return {
    format: REFERENTIAL_FORMAT,
    formatVersion: REFERENTIAL_FORMAT_VERSION,
    certification: { code: input.certification.code, title: input.certification.title },
    version: input.version,
    publishedAt: input.publishedAt ? input.publishedAt.toISOString() : null,
    exportedAt: input.exportedAt.toISOString(),
    notes: input.notes,
    blocs: input.blocs.map((b) => ({
      code: b.code,
      title: b.title,
      competences: b.competences.map((c) => ({
        code: c.code,
        statement: c.statement,
        conditions: c.conditions,
        modalities: c.modalities.filter(isModality),
        criteria: c.criteria.map((k) => ({
          statement: k.statement,
          measurable: k.measurable,
          mandatory: k.mandatory,
          expected: k.expected,
        })),
      })),
    })),
  };
}

/** A file name for the export: `RNCP38544-referentiel-v2.json`. */
export function exportFileName(certificationCode: string, version: number): string {
  return `${certificationCode.replace(/[^A-Za-z0-9_-]+/g, "-")}-referentiel-v${version}.json`;
}
