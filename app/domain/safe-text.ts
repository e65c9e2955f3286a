/**
 * Characters refused in user text that ends up signed, stored in PostgreSQL or shown to others. Pure.
 * - C0 controls except tab, line feed and carriage return, and DEL (PostgreSQL refuses NUL in text);
 * - bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make text display as something else.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

/** The first forbidden character of `text` as « U+XXXX », or null when there is none. */
export function forbiddenCharacter(text: string): string | null {
  const match = FORBIDDEN.exec(text);
  return match ? `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}` : null;
}
