/**
 * A member's signatures still to give: documents of the signing core submitted for signature (status SIGNING) that
 * name them among their signers and that they have not signed in the current round, and a closed jury's procès-verbal
 * not finalised yet or fiche de décision not submitted yet, which their signers will have to sign. Pure rules, no I/O: who still
 * has to sign, how the members page and the refusals word it, and which of them an organisation role change would
 * make impossible to sign (docs/decisions/0023-member-removal-with-pending-signatures.md).
 */
import { countOf, ofName } from "./format";
import { formatParisLongDate } from "./paris-date";
import type { OrgRole } from "./permissions";

export type PendingDocumentKind = "grid" | "minutes" | "decision" | "validation";

export type PendingSignature = {
  userId: string;
  kind: PendingDocumentKind;
  documentId: string;
  sessionId: string;
  sessionTitle: string;
  /** The sitting's date (the session's start). */
  sessionDate: string;
  sessionKind: "COMMISSION" | "JURY";
  /** The candidate the grid or the fiche de décision is about. */
  candidate: string | null;
  /** Where the secretariat opens the document. */
  href: string;
  /**
   * The organisation roles that let the signer sign it (the CPNE's validation: administration or secretariat); null
   * when a seat does, whatever the person's role in the organisation.
   */
  signingRoles: readonly OrgRole[] | null;
  /**
   * Not submitted for signature yet, but it will be and this person will have to sign it: a closed jury's procès-verbal
   * not finalised (it is finalised only once the sitting is closed, and its president always signs it), or a closed
   * jury's fiche de décision not submitted yet (its presiding signer always signs it).
   */
  toFinalise?: boolean;
  /**
   * Every other signer of the round is recorded as prevented: this person is the last who can sign it, and their own
   * empêchement would be refused (app/domain/signer-unavailability.ts, `isLastPossibleSigner`).
   */
  lastPossibleSigner?: boolean;
  /**
   * Named to sign in the stead of this prevented president (his name, decision 0028): the signature awaited is the one
   * given for him. The person's own empêchement cannot be recorded while it is awaited.
   */
  onBehalfOf?: string;
  /**
   * The person presides the procès-verbal's or the fiche's session, whose vice-president can sign in the person's stead
   * (`replacementObstacle` finds nothing against it): the administration may name her when recording the empêchement
   * (decision 0028; the command judges again by the same rule).
   */
  replacementOffer?: { userId: string; displayName: string };
  /**
   * Why the session's vice-president cannot sign in this president's stead (absent at the sitting, recused for the
   * candidate, herself prevented: `replacementObstacle`), in French; the page says it instead of offering her.
   */
  replacementUnavailable?: string;
  /**
   * A commission grid this person may no longer sign (`gridSigningRefusal`: a conflict of interest declared before a
   * jury, or the candidate's trainer): the signing command refuses him, so the grid waits until the organisation
   * records his empêchement (decision 0028). Never why (his declaration stays with the jury).
   */
  signingBarred?: true;
};

/** The signers who have not signed this round: `signed`, the signers of the round's signatures not voided. */
export function stillToSign<S extends { userId: string }>(signers: readonly S[], signed: Iterable<string>): S[] {
  const done = new Set(signed);
  return signers.filter((s) => !done.has(s.userId));
}

const OF_SITTING = { COMMISSION: "de la commission", JURY: "du jury" } as const;
const SITTING = { COMMISSION: "commission", JURY: "jury" } as const;

/** « procès-verbal du jury du 12 novembre 2026 », « grille d'évaluation de Camille MOREAU (commission du 28 octobre 2026) ». */
export function pendingSignatureLabel(p: Pick<PendingSignature, "kind" | "sessionDate" | "sessionKind" | "candidate" | "toFinalise" | "onBehalfOf">): string {
  const label = documentLabel(p);
  return p.onBehalfOf ? `${label} (pour ${p.onBehalfOf}, empêché)` : label;
}

function documentLabel(p: Pick<PendingSignature, "kind" | "sessionDate" | "sessionKind" | "candidate" | "toFinalise">): string {
  const day = formatParisLongDate(p.sessionDate);
  const sitting = `${SITTING[p.sessionKind]} du ${day}`;
  switch (p.kind) {
    case "minutes":
      return `procès-verbal ${OF_SITTING[p.sessionKind]} du ${day}${p.toFinalise ? " (pas encore finalisé)" : ""}`;
    case "grid":
      return `grille d'évaluation ${ofName(p.candidate ?? "candidat")} (${sitting})`;
    case "decision":
      return `fiche de décision ${ofName(p.candidate ?? "candidat")} (${sitting}${p.toFinalise ? ", pas encore soumise à la signature" : ""})`;
    case "validation":
      return `validation CPNE des décisions ${OF_SITTING[p.sessionKind]} du ${day}`;
  }
}

/**
 * Why a member who still has to sign cannot leave the organisation (or take a role that could not sign): out, they
 * could no longer open the document, so it would never be signed — unless their empêchement is recorded (decision 0028).
 */
export function pendingSignaturesRefusal(displayName: string, pending: readonly PendingSignature[], change: "remove" | "role"): string {
  const documents = `${pending.map(pendingSignatureLabel).join(", ")}${pending.length > 1 ? ` (${countOf(pending.length, "document")})` : ""}`;
  return change === "remove"
    ? `${displayName} doit encore signer : ${documents}. Recueillez sa signature avant de le ou la retirer : une fois retiré(e) de l'organisation, il ou elle ne pourrait plus ouvrir ${pending.length > 1 ? "ces documents" : "ce document"}. S'il ou elle ne pourra jamais signer, constatez son empêchement (« Constater un empêchement de signer », sur un document soumis à la signature). Rien n'a été modifié.`
    : `${displayName} doit encore signer : ${documents}, ce que ce rôle ne lui permettrait plus. Recueillez sa signature avant de changer son rôle. Rien n'a été modifié.`;
}

/** The pending signatures a member could no longer give with `nextRole` (null: out of the organisation). */
export function blockedBy(pending: readonly PendingSignature[], nextRole: OrgRole | null): PendingSignature[] {
  if (nextRole === null) return [...pending];
  return pending.filter((p) => p.signingRoles !== null && !p.signingRoles.includes(nextRole));
}
