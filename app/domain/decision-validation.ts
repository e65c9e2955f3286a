/**
 * When a jury's decisions are final, so that records may be issued. Pure, no I/O.
 *
 * - The jury's session must be closed (no decision can change any more).
 * - When the scheme says the jury only proposes (`jury.cpneValidation`), the CPNE (an authorised user of the
 *   organisation: administrator or secretariat) validates the session's decisions in one signed act; until then, and
 *   after a return to the jury, no record is issued.
 */
import { textRefusal } from "./safe-text";
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
  if (reason.length > RETURN_REASON_MAX) return { ok: false, message: `Le motif est limité à ${RETURN_REASON_MAX} caractères.` };
  const refusal = textRefusal(reason, { multiline: true });
  if (refusal) return { ok: false, message: refusal };
  return { ok: true, reason };
}
