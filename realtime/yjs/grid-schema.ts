/**
 * The grid's schema, enforced on every update (./schema): the layout of app/live/commission/grid-content.ts and
 * who may write which part of it.
 *
 * - Top-level parts: `result`, `comment`, `assessment` (maps of text) and `synthesis` (text); nothing else.
 * - Text only: map values are strings, the synthesis holds characters; no nested structure (maps, arrays, embeds,
 *   formatting, binary), so no depth to bound.
 * - Lengths: keys ≤ 200, a result or assessment ≤ 2,000, a comment ≤ 5,000, the synthesis ≤ 50,000 characters.
 * - No control characters (NUL…) nor bidirectional overrides (app/domain/safe-text.ts), and only characters the
 *   signed grid's PDF can print (app/domain/pdf-printable.ts: no emoji, no CJK).
 * - `assessment`: each member writes only their own keys `<userId>|<competenceId>` and only with the `score` right;
 *   `result` and `comment` (the commission's consolidated result) only with the `decide` right (the president);
 *   neither right during « Accueil » (app/domain/access.ts `gridRights`).
 * - Keys and values from the grid's vocabulary (the writer's, resolved with its access: app/domain/grid-vocabulary.ts):
 *   every `<competenceId>` (of `result`, `comment`, and `assessment` after the `<userId>|`) is a competence of the
 *   référentiel version of the passage; a result or an assessment is a value of the scheme's scale for it (a comment
 *   is free text). Without a vocabulary no key is accepted. One lookup per key written.
 */
import * as Y from "yjs";
import { GRID_RIGHTS } from "~/domain/access";
import { unprintableCharacter } from "~/domain/pdf-printable";
import { forbiddenCharacter } from "~/domain/safe-text";
import { COMMENT_MAX_LENGTH, GRID_ROOTS, SYNTHESIS_MAX_LENGTH } from "~/live/commission/grid-content";
import type { DocumentSchema, TrialChange, Writer } from "./schema";

export const GRID_LIMITS = { keyLength: 200, resultLength: 2_000, commentLength: COMMENT_MAX_LENGTH, synthesisLength: SYNTHESIS_MAX_LENGTH } as const;

export const GRID_REFUSALS = {
  unknownPart: "Modification refusée : cette partie n'existe pas dans la grille.",
  notText: "Modification refusée : la grille n'accepte que du texte.",
  tooLong: "Modification refusée : texte trop long.",
  character: (code: string) => `Modification refusée : caractère interdit (${code}).`,
  unprintable: (character: string) => `Modification refusée : le caractère ${character} ne peut pas figurer dans le document signé (sa police ne l'a pas) : retirez-le.`,
  notYours: "Modification refusée : vous ne pouvez modifier que votre propre évaluation.",
  notScoring: "Modification refusée : les évaluations ne sont pas ouvertes (phase d'accueil) ou vous n'évaluez pas ce candidat.",
  notPresident: "Modification refusée : seul·e le·la président·e fixe le résultat et le commentaire de la commission.",
  unknownCompetence: "Modification refusée : cette compétence n'existe pas dans le référentiel de la grille.",
  offScale: "Modification refusée : cette valeur n'appartient pas à l'échelle de la certification.",
} as const;

const MAPS = new Set<string>([GRID_ROOTS.result, GRID_ROOTS.comment, GRID_ROOTS.assessment]);

export const gridSchema: DocumentSchema = {
  prepare(doc) {
    for (const name of MAPS) doc.getMap(name);
    doc.getText(GRID_ROOTS.synthesis);
  },
  check(change, writer) {
    return contentRefusal(change) ?? changesRefusal(change, writer);
  },
};

/** What the update carries: strings only, without forbidden characters, none longer than the longest part allows. */
function contentRefusal(change: TrialChange): string | null {
  for (const struct of change.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentDeleted) continue;
    if (content instanceof Y.ContentString) {
      const refusal = textRefusal(content.str, GRID_LIMITS.synthesisLength);
      if (refusal) return refusal;
      continue;
    }
    if (!(content instanceof Y.ContentAny)) return GRID_REFUSALS.notText;
    for (const value of content.arr) {
      if (typeof value !== "string") return GRID_REFUSALS.notText;
      const refusal = textRefusal(value, GRID_LIMITS.commentLength);
      if (refusal) return refusal;
    }
  }
  return null;
}

/** What the update changed: known parts only, each written by whoever may, with the value its part expects. */
function changesRefusal(change: TrialChange, writer: Writer): string | null {
  for (const [type, keys] of change.changed) {
    const part = change.rootName(type);
    if (part === GRID_ROOTS.synthesis && type instanceof Y.Text) {
      if (keys.size !== 1 || !keys.has(null)) return GRID_REFUSALS.notText;
      const refusal = synthesisRefusal(type);
      if (refusal) return refusal;
      continue;
    }
    if (part === null || !MAPS.has(part) || !(type instanceof Y.Map)) return GRID_REFUSALS.unknownPart;
    for (const key of keys) {
      if (key === null) return GRID_REFUSALS.notText; // list content in a map
      const refusal = textRefusal(key, GRID_LIMITS.keyLength) ?? writerRefusal(part, key, writer);
      if (refusal) return refusal;
      const value = change.valueAfter(type, key);
      if (value === undefined) continue; // deleted (a key written before competences were checked may go too)
      const competenceId = part === GRID_ROOTS.assessment ? key.slice(writer.userId.length + 1) : key;
      if (!writer.vocabulary?.has(competenceId)) return GRID_REFUSALS.unknownCompetence;
      if (typeof value !== "string") return GRID_REFUSALS.notText;
      const limit = part === GRID_ROOTS.comment ? GRID_LIMITS.commentLength : GRID_LIMITS.resultLength;
      const valueRefusal = textRefusal(value, limit);
      if (valueRefusal) return valueRefusal;
      if (part !== GRID_ROOTS.comment && !writer.vocabulary.fits(competenceId, value)) return GRID_REFUSALS.offScale;
    }
  }
  return null;
}

function writerRefusal(part: string, key: string, writer: Writer): string | null {
  if (part === GRID_ROOTS.assessment) {
    if (!writer.rights.has(GRID_RIGHTS.score)) return GRID_REFUSALS.notScoring;
    if (!key.startsWith(`${writer.userId}|`)) return GRID_REFUSALS.notYours;
    return null;
  }
  return writer.rights.has(GRID_RIGHTS.decide) ? null : GRID_REFUSALS.notPresident;
}

/** The synthesis holds characters only (no embed, formatting or list item), up to its length limit. */
function synthesisRefusal(text: Y.Text): string | null {
  if (text.length > GRID_LIMITS.synthesisLength) return GRID_REFUSALS.tooLong;
  for (let item = text._start; item !== null; item = item.right) {
    if (!item.deleted && !(item.content instanceof Y.ContentString)) return GRID_REFUSALS.notText;
  }
  return null;
}

function textRefusal(text: string, limit: number): string | null {
  if (text.length > limit) return GRID_REFUSALS.tooLong;
  const code = forbiddenCharacter(text);
  if (code) return GRID_REFUSALS.character(code);
  const unprintable = unprintableCharacter(text);
  return unprintable ? GRID_REFUSALS.unprintable(unprintable) : null;
}
