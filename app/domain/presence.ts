/**
 * Presence colours: one per seat of a session, distinct for every seat (two members never share a colour — a cursor
 * label is only as reliable as its colour: the synthesis editor reuses a caret whose colour did not change). Pure.
 */

/** Eight hand-picked colours, readable with white text, then golden-angle hues for larger sessions. */
const PALETTE = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed", "#b45309", "#0e7490", "#be185d", "#4d7c0f"];

/** The colour of the seat ranked `rank` (0-based) in its session, as `#rrggbb`. */
export function seatColor(rank: number): string {
  const index = Number.isSafeInteger(rank) && rank >= 0 ? rank : 0;
  if (index < PALETTE.length) return PALETTE[index];
  const hue = ((index - PALETTE.length) * 137.508 + 17) % 360;
  return hslToHex(hue, 0.65, 0.36 + ((index >> 3) % 3) * 0.04);
}

/** A colour received from elsewhere, accepted only as `#rrggbb`; else null. */
export function safeColor(value: unknown): string | null {
  return typeof value === "string" && /^#[0-9a-fA-F]{6}$/.test(value) ? value : null;
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
