/**
 * Use case: the president opens signing. The grid document is sealed first (read-only for everyone, content
 * hashed), then checked: if anything required is missing the seal is lifted and the list is returned, so the
 * check and the signed content are the same content.
 */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { missingForSignature } from "~/domain/commission";
import { parseGridContent } from "./grid-content";
import type { RealtimePort } from "../realtime-port";
import { CommissionError, loadSlotContext, lockSlot, requirePresident, slotState } from "./slot-context.server";

export async function openSigning(input: {
  sessionId: string;
  slotId: string;
  actorId: string;
  meta: { ip: string | null; userAgent: string | null };
  realtime: RealtimePort;
}) {
  const before = await loadSlotContext(prisma, input.sessionId, input.slotId);
  requirePresident(before, input.actorId);
  if (before.slot.gridStatus === "SIGNED") throw new CommissionError("La grille est déjà signée.");
  if (before.slot.gridStatus === "SIGNING") return slotState(before);

  const sealed = await input.realtime.seal(before.documentName);
  const content = parseGridContent(sealed.canonical);
  const missing = missingForSignature({
    scheme: before.scheme,
    competences: before.competences,
    results: content.result,
    comments: content.comment,
    synthesis: content.synthesis,
    signers: before.signers,
  });
  if (missing.length > 0) {
    await input.realtime.unseal(before.documentName);
    throw new CommissionError("Passage à la signature impossible : des éléments obligatoires manquent.", 409, missing);
  }

  try {
    await prisma.$transaction(async (tx) => {
      await lockSlot(tx, before.slot.id);
      const { count } = await tx.sessionSlot.updateMany({
        where: { id: before.slot.id, gridStatus: "OPEN" },
        data: {
          gridStatus: "SIGNING",
          phase: "SIGNATURE",
          phaseStartedAt: new Date(),
          sealedHash: sealed.hash,
          sealedContent: JSON.parse(sealed.canonical) as Prisma.InputJsonValue,
          sealedAt: new Date(),
        },
      });
      if (count === 0) throw new CommissionError("La signature vient d'être ouverte par ailleurs.");
      await recordAudit(tx, {
        organisationId: before.session.organisationId,
        actorId: input.actorId,
        action: "grid.sealed",
        subjectType: "SessionSlot",
        subjectId: before.slot.id,
        data: { round: before.slot.signingRound, contentHash: sealed.hash },
        ...input.meta,
      });
    });
  } catch (error) {
    await input.realtime.unseal(before.documentName);
    throw error;
  }
  const state = slotState(await loadSlotContext(prisma, input.sessionId, input.slotId));
  input.realtime.notifySession(input.sessionId, "slot:state", state);
  return state;
}
