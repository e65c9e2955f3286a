/**
 * Query: the evaluation commission's result recorded on a dossier once its grid was signed by all (the grid kind's
 * completion), with the link to the signed grid's PDF — for the dossier, candidate and session pages.
 */
import type { CertificationOutcomeKind } from "~/domain/aggregation";
import type { RenderFailure } from "~/domain/render-failure";
import { prisma } from "~/platform/db/db.server";
import { renderFailureOf } from "./render-failure.server";

export type CommissionResult = {
  outcome: CertificationOutcomeKind;
  signedAt: Date | null;
  /** The signed grid's download, or null while it is rendered (« PDF en préparation… »). */
  pdfUrl: string | null;
  /** Signed, and its PDF's render given up on (./render-failure.server.ts): said instead of « en préparation ». */
  pdfFailure: RenderFailure | null;
};

export async function commissionResultOf(dossier: {
  commissionOutcome: string | null;
  commissionSlotId: string | null;
  commissionSignedAt: Date | null;
}): Promise<CommissionResult | null> {
  if (!dossier.commissionOutcome || !dossier.commissionSlotId) return null;
  const slot = await prisma.sessionSlot.findUnique({
    where: { id: dossier.commissionSlotId },
    select: { id: true, sessionId: true, documents: { where: { kind: "grid" }, select: { id: true } } },
  });
  const rendered = slot !== null && slot.documents.length > 0;
  return {
    outcome: dossier.commissionOutcome as CertificationOutcomeKind,
    signedAt: dossier.commissionSignedAt,
    pdfUrl: rendered ? `/sessions/${slot.sessionId}/passages/${slot.id}/grille.pdf` : null,
    pdfFailure: slot && !rendered ? await renderFailureOf("grid", slot.id) : null,
  };
}
