/**
 * Who may read or write a live session's documents and rooms. Pure rules, no I/O.
 */
import type { OrgRole } from "./permissions";

export type SeatRole = "PRESIDENT" | "VICE_PRESIDENT" | "MEMBER" | "OBSERVER" | "SECRETARY";
export type DocumentAccess = "none" | "read" | "write";

/** Seats that score and sign; the others follow the session read-only. */
const SCORING_SEATS: ReadonlySet<SeatRole> = new Set(["PRESIDENT", "VICE_PRESIDENT", "MEMBER"]);

/**
 * Who reads a session at all (its pages, downloads, signing commands, events and live documents): someone seated in
 * it who is still a member of the session's organisation, or that organisation's secretariat or administration
 * without a seat. A person removed from the organisation keeps the seats of its closed sessions on record (the
 * procès-verbal names them), not the access they gave: their sign-in, through another organisation, opens none of
 * them. `organisationRole`: the person's role in the session's organisation, null when not (or no longer) a member.
 * Null: not a reader (the caller's « introuvable »); otherwise the seat that counts, and whether they manage.
 */
export function sessionReader<S>(seat: S | null, organisationRole: OrgRole | null): { seat: S | null; manages: boolean } | null {
  if (organisationRole === null) return null;
  const manages = organisationRole === "ADMIN" || organisationRole === "SECRETARIAT";
  return seat !== null || manages ? { seat, manages } : null;
}

/**
 * Why someone seated in a session may not download one of the candidate's pieces, or null when they may: an observer
 * gets no identity document unless the scheme allows it. The download routes refuse with this text, and the rooms show
 * the piece's name with it instead of a link that would lead to the refusal.
 */
export function evidenceDownloadRefusal(
  seatRole: SeatRole | null,
  evidenceKind: string,
  scheme: { observersMayDownloadIdentity: boolean },
): string | null {
  return seatRole === "OBSERVER" && evidenceKind === "IDENTITY" && !scheme.observersMayDownloadIdentity
    ? "Les observateurs ne peuvent pas télécharger les pièces d'identité du candidat."
    : null;
}

export function canScore(role: SeatRole): boolean {
  return SCORING_SEATS.has(role);
}

/**
 * A seated member reads the grid; they write it only when they score, have declared the absence of conflict of
 * interest for this candidate, did not train the candidate, and the grid is not sealed.
 */
export function documentAccessForSeat(
  role: SeatRole | null,
  state: { sealed: boolean; declaredNoConflict: boolean; trainsCandidate?: boolean },
): DocumentAccess {
  if (!role) return "none";
  if (state.sealed || !canScore(role) || !state.declaredNoConflict || state.trainsCandidate) return "read";
  return "write";
}

/** Why a scoring member reads a candidate's grid without writing it, for the live page; null when nothing bars them. */
export function gridReadOnlyReason(state: { trainsCandidate: boolean; declaredConflict?: boolean }): string | null {
  if (state.trainsCandidate) {
    return "Lecture seule : vous êtes le formateur ou la formatrice de ce candidat. Vous ne pouvez ni l'évaluer ni signer sa grille.";
  }
  return state.declaredConflict
    ? "Lecture seule : vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury. Vous ne pouvez pas l'évaluer."
    : null;
}

/**
 * Rights within a writable grid, checked by the server on every update (realtime/yjs/grid-schema.ts):
 * - `score`: write one's own assessments (`<userId>|<competenceId>`);
 * - `decide`: write the commission's consolidated result and comment (the president).
 * Neither is given during « Accueil »: nobody scores before the evaluation starts. The synthesis needs only write access.
 */
export const GRID_RIGHTS = { score: "score", decide: "decide" } as const;

export function gridRights(role: SeatRole, phase: string): string[] {
  if (phase === "ACCUEIL" || !canScore(role)) return [];
  return role === "PRESIDENT" ? [GRID_RIGHTS.score, GRID_RIGHTS.decide] : [GRID_RIGHTS.score];
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
