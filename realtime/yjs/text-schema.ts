/**
 * The schema of a document that is one co-edited text (./schema enforces it on every update): the préconisations
 * (./preconisations-schema.ts) and the minutes' remarks (./minutes-schema.ts).
 *
 * - One root, the named Y.Text; nothing else (no map, array, second text).
 * - Text only: characters, no embed, formatting or nested type.
 * - At most `maxLength` characters; no control character (NUL…) nor bidirectional override (app/domain/safe-text.ts);
 *   only characters the signed PDF can print (app/domain/pdf-printable.ts).
 *
 * Who writes comes from the access grant (read-only connections never reach the schema).
 */
import * as Y from "yjs";
import { unprintableCharacter } from "~/domain/pdf-printable";
import { forbiddenCharacter } from "~/domain/safe-text";
import type { DocumentSchema, TrialChange } from "./schema";

export type TextRefusals = {
  unknownPart: string;
  notText: string;
  tooLong: string;
  character: (code: string) => string;
  /** A character the signed PDF cannot print (app/domain/pdf-printable.ts), as « 🙂 » (U+1F642). */
  unprintable: (character: string) => string;
};

export function singleTextSchema({ root, maxLength, refusals }: { root: string; maxLength: number; refusals: TextRefusals }): DocumentSchema {
  /** What the update carries: characters only, without forbidden ones, no longer than the whole text may be. */
  const contentRefusal = (change: TrialChange): string | null => {
    for (const struct of change.structs) {
      if (!(struct instanceof Y.Item)) continue;
      const content = struct.content;
      if (content instanceof Y.ContentDeleted) continue;
      if (!(content instanceof Y.ContentString)) return refusals.notText;
      if (content.str.length > maxLength) return refusals.tooLong;
      const code = forbiddenCharacter(content.str);
      if (code) return refusals.character(code);
      const unprintable = unprintableCharacter(content.str);
      if (unprintable) return refusals.unprintable(unprintable);
    }
    return null;
  };
  /** What the update changed: the one text, still characters only and within its length. */
  const changesRefusal = (change: TrialChange): string | null => {
    for (const [type, keys] of change.changed) {
      if (change.rootName(type) !== root || !(type instanceof Y.Text)) return refusals.unknownPart;
      if (keys.size !== 1 || !keys.has(null)) return refusals.notText;
      if (type.length > maxLength) return refusals.tooLong;
      for (let item = type._start; item !== null; item = item.right) {
        if (!item.deleted && !(item.content instanceof Y.ContentString)) return refusals.notText;
      }
    }
    return null;
  };
  return {
    prepare(doc) {
      doc.getText(root);
    },
    check(change) {
      return changesRefusal(change) ?? contentRefusal(change);
    },
  };
}
