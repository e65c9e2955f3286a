/**
 * « Constater l'empêchement d'un signataire »: a person named among a document's signers who can no longer sign it
 * (deceased, long illness, left the branch and unreachable) blocked it for good — no signature, no completion, no PDF,
 * and the person could not leave the organisation (decision 0023). The organisation's administration or secretariat
 * records the empêchement, with its reason; the round then completes with the other signers' signatures, and the
 * certificate page names the person as prevented, with the reason and who recorded it. It is never a signature: no
 * document says someone signed who did not. Pure rules, no I/O (docs/decisions/0028-signer-unable-to-sign.md).
 */
import { MOTIVE_TOO_SHORT, motiveProblem } from "./motive";

/** Longest reason kept (it is printed on the certificate page). */
export const UNAVAILABILITY_REASON_MAX = 300;

/** What the reason's field says when it is refused, or null when it is fine. */
export function unavailabilityReasonProblem(reason: string): string | null {
  const problem = motiveProblem(reason);
  if (problem === "missing") return "Indiquez le motif de l'empêchement (il figurera sur le certificat de signature).";
  if (problem === "short") return `Motif trop court : ${MOTIVE_TOO_SHORT}.`;
  if (reason.trim().length > UNAVAILABILITY_REASON_MAX) return `Motif trop long : ${UNAVAILABILITY_REASON_MAX} caractères au plus.`;
  return null;
}

export type UnavailabilityState = {
  /** The document's signers this round, in order. */
  signers: ReadonlyArray<{ userId: string; displayName: string }>;
  /** Who signed this round (signatures not voided). */
  signed: ReadonlySet<string>;
  /** Whose empêchement is already recorded this round. */
  unavailable: ReadonlySet<string>;
};

/**
 * Why the empêchement of `userId` cannot be recorded (French), or null. Already recorded: null too (the command is
 * idempotent). At least one signer must sign: a document nobody signed is not a signed document.
 */
export function unavailabilityRefusal(state: UnavailabilityState, userId: string): string | null {
  const signer = state.signers.find((s) => s.userId === userId);
  if (!signer) return "Cette personne n'est pas signataire de ce document.";
  if (state.signed.has(userId)) return `${signer.displayName} a déjà signé ce document : il n'y a pas d'empêchement à constater.`;
  if (state.unavailable.has(userId)) return null;
  if (isLastPossibleSigner(state, userId)) {
    return `${signer.displayName} est le dernier signataire possible : un document que personne ne signe n'est pas un document signé. Rouvrez-le pour le faire signer autrement, ou recueillez sa signature.`;
  }
  return null;
}

/**
 * Whether `userId` is the only signer left who could still sign (every other one recorded as prevented): their
 * empêchement is refused, and the members page says so instead of offering it.
 */
export function isLastPossibleSigner(state: { signers: ReadonlyArray<{ userId: string }>; unavailable: ReadonlySet<string> }, userId: string): boolean {
  return !state.signers.some((s) => s.userId !== userId && !state.unavailable.has(s.userId));
}

/** Whether every signer has signed or is recorded as prevented (and the round can complete). */
export function everyoneAccountedFor(state: UnavailabilityState): boolean {
  return state.signers.every((s) => state.signed.has(s.userId) || state.unavailable.has(s.userId));
}
