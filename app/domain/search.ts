/**
 * Accent- and case-insensitive search without `unaccent` (absent from PGlite): every searchable row stores a
 * `searchKey` — its names lower-cased, diacritics and ligatures folded, punctuation turned into spaces — kept up to
 * date on write; a query is folded the same way and matched with `contains` on that column. « elodie » finds
 * « Élodie », « traore » finds « TRAORÉ », « oeuvre » finds « Œuvre ». The migration backfilling the column applies
 * the same rule in SQL.
 */

/** The folded form of a text: lower case, no diacritics, œ → oe, æ → ae, ß → ss, words separated by one space. */
export function foldForSearch(value: string | null | undefined): string {
  return (value ?? "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ł/g, "l")
    .replace(/đ/g, "d")
    .replace(/ø/g, "o")
    .replace(/ı/g, "i")
    .replace(/ħ/g, "h")
    .replace(/ŧ/g, "t")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** The stored key of a row from its searchable parts. */
export function searchKeyOf(...parts: Array<string | null | undefined>): string {
  return foldForSearch(parts.filter(Boolean).join(" "));
}

/** The words of a query, folded (at most `max`), each to be found in the key. */
export function searchTerms(query: string | null | undefined, max = 5): string[] {
  return foldForSearch(query).split(" ").filter(Boolean).slice(0, max);
}
