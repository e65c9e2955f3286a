/**
 * Takes a candidate's slot off a planned commission's timetable: only while its grid was never opened. A connection
 * opening the grid at that very moment is closed once the removal is committed (its access is re-checked).
 */
import type { Actor, Result } from "~/platform/app-error";
import type { RealtimePort } from "~/live/realtime-port";
import { gridDocumentName } from "~/domain/access";
import { refuse, removeSessionAccess, toCandidateRef } from "./planning-context.server";

export async function removeSlot(
  sessionId: string,
  slotId: string,
  actor: Actor,
  realtime: RealtimePort,
): Promise<Result> {
  return removeSessionAccess(sessionId, actor, realtime, async (tx, ctx) => {
    const slot = ctx.session.slots.find((s) => s.id === slotId);
    if (!slot) return refuse(["Ce créneau n'existe plus."]);
    const grid = await tx.collabDocument.findUnique({
      where: { name: gridDocumentName(ctx.session.id, slot.id) },
      select: { name: true },
    });
    if (grid) return refuse(["La grille de ce candidat a déjà été commencée : son créneau ne peut plus être retiré."]);
    await tx.sessionSlot.delete({ where: { id: slot.id } });
    const remaining = ctx.session.slots.filter((s) => s.id !== slot.id);
    for (const [i, s] of remaining.entries()) {
      if (s.position !== i + 1) await tx.sessionSlot.update({ where: { id: s.id }, data: { position: i + 1 } });
    }
    return {
      action: "session.slot.remove",
      data: {
        slotId: slot.id,
        candidateId: slot.candidateId,
        candidate: toCandidateRef(slot.candidate).name,
        startsAt: slot.startsAt.toISOString(),
        endsAt: slot.endsAt.toISOString(),
      },
      slotIds: [slotId],
    };
  });
}
