/**
 * Who may read or write a live session's documents and rooms. Pure rules, no I/O.
 */
export type SeatRole = "PRESIDENT" | "VICE_PRESIDENT" | "MEMBER" | "OBSERVER" | "SECRETARY";
export type DocumentAccess = "none" | "read" | "write";

/** Seats that score and sign; the others follow the session read-only. */
const SCORING_SEATS: ReadonlySet<SeatRole> = new Set(["PRESIDENT", "VICE_PRESIDENT", "MEMBER"]);

export function canScore(role: SeatRole): boolean {
  return SCORING_SEATS.has(role);
}

/**
 * A seated member reads the grid; they write it only when they score, have declared the absence of conflict of
 * interest for this candidate, and the grid is not sealed.
 */
export function documentAccessForSeat(
  role: SeatRole | null,
  state: { sealed: boolean; declaredNoConflict: boolean },
): DocumentAccess {
  if (!role) return "none";
  if (state.sealed || !canScore(role) || !state.declaredNoConflict) return "read";
  return "write";
}

export const SEAT_LABELS: Record<SeatRole, string> = {
  PRESIDENT: "Président(e)",
  VICE_PRESIDENT: "Vice-président(e)",
  MEMBER: "Membre",
  OBSERVER: "Observateur·rice",
  SECRETARY: "Secrétaire de séance",
};

/** Collaborative documents are named `<kind>:<sessionId>:<subjectId>`; today only grids (subject = slot). */
export type DocumentRef = { kind: "grid"; sessionId: string; slotId: string };

const ID = /^[a-z0-9]{8,40}$/i;

export function gridDocumentName(sessionId: string, slotId: string): string {
  return `grid:${sessionId}:${slotId}`;
}

export function parseDocumentName(name: string): DocumentRef | null {
  const parts = name.split(":");
  if (parts.length !== 3 || parts[0] !== "grid") return null;
  const [, sessionId, slotId] = parts;
  if (!ID.test(sessionId) || !ID.test(slotId)) return null;
  return { kind: "grid", sessionId, slotId };
}
