/**
 * What counts as a motive wherever the jury room requires one (a decision that departs from the commission or that
 * the commission left pending, an ajournement, going back on a consensus, the jury's ruling on an appeal, its remark
 * on a non-conformity, a change asked of a fiche de décision): words, not a sign. « . », « - », « ok » or « ?? » say
 * nothing the minutes could report; a motive has at least MOTIVE_MIN_LETTERS letters (any script, accented or not).
 * Pure, no I/O.
 */

export const MOTIVE_MIN_LETTERS = 3;

/** The tail of every « too short » refusal: what a motive needs. */
export const MOTIVE_TOO_SHORT = `un motif s'écrit en quelques mots (au moins ${MOTIVE_MIN_LETTERS} lettres)`;

/** How many letters `value` holds (\p{L}: « é », « ß », « ж » count; digits, signs and spaces do not). */
export function letterCount(value: string): number {
  return value.match(/\p{L}/gu)?.length ?? 0;
}

/**
 * Whether a required motive is missing (nothing visible: spaces and invisible format characters do not make one),
 * too short (fewer than MOTIVE_MIN_LETTERS letters), or fine (null).
 */
export function motiveProblem(value: string | null | undefined): "missing" | "short" | null {
  const visible = (value ?? "").replace(/[\p{Cf}\p{Z}\s]/gu, "");
  if (visible === "") return "missing";
  return letterCount(visible) < MOTIVE_MIN_LETTERS ? "short" : null;
}
