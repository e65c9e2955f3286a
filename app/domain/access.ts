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

/** What bars a scoring member from evaluating a candidate: training him, or a conflict of interest declared with him. */
export type EvaluationBarFacts = {
  /** The member is the candidate's trainer. */
  trainsCandidate: boolean;
  /** The member declared, before one of the organisation's juries, a conflict of interest with the candidate. */
  declaredConflict: boolean;
};

/**
 * Whether a scoring member may not evaluate the candidate (score his grid), and why: his trainer, or a member who
 * declared a conflict of interest with him — whatever came first, his « aucun conflit d'intérêts » at the commission
 * or the conflict declared before a jury. The one rule behind the grid's write access (`documentAccessForSeat`, the
 * realtime authorization), the commission's declaration (`noConflictDeclarationRefusal`) and the live room's reason
 * (`gridReadOnlyReason`).
 */
export function evaluationBar(facts: EvaluationBarFacts): "trainer" | "conflict" | null {
  if (facts.trainsCandidate) return "trainer";
  return facts.declaredConflict ? "conflict" : null;
}

/**
 * A seated member reads the grid; they write it only when they score, have declared the absence of conflict of
 * interest for this candidate, nothing bars them from evaluating him (`evaluationBar`), and the grid is not sealed.
 */
export function documentAccessForSeat(
  role: SeatRole | null,
  state: { sealed: boolean; declaredNoConflict: boolean } & EvaluationBarFacts,
): DocumentAccess {
  if (!role) return "none";
  if (state.sealed || !canScore(role) || !state.declaredNoConflict || evaluationBar(state) !== null) return "read";
  return "write";
}

/** Why a scoring member reads a candidate's grid without writing it, for the live page; null when nothing bars them. */
export function gridReadOnlyReason(facts: EvaluationBarFacts): string | null {
  switch (evaluationBar(facts)) {
    case "trainer":
      return "Lecture seule : vous êtes le formateur ou la formatrice de ce candidat. Vous ne pouvez ni l'évaluer ni signer sa grille.";
    case "conflict":
      return "Lecture seule : vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury. Vous ne pouvez pas l'évaluer.";
    default:
      return null;
  }
}

/**
 * Why a signer of a candidate's commission grid may not sign it, or null: signing attests the evaluation, which
 * `evaluationBar` forbids him — his trainer, or a member who declared before a jury a conflict of interest with the
 * candidate, even after his « aucun conflit d'intérêts » at the commission and his scoring. Said by the signing command
 * (which adds that nothing was signed) and by the signing panel instead of its form.
 */
export function gridSigningRefusal(facts: EvaluationBarFacts): string | null {
  switch (evaluationBar(facts)) {
    case "trainer":
      return "Vous êtes le formateur ou la formatrice de ce candidat : vous ne pouvez pas signer sa grille d'évaluation.";
    case "conflict":
      return "Vous avez déclaré un conflit d'intérêts avec ce candidat devant un jury : vous ne pouvez plus signer sa grille d'évaluation. L'organisme peut constater votre empêchement de signer.";
    default:
      return null;
  }
}

/** Why « aucun conflit d'intérêts » is refused to a member for a candidate (nothing recorded), or null. */
export function noConflictDeclarationRefusal(facts: EvaluationBarFacts): string | null {
  switch (evaluationBar(facts)) {
    case "trainer":
      return "Vous êtes le formateur de ce candidat : vous ne pouvez pas l'évaluer.";
    case "conflict":
      return "Vous avez déclaré un conflit d'intérêts avec ce candidat : vous ne pouvez pas l'évaluer. Rien n'a été enregistré.";
    default:
      return null;
  }
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
