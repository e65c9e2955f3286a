/**
 * What a member's input into a co-edited text (the synthesis, the préconisations, the minutes' remarks) becomes before
 * it reaches the shared document, checked as the server's schema checks it (realtime/yjs/text-schema.ts,
 * grid-schema.ts): an input holding a control or bidirectional character is refused; one that would take the text over
 * its limit is refused (the server refused it whole, and its client rebuilt the editor from the server's state: the
 * paste, the words typed after it and the focus were lost); the characters the signed PDF cannot print (an emoji) are
 * left out and named, the rest kept. Pure: the editor (app/components/live/synthesis-editor.tsx) applies the verdict.
 */
import { keepPrintable } from "./pdf-printable";
import { forbiddenCharacter } from "./safe-text";

export type InsertedText = { from: number; to: number; text: string };

export type InputVerdict =
  | { kind: "refused"; message: string }
  /** `inserted` as kept (unprintable characters left out); `message` names them, null when nothing was left out. */
  | { kind: "kept"; inserted: InsertedText[]; changed: boolean; message: string | null };

const formatCount = (n: number) => n.toLocaleString("fr-FR");

/** `lengthBefore`: the text's length before the input; `maxLength`: the document's limit for it (its schema's). */
export function coEditedInput(inserted: InsertedText[], lengthBefore: number, maxLength: number): InputVerdict {
  const forbidden = inserted.map((i) => forbiddenCharacter(i.text)).find((code) => code !== null);
  if (forbidden) return { kind: "refused", message: `Modification refusée : caractère interdit (${forbidden}).` };
  const kept = inserted.map((i) => ({ ...i, ...keepPrintable(i.text) }));
  const lengthAfter = kept.reduce((length, k) => length - (k.to - k.from) + k.text.length, lengthBefore);
  // A text already over its limit (written before the limit existed) may still be shortened.
  if (lengthAfter > maxLength && lengthAfter > lengthBefore) {
    return {
      kind: "refused",
      message: `Non saisi : ce texte ne peut dépasser ${formatCount(maxLength)} caractères (il en compterait ${formatCount(lengthAfter)}). Raccourcissez ce que vous ajoutez.`,
    };
  }
  const removed = [...new Set(kept.flatMap((k) => k.removed))];
  const result = kept.map(({ from, to, text }) => ({ from, to, text }));
  if (removed.length === 0) return { kind: "kept", inserted: result, changed: false, message: null };
  return {
    kind: "kept",
    inserted: result,
    changed: true,
    message: `${removed.join(", ")} non saisi${removed.length > 1 ? "s" : ""} : le document signé ne peut pas imprimer ${removed.length > 1 ? "ces caractères" : "ce caractère"} (sa police ne l'a pas).`,
  };
}
