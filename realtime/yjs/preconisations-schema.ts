/**
 * The préconisations' schema, enforced on every update (./schema) of a `preconisations:<sessionId>:<agendaItemId>`
 * document (app/domain/preconisations.ts):
 *
 * - One root, the Y.Text `preconisations`; nothing else (no map, array, second text).
 * - Text only: characters, no embed, formatting or nested type.
 * - At most 10,000 characters; no control character (NUL…) nor bidirectional override (app/domain/safe-text.ts).
 *
 * Who writes comes from the access grant (read-only connections never reach the schema).
 */
import * as Y from "yjs";
import { PRECONISATIONS_MAX_LENGTH, PRECONISATIONS_TEXT } from "~/domain/preconisations";
import { forbiddenCharacter } from "~/domain/safe-text";
import type { DocumentSchema, TrialChange } from "./schema";

export const PRECONISATIONS_REFUSALS = {
  unknownPart: "Modification refusée : ce document ne contient que le texte des préconisations.",
  notText: "Modification refusée : les préconisations n'acceptent que du texte.",
  tooLong: `Modification refusée : les préconisations ne peuvent dépasser ${PRECONISATIONS_MAX_LENGTH.toLocaleString("fr-FR")} caractères.`,
  character: (code: string) => `Modification refusée : caractère interdit (${code}).`,
} as const;

export const preconisationsSchema: DocumentSchema = {
  prepare(doc) {
    doc.getText(PRECONISATIONS_TEXT);
  },
  check(change) {
    return changesRefusal(change) ?? contentRefusal(change);
  },
};

/** What the update carries: characters only, without forbidden ones, no longer than the whole text may be. */
function contentRefusal(change: TrialChange): string | null {
  for (const struct of change.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentDeleted) continue;
    if (!(content instanceof Y.ContentString)) return PRECONISATIONS_REFUSALS.notText;
    if (content.str.length > PRECONISATIONS_MAX_LENGTH) return PRECONISATIONS_REFUSALS.tooLong;
    const code = forbiddenCharacter(content.str);
    if (code) return PRECONISATIONS_REFUSALS.character(code);
  }
  return null;
}

/** What the update changed: the one text, still characters only and within its length. */
function changesRefusal(change: TrialChange): string | null {
  for (const [type, keys] of change.changed) {
    if (change.rootName(type) !== PRECONISATIONS_TEXT || !(type instanceof Y.Text)) return PRECONISATIONS_REFUSALS.unknownPart;
    if (keys.size !== 1 || !keys.has(null)) return PRECONISATIONS_REFUSALS.notText;
    if (type.length > PRECONISATIONS_MAX_LENGTH) return PRECONISATIONS_REFUSALS.tooLong;
    for (let item = type._start; item !== null; item = item.right) {
      if (!item.deleted && !(item.content instanceof Y.ContentString)) return PRECONISATIONS_REFUSALS.notText;
    }
  }
  return null;
}
