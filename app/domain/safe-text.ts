/**
 * Characters refused in names, file names and texts typed in the back office or uploaded: control characters
 * (a NUL breaks PostgreSQL, others garble PDFs; C1 included) and the bidirectional controls that make
 * « facture‮exe.pdf » display as « facturefdp.exe » (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C). Tab and
 * line breaks are allowed in multi-line texts only. One refinement, shared by every form schema and command
 * (`safeText`, `freeText`, `hasUnsafeCharacters`).
 */
import { z } from "zod";

// eslint-disable-next-line no-control-regex
const UNSAFE_SINGLE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const UNSAFE_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export const UNSAFE_TEXT_MESSAGE =
  "Caractères invisibles ou de contrôle refusés (par exemple un inverseur de sens d'écriture) : retapez le texte.";

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
 * unsafe characters refused; with `min`, at least that many (`tooShort`). Every refusal is a French message for the
 * field. Commands that read a text outside a form schema check it with `hasUnsafeCharacters` and refuse it at its
 * field with `UNSAFE_TEXT_MESSAGE` (`AppError.field`).
 */
export function freeText(options: { max: number; tooLong?: string; min?: number; tooShort?: string; multiline?: boolean }) {
  const trimmed = z.string().trim();
  const long = options.tooLong ?? `${options.max} caractères au plus.`;
  const bounded = options.min ? trimmed.min(options.min, options.tooShort ?? "Ce champ est vide.").max(options.max, long) : trimmed.max(options.max, long);
  return bounded.refine(...safeText({ multiline: options.multiline }));
}

/**
 * Realtime documents (grids, syntheses): C0 controls except tab, line feed and carriage return, DEL (PostgreSQL
 * refuses NUL in text), and bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_IN_DOCUMENTS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

/** The first forbidden character of `text` as « U+XXXX », or null when there is none. */
export function forbiddenCharacter(text: string): string | null {
  const match = FORBIDDEN_IN_DOCUMENTS.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : null;
}
