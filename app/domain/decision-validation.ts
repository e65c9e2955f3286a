/**
 * When a jury's decisions are final, so that records may be issued. Pure, no I/O.
 *
 * - The jury's session must be closed (no decision can change any more).
 * - When the scheme says the jury only proposes (`jury.cpneValidation`), the CPNE (an authorised user of the
 *   organisation: administrator or secretariat) validates the session's decisions in one signed act; until then, and
 *   after a return to the jury, no record is issued.
 */
import { textRefusal } from "./safe-text";
import { motiveProblem, MOTIVE_TOO_SHORT } from "./motive";
import { sentence } from "./format";

export type ValidationState = {
  status: "OPEN" | "SIGNING" | "SIGNED";
  returnedAt: Date | null;
  returnReason: string | null;
} | null;

export type Finality =
  | { final: true; by: "jury" | "cpne" }
  | { final: false; reason: string; awaiting: "closing" | "validation" | "returned" };

export function decisionsFinality(input: {
  sessionStatus: "PLANNED" | "OPEN" | "CLOSED";
  cpneValidation: boolean;
  validation: ValidationState;
}): Finality {
  if (input.sessionStatus !== "CLOSED") {
    return { final: false, awaiting: "closing", reason: "La séance du jury n'est pas close : ses décisions ne sont pas définitives." };
  }
  if (!input.cpneValidation) return { final: true, by: "jury" };
  if (input.validation?.status === "SIGNED") return { final: true, by: "cpne" };
  if (input.validation?.returnedAt) {
    return {
      final: false,
      awaiting: "returned",
      reason: `Les décisions ont été renvoyées au jury par la CPNE : ${sentence(input.validation.returnReason ?? "motif non précisé")}`,
    };
  }
  return {
    final: false,
    awaiting: "validation",
    reason: "Les décisions de ce jury doivent être validées par la CPNE avant toute délivrance.",
  };
}

/** Organisation roles allowed to validate or return a session's decisions for the CPNE. */
export const VALIDATOR_ROLES = ["ADMIN", "SECRETARIAT"] as const;

export const RETURN_REASON_MAX = 2000;

/** The reason given when returning decisions to the jury: required, trimmed, bounded. */
export function checkReturnReason(raw: string): { ok: true; reason: string } | { ok: false; message: string } {
  const reason = raw.trim();
  if (reason.length < 5) return { ok: false, message: "Indiquez le motif du renvoi au jury (5 caractères au moins)." };
  // Read by the jury, kept in the audit trail: words, not « ..... » (./motive.ts).
  if (motiveProblem(reason)) return { ok: false, message: `Indiquez le motif du renvoi au jury : ${MOTIVE_TOO_SHORT}.` };
  if (reason.length > RETURN_REASON_MAX) return { ok: false, message: `Le motif est limité à ${RETURN_REASON_MAX} caractères.` };
  const refusal = textRefusal(reason, { multiline: true });
  if (refusal) return { ok: false, message: refusal };
  return { ok: true, reason };
}

/**
 * The fiche de décision before the documents (docs/decisions/0019): a parchemin or an attestation de blocs is issued
 * only on a decision whose fiche de décision is signed (every signer of its round: the president, and the members when
 * the scheme says so); where the CPNE validates, it validates a jury whose fiches are all signed. So the order is
 * always: decision → fiche signed → (CPNE validation) → document. A fiche that does not exist yet is « OPEN ».
 */
export type SheetStatus = "OPEN" | "SIGNING" | "SIGNED";

/** What the « Délivrance » page shows instead of the issue button for such a candidate. */
export const SHEET_TO_SIGN = "Fiche de décision à signer par le président";

export function sheetSigned(status: SheetStatus | null | undefined): boolean {
  return status === "SIGNED";
}

/** Where the fiche stands and what to do, for one candidate: a line under a refusal, or beside his name. */
export function sheetToSignHint(status: SheetStatus | null | undefined): string {
  return status === "SIGNING"
    ? "sa fiche de décision est soumise à la signature et attend encore une signature"
    : "sa fiche de décision n'a pas encore été soumise à la signature";
}

const SIGN_WHERE = {
  one: "Le président du jury la signe depuis la salle du jury ou depuis le dossier du candidat (« Fiche de décision »).",
  several: "Le président du jury les signe depuis la salle du jury ou depuis le dossier de chaque candidat (« Fiche de décision »).",
};

/** The refusal of an issuance for decisions whose fiche is not signed (candidates' names, with where each stands). */
export function unsignedSheetsRefusal(
  unsigned: Array<{ candidate: string; status: SheetStatus | null | undefined }>,
  purpose: "issue" | "validate",
): { message: string; details: string[] } {
  const one = unsigned.length === 1;
  const what =
    purpose === "issue"
      ? one
        ? `La fiche de décision de ${unsigned[0]!.candidate} n'est pas signée par le président du jury : son parchemin ou son attestation ne peut pas être délivré avant.`
        : `Les fiches de décision de ${unsigned.length} candidats ne sont pas signées par le président du jury : leurs parchemins ou attestations ne peuvent pas être délivrés avant.`
      : one
        ? `La fiche de décision de ${unsigned[0]!.candidate} n'est pas signée : la CPNE valide des décisions dont les fiches sont signées par le président du jury.`
        : `Les fiches de décision de ${unsigned.length} candidats ne sont pas signées : la CPNE valide des décisions dont les fiches sont signées par le président du jury.`;
  return {
    message: `${what} ${one ? SIGN_WHERE.one : SIGN_WHERE.several}`,
    details: unsigned.map((u) => `${u.candidate} : ${sheetToSignHint(u.status)}.`),
  };
}
