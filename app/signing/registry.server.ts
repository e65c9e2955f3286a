/**
 * The registered signed-document kinds. A new kind (decision sheet, procès-verbal, parchemin, attestation de blocs)
 * is one module under ./kinds and one entry here; the signing core and the render runner find it by its name.
 */
import type { AnyDocumentKind } from "./document-kind";
import { decisionKind } from "./kinds/decision/decision-kind.server";
import { gridKind } from "./kinds/grid/grid-kind.server";
import { minutesKind } from "./kinds/minutes/minutes-kind.server";

const KINDS: Record<string, AnyDocumentKind> = {
  [gridKind.kind]: gridKind,
  [minutesKind.kind]: minutesKind,
  [decisionKind.kind]: decisionKind,
};

export function documentKind(kind: string): AnyDocumentKind {
  const found = KINDS[kind];
  if (!found) throw new Error(`Type de document à signer inconnu : ${kind}`);
  return found;
}
