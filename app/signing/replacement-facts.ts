/**
 * The facts `replacementObstacle` (app/domain/signer-unavailability.ts, decision 0028) judges, read from a loaded
 * document of the signing core: its kind's replacement context (the session's seats, who attended, who is recused for
 * the fiche's candidate) and the round's recorded empêchements. Built the same way for the members page, which offers
 * to name the vice-president only when she can sign, and for the command that records the empêchement.
 */
import type { ReplacementFacts } from "~/domain/signer-unavailability";
import type { DocumentKind, LoadedDocument } from "./document-kind";

export function replacementFactsOf(
  kind: Pick<DocumentKind, "label" | "replacementContext">,
  document: LoadedDocument,
  input: { preventedId: string; namedId: string; unavailable: ReadonlySet<string> },
): ReplacementFacts {
  const context = kind.replacementContext?.(document);
  const prevented = document.signers.find((s) => s.userId === input.preventedId);
  return {
    kindAccepts: context !== undefined,
    kindLabel: kind.label,
    preventedRole: prevented?.role ?? "",
    preventedName: prevented?.displayName ?? "",
    viceChair: context?.seats.find((s) => s.role === "VICE_PRESIDENT") ?? null,
    namedId: input.namedId,
    attendanceRequired: context?.attendanceRequired ?? false,
    attended: context?.attended.has(input.namedId) ?? false,
    recusal: context?.recused.get(input.namedId) ?? null,
    viceChairPrevented: input.unavailable.has(input.namedId),
  };
}
