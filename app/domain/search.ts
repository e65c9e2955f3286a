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

const FILE_NAME_SLUG_MAX = 60;

/**
 * A person's name as it goes into a document's file name (« fiche-de-decision-<slug>.pdf »): folded as above, words
 * joined by hyphens, at most 60 characters cut at a word. « LŒUILLET-ÆBY Łukasz » → « loeuillet-aeby-lukasz »: a
 * letter without an ASCII decomposition (Œ, Æ, Ł, Ø) was dropped (« l-uillet--by »), and a civil name of a hundred
 * letters made a file name longer than some systems save. `fallback` when nothing is left.
 */
export function fileNameSlug(value: string, fallback: string): string {
  const words = foldForSearch(value).split(" ").filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > FILE_NAME_SLUG_MAX) {
      if (!slug) slug = word.slice(0, FILE_NAME_SLUG_MAX);
      break;
    }
    slug = next;
  }
  return slug || fallback;
}

/** The stored key of a row from its searchable parts. */
export function searchKeyOf(...parts: Array<string | null | undefined>): string {
  return foldForSearch(parts.filter(Boolean).join(" "));
}

/** The words of a query, folded (at most `max`), each to be found in the key. */
export function searchTerms(query: string | null | undefined, max = 5): string[] {
  return foldForSearch(query).split(" ").filter(Boolean).slice(0, max);
}
