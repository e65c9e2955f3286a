/**
 * The live room of a session as its viewer sees it: the session (404 unless seated or managing), the chosen
 * passage (`?candidat=`, else the first), its state and signers, and the candidate's dossier for the commission.
 */
import { gridDocumentName } from "~/domain/access";
import { parsePhaseDurations } from "~/domain/commission";
import { getPassageDossier } from "~/live/commission/passage-dossier.server";
import { loadSlotContext, slotState } from "~/live/commission/slot-context.server";
import { prisma } from "~/platform/db/db.server";
import { getSessionForViewer } from "./queries.server";

export async function getSessionRoom(userId: string, sessionId: string, slotParam: string | null) {
  const { session, slotSession, seat, referential } = await getSessionForViewer(userId, sessionId);
  const slot = session.slots.find((s) => s.id === slotParam) ?? session.slots[0] ?? null;
  // The session was just read with what the passage's context needs of it.
  const ctx = slot && referential ? await loadSlotContext(prisma, session.id, slot.id, { session: slotSession }) : null;
  // The slot context already holds what the dossier lookup needs.
  const known = ctx
    ? { dossierId: ctx.slot.dossierId, candidateId: ctx.slot.candidateId, certificationId: ctx.version.certificationId }
    : undefined;
  return {
    dossier: slot ? await getPassageDossier(session.id, slot.id, known) : null,
    slotState: ctx ? slotState(ctx) : null,
    signers: ctx ? ctx.signers.map((s) => ({ userId: s.userId, displayName: s.displayName })) : [],
    durations: parsePhaseDurations(session.phaseDurations),
    session,
    seat,
    referential,
    slot,
    documentName: slot ? gridDocumentName(session.id, slot.id) : null,
  };
}
