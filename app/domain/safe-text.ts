/**
 * Characters refused in names, file names and texts typed in the back office or uploaded, and in the co-edited
 * documents (grids, syntheses, préconisations, minutes' remarks: realtime/yjs/*-schema.ts): one list for both.
 * - Control characters: a NUL breaks PostgreSQL, others garble PDFs; C1 included. Tab and line breaks are allowed in
 *   multi-line texts (and documents) only.
 * - Bidirectional controls, which make « facture‮exe.pdf » display as « facturefdp.exe »: U+202A–U+202E,
 *   U+2066–U+2069, the marks U+200E/U+200F and the Arabic letter mark U+061C.
 * - Invisible characters no written text needs, which hide inside a word (« ad\u200Bmis » looks like « admis » but
 *   is not found by a search for it, nor equal to it): the zero-width space U+200B, the word joiner and invisible
 *   operators U+2060–U+2064, the deprecated format controls U+206A–U+206F, the zero-width no-break space (BOM)
 *   U+FEFF.
 * Kept: the joiners U+200C/U+200D (emoji sequences such as 👩‍💻 and some scripts need them; they reorder nothing),
 * the no-break spaces U+00A0 and U+202F French typography puts before « : ; ! ? » and inside « », the soft hyphen.
 * `freeText`, `printableText`, `textRefusal` for the texts a PDF or an XML prints; `safeText`, `hasUnsafeCharacters` for
 * the others (search terms, file names); `forbiddenCharacter` for documents.
 */
import { z } from "zod";
import { unprintableCharacter } from "./pdf-printable";

const BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069";
const INVISIBLE = "\u200b\u2060-\u2064\u206a-\u206f\ufeff";
const UNSAFE_SINGLE_LINE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI_CONTROLS}${INVISIBLE}]`);
const UNSAFE_MULTI_LINE = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f${BIDI_CONTROLS}${INVISIBLE}]`);

export const UNSAFE_TEXT_MESSAGE =
  "Caractères invisibles ou de contrôle refusés (par exemple un inverseur de sens d'écriture) : retapez le texte.";

/** A line break in a text printed on one line (a code, a title, a name, a place). */
export const LINE_BREAK_MESSAGE = "Ce texte tient sur une ligne : retirez le retour à la ligne.";

export function hasUnsafeCharacters(value: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE).test(value);
}

/** `.refine(...safeText())` on a string schema: the French field error when an unsafe character is present. */
export function safeText(options: { multiline?: boolean } = {}) {
  return [(value: string | undefined) => value === undefined || !hasUnsafeCharacters(value, options), UNSAFE_TEXT_MESSAGE] as const;
}

/** A single-line text schema refusing unsafe characters. */
export const safeLine = () => z.string().refine(...safeText());

/**
 * A free text typed in a form or a command (a reason, a remark, a place, a label): trimmed, at most `max` characters,
 * unsafe characters refused, and characters the sealed PDFs cannot print (an emoji, an ideogram: empty boxes there); with `min`, at least that many (`tooShort`). Every refusal is a French message for the
 * field. Commands that read a text outside a form schema check it with `hasUnsafeCharacters` and refuse it at its
 * field with `UNSAFE_TEXT_MESSAGE` (`AppError.field`).
 */
export function freeText(options: { max: number; tooLong?: string; min?: number; tooShort?: string; multiline?: boolean }) {
  const trimmed = z.string().trim();
  const long = options.tooLong ?? `${options.max} caractères au plus.`;
  const bounded = options.min ? trimmed.min(options.min, options.tooShort ?? "Ce champ est vide.").max(options.max, long) : trimmed.max(options.max, long);
  return bounded.superRefine(printableText({ multiline: options.multiline }));
}

/**
 * Why a text typed in a form or a command cannot be kept when a sealed PDF or the Caisse des Dépôts' XML may print
 * it (a member's name, a session's title or place, an appeal's grounds, a jury's remark…), as the French message for
 * its field: an unsafe character (the list above; a line break when not `multiline`), or one the PDFs' fonts do not
 * have (an emoji, an ideogram: an empty box in the signed document). Null when it may be kept. Commands that read a
 * text outside a form schema throw it with `AppError.field`.
 */
export function textRefusal(value: string, options: { multiline?: boolean } = {}): string | null {
  if (!options.multiline && /[\r\n]/.test(value)) return LINE_BREAK_MESSAGE;
  if (hasUnsafeCharacters(value, options)) return UNSAFE_TEXT_MESSAGE;
  const character = unprintableCharacter(value.replace(/[\t\r\n]/g, ""));
  return character ? unprintableTextMessage(character) : null;
}

/** `.superRefine(printableText())` on a string schema: `textRefusal` as the field's error. */
export function printableText(options: { multiline?: boolean } = {}) {
  return (value: string | undefined, ctx: z.RefinementCtx) => {
    if (value === undefined) return;
    const message = textRefusal(value, options);
    if (message) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  };
}

/** A character the sealed PDFs' fonts do not have (app/domain/pdf-printable.ts), refused in the texts they print. */
export const unprintableTextMessage = (character: string) =>
  `Le caractère ${character} ne peut pas figurer dans les documents signés (leur police ne l'a pas) : retirez-le.`;

/**
 * The first character of a co-edited document's `text` refused by the list above (as in a multi-line text: tab and
 * line breaks allowed) as « U+XXXX », or null when there is none.
 */
export function forbiddenCharacter(text: string): string | null {
  const match = UNSAFE_MULTI_LINE.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : null;
}

