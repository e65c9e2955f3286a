/**
 * The page a list is asked for, from its `?page=` parameter: a whole number from 1 to MAX_PAGE, else page 1
 * (missing, negative, decimal, not a number). A number typed past MAX_PAGE reads MAX_PAGE, hence the list's last page
 * (each list shows its last page for a page past its end): `?page=1e308` or `?page=99999999999999999999` is an integer
 * to JavaScript, and its OFFSET, past what the database takes, was a 500.
 */
export const MAX_PAGE = 1_000_000;

export function askedPage(requested: number | undefined): number {
  if (requested === undefined || !Number.isInteger(requested) || requested < 1) return 1;
  return Math.min(requested, MAX_PAGE);
}
