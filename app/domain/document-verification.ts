/**
 * What the public verification page (/verifier/<code>) says of an issued document that is not a delivery record: a
 * decision notice letter or a fiche de décision (docs/decisions/0029). Only what the document itself prints: its
 * kind, the certification, its date, the candidate's name as printed, and whether a newer version replaces it. Pure.
 */

export type VerifiedDocumentKind = "NOTICE" | "DECISION_SHEET";

export const VERIFIED_DOCUMENT_LABELS: Record<VerifiedDocumentKind, string> = {
  NOTICE: "Lettre de notification de la décision du jury",
  DECISION_SHEET: "Fiche de décision du jury",
};

/** Why a newer version replaces the document: a letter re-issued (to the candidate's address), or a decision revised on appeal. */
export type DocumentReplacementCause = "reissue" | "appeal";

/** The newer version: its kind, the day it was issued (the revision's, when none was issued yet), and its code if it has one. */
export type DocumentReplacement = {
  kind: VerifiedDocumentKind;
  on: Date;
  verificationCode: string | null;
  cause: DocumentReplacementCause;
};

export function documentHeadline(replaced: boolean): { label: string; valid: boolean } {
  return replaced ? { label: "Remplacé par une version plus récente", valid: false } : { label: "Valide", valid: true };
}

/**
 * What the page says of a replaced document, in three parts so that the reference can link to the newer version's
 * own page (`reference` is null when it has no page: a decision revised on appeal whose letter or sheet is not out
 * yet). `replacedOn` is the day already written in French.
 */
export function documentReplacedNotice(
  document: VerifiedDocumentKind,
  replacement: Pick<DocumentReplacement, "kind" | "verificationCode" | "cause">,
  replacedOn: string,
): { lead: string; reference: string | null; tail: string } {
  const subject = document === "NOTICE" ? "Cette lettre a été remplacée" : "Cette fiche de décision a été remplacée";
  const over = " : elle n'est plus en vigueur.";
  if (replacement.cause === "reissue") {
    return { lead: `${subject} le ${replacedOn} par une`, reference: "nouvelle lettre", tail: ` réémise par l'organisme${over}` };
  }
  if (!replacement.verificationCode) {
    const it = document === "NOTICE" ? "cette lettre" : "cette fiche de décision";
    return { lead: `La décision du jury que porte ${it} a été révisée sur recours le ${replacedOn}`, reference: null, tail: ` : ${it} n'est plus en vigueur.` };
  }
  const newer = replacement.kind === "NOTICE" ? "lettre notifiant la décision" : "fiche de la décision";
  return { lead: `${subject} le ${replacedOn} par la`, reference: newer, tail: ` rendue sur recours${over}` };
}

/** What a re-issued letter says of the one it replaces: « Lettre réémise : elle remplace la lettre du 9 décembre 2026. » */
export function reissueMention(replacesOn: string): string {
  return `Lettre réémise : elle remplace la lettre du ${replacesOn}`;
}