const INVISIBLE_ALL = new RegExp(`[${INVISIBLE}]`, "g");

/**
 * `text` without the invisible characters above (zero-width space, word joiner, BOM…): what a pasted text keeps when
 * it reaches a co-edited document. Text copied from a web page or a word processor often carries them, and the
 * document refuses them as a whole edit; dropped silently, they change nothing a reader sees. Bidirectional
 * controls are not removed: they change what is read, and stay refused visibly.
 */
export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE_ALL, "");
}

/** French names of the characters a reader cannot see, said when one is refused (a code that looks right but is not). */
const HIDDEN_NAMES: ReadonlyArray<[RegExp, string]> = [
  [/\u00a0/, "espace insécable"],
  [/\u202f/, "espace fine insécable"],
  [/\u00ad/, "trait d'union conditionnel"],
  [/\u200b/, "espace sans chasse"],
  [/\u200c/, "antiliant sans chasse"],
  [/\u200d/, "liant sans chasse"],
  [/\u2060/, "gluon de mots"],
  [/[\u2061-\u2064]/, "opérateur invisible"],
  [/[\u206a-\u206f]/, "caractère de mise en forme désuet"],
  [/\ufeff/, "indicateur d'ordre des octets (BOM)"],
  [/[\u061c\u200e\u200f]/, "marque de sens d'écriture"],
  [/[\u202a-\u202e\u2066-\u2069]/, "inverseur de sens d'écriture"],
  [/\t/, "tabulation"],
  [/[\r\n\u2028\u2029]/, "retour à la ligne"],
  // eslint-disable-next-line no-control-regex -- the control characters, named
  [/[\u0000-\u001f\u007f-\u009f]/, "caractère de contrôle"],
];
// eslint-disable-next-line no-control-regex -- the characters named above, found to be named
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00a0\u00ad\u061c\u200b-\u200f\u2028-\u202f\u2060-\u2064\u2066-\u206f\ufeff]/;

/** « espace sans chasse, U+200B »: a hidden character as a secretariat can look it up. */
export function hiddenCharacterLabel(character: string): string {
  const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = HIDDEN_NAMES.find(([pattern]) => pattern.test(character))?.[1] ?? "caractère invisible";
  return `${name}, ${code}`;
}

/**
 * Where the first character of `value` no one can see is (a zero-width space, a no-break space, a BOM, a
 * bidirectional or control character…), said in French with the visible text around it: « caractère invisible
 * (espace sans chasse, U+200B) après « RNCP38544 » », « … au début, avant « RNCP38544 » ». Null when there is
 * none. A code refused because of one would otherwise be quoted back looking exactly like the one expected.
 * `multiline`: the first character a text refuses instead (`hasUnsafeCharacters`: the no-break spaces of French
 * typography, tabs and line breaks are kept there, so not named).
 */
export function hiddenCharacterNote(value: string, options: { text?: boolean; multiline?: boolean } = {}): string | null {
  const match = (options.text ? (options.multiline ? UNSAFE_MULTI_LINE : UNSAFE_SINGLE_LINE) : HIDDEN).exec(value);
  if (!match) return null;
  // The text around it as it reads: spaces of any kind as spaces, what has no width dropped.
  const visible = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, " ").replace(new RegExp(HIDDEN.source, "g"), "").trim();
  const shorten = (text: string, fromEnd: boolean) => (text.length <= 30 ? text : fromEnd ? `…${text.slice(-30)}` : `${text.slice(0, 30)}…`);
  const before = visible(value.slice(0, match.index));
  const after = visible(value.slice(match.index + match[0].length));
  const place = before !== "" ? `après « ${shorten(before, true)} »` : after !== "" ? `au début, avant « ${shorten(after, false)} »` : "seul";
  // A line break or a tab is not invisible, only unexpected where it is.
  const what = /[\t\r\n\u2028\u2029]/.test(match[0])
    ? hiddenCharacterLabel(match[0]).replace(/, (U\+\w+)$/, " ($1)")
    : `caractère invisible (${hiddenCharacterLabel(match[0])})`;
  return `${what} ${place}`;
}

/**
 * A value taken from the address (an unknown filter, a page) as a page may quote it back: without the characters
 * refused above (a bidi control would reorder the sentence around it), at most `max` characters.
 */
export function shownValue(value: string, max = 40): string {
  const visible = value.replace(new RegExp(UNSAFE_SINGLE_LINE.source, "g"), "");
  return visible.length > max ? `${visible.slice(0, max)}…` : visible;
}

/**
 * What a list says of a filter in its address it does not know (an old bookmark, an edited address), above the list it
 * shows instead: never a silent list of everything, nor a silent empty one. `what`: « toutes les sessions sont affichées ».
 */
export function unknownFilterNotice(value: string, what: string, name: "filtre" | "statut" | "type de document" | "décision" = "filtre"): string {
  const article = name === "décision" ? "La" : "Le";
  return `${article} ${name} « ${shownValue(value)} » ${name === "décision" ? "demandée" : "demandé"} n'est pas reconnu${name === "décision" ? "e" : ""} : ${what}.`;
}

/**
 * What a list says to a person sent to one of its filters that is not for them (a member following the secretariat's
 * link, an old bookmark from another role): that list exists and whose it is — not that it is unknown — and what is
 * shown instead. `what`: « vos sessions sont affichées ».
 */
export function reservedListNotice(label: string, what: string): string {
  return `La liste « ${label} » est celle du secrétariat : ${what}.`;
}
