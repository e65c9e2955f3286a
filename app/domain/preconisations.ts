/**
 * The jury's préconisations for one candidate: a co-edited Yjs text, document `preconisations:<sessionId>:<agendaItemId>`
 * (one root Y.Text named `preconisations`, text only; the server's schema is realtime/yjs/preconisations-schema.ts).
 * Who reads and who writes it, as a pure rule (no I/O): the server's resolver (app/live/sessions/access.server.ts)
 * feeds it the facts, the jury room shows the same reason.
 */
import type { DocumentAccess, SeatRole } from "./access";

/** The one root of the document (also read by the minutes and the decision sheet). */
export const PRECONISATIONS_TEXT = "preconisations";
export const PRECONISATIONS_MAX_LENGTH = 10_000;

const ID = /^[a-z0-9]{8,40}$/i;
const WRITERS: ReadonlySet<SeatRole> = new Set(["PRESIDENT", "VICE_PRESIDENT", "MEMBER"]);

export type PreconisationsRef = { sessionId: string; agendaItemId: string };

export function parsePreconisationsDocumentName(name: string): PreconisationsRef | null {
  const parts = name.split(":");
  if (parts.length !== 3 || parts[0] !== "preconisations") return null;
  const [, sessionId, agendaItemId] = parts;
  if (!ID.test(sessionId!) || !ID.test(agendaItemId!)) return null;
  return { sessionId: sessionId!, agendaItemId: agendaItemId! };
}

export type PreconisationsFacts = {
  /** The viewer's seat in the jury, or null. */
  role: SeatRole | null;
  /** Not seated, but the organisation's secretariat or administrator. */
  manages: boolean;
  sessionStatus: "PLANNED" | "OPEN" | "CLOSED";
  /** The candidate's phase in the jury. */
  phase: "PRESENTATION" | "DELIBERATION" | "DECISION";
  /** The jury's decision on this candidate is recorded. */
  decided: boolean;
  /** The document is sealed (e.g. by the decision sheet's signing). */
  sealed: boolean;
  /**
   * The decision sheet was sent back by a member's request for a change (« demander une modification ») and not
   * submitted again: the préconisations are what the change is for, and are written again until it is resubmitted.
   */
  reopened?: boolean;
  /** The member declared a conflict of interest for this candidate. */
  conflict: boolean;
  /**
   * Why the member is recused for this candidate (trainer, evaluator, declared conflict: jury-vote's `recusals`), or
   * null: a recused member takes no part for him, préconisations included.
   */
  recused?: string | null;
  /**
   * The member is marked present in the sitting (émargement: his last attendance event is an arrival). An absent or
   * departed member — represented by a proxy or not — takes no part in the deliberation, préconisations included.
   */
  present: boolean;
  /**
   * The member declared, for this candidate, that he has no link with him (or a conflict: then `conflict`). Before it he
   * takes no part in the deliberation on the candidate (docs/decisions/0020), préconisations included; a member
   * recused for a link Quorum knows needs none (he reads anyway).
   */
  declared: boolean;
};

/** The read-only reasons of a member who takes no part (yet) in the deliberation on this candidate (French). */
export const ABSENT_READ_ONLY =
  "Lecture seule : vous n'êtes pas présent à la séance (absent ou parti) : émargez votre arrivée (« J'arrive ») pour rédiger les préconisations.";
export const UNDECLARED_READ_ONLY =
  "Lecture seule : déclarez d'abord l'absence de lien avec ce candidat (« Je n'ai aucun lien avec ce candidat ») pour rédiger ses préconisations.";

/**
 * Seated voting members (president, vice-president, members) write while the session is in progress and the
 * candidate is in deliberation or decision, until the decision is recorded or the text sealed — and again while the
 * decision sheet is sent back for a change (`reopened`), whether or not the sitting still runs. They write on the same
 * conditions as they take part in the deliberation on the candidate: declared « no link » with him first, and present
 * in the sitting (not for a sheet sent back: the sitting may be over). A member recused for the candidate (a declared
 * conflict of interest, his trainer, his evaluator), one absent or not yet declared, observers and the secretary read;
 * the organisation's secretariat reads; anyone else: none.
 */
export function preconisationsAccess(facts: PreconisationsFacts): DocumentAccess {
  if (!facts.role) return facts.manages ? "read" : "none";
  return preconisationsReadOnlyReason(facts) === null ? "write" : "read";
}

/** Why this seat reads without writing (French), or null when it writes. */
export function preconisationsReadOnlyReason(facts: Omit<PreconisationsFacts, "manages">): string | null {
  if (facts.sealed) return "Décision rendue : les préconisations ne se modifient plus.";
  if (facts.decided && !facts.reopened) return "Décision rendue : les préconisations ne se modifient plus.";
  if (!facts.role || !WRITERS.has(facts.role)) return "Lecture seule : seuls les membres votants du jury rédigent les préconisations.";
  if (facts.conflict) return "Lecture seule : vous avez déclaré un conflit d'intérêts pour ce candidat.";
  if (facts.recused) return `Lecture seule : vous êtes récusé pour ce candidat (${facts.recused.toLowerCase()}).`;
  if (!facts.declared) return UNDECLARED_READ_ONLY;
  // Sent back for a change: the sheet is what is being corrected, after the sitting if need be.
  if (facts.decided && facts.reopened) return null;
  if (facts.sessionStatus === "PLANNED") return "La séance n'est pas encore ouverte.";
  if (facts.sessionStatus === "CLOSED") return "La séance est close.";
  if (facts.phase === "PRESENTATION") return "Les préconisations se rédigent pendant la délibération et la décision.";
  if (!facts.present) return ABSENT_READ_ONLY;
  return null;
}
