/**
 * The registered signed-document kinds. A new kind (decision sheet, procès-verbal, parchemin, attestation de blocs)
 * is one module under ./kinds and one entry here; the signing core and the render runner find it by its name.
 */
import { noticeKind } from "~/delivery/notice-kind.server";
import { attestationKind, parcheminKind } from "~/delivery/record-kind.server";
import type { AnyDocumentKind, RenderableKind } from "./document-kind";
import { decisionKind } from "./kinds/decision/decision-kind.server";
import { gridKind } from "./kinds/grid/grid-kind.server";
import { minutesKind } from "./kinds/minutes/minutes-kind.server";
import { validationKind } from "./kinds/validation/validation-kind.server";

const KINDS: Record<string, AnyDocumentKind> = {
  [gridKind.kind]: gridKind,
  [minutesKind.kind]: minutesKind,
  [decisionKind.kind]: decisionKind,
  [validationKind.kind]: validationKind,
};

/** Documents rendered by the render runner without being signed through the core (delivery records, notices). */
const RENDER_ONLY: Record<string, RenderableKind> = {
  [parcheminKind.kind]: parcheminKind,
  [attestationKind.kind]: attestationKind,
  [noticeKind.kind]: noticeKind,
};

/** Any kind the render runner renders: a signed kind or a render-only one. */
export function renderableKind(kind: string): RenderableKind {
  const found = KINDS[kind] ?? RENDER_ONLY[kind];
  if (!found) throw new Error(`Type de document à rendre inconnu : ${kind}`);
  return found;
}

export function documentKind(kind: string): AnyDocumentKind {
  const found = KINDS[kind];
  if (!found) throw new Error(`Type de document à signer inconnu : ${kind}`);
  return found;
}
