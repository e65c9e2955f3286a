/**
 * The live room of a session as its viewer sees it: the session (404 unless seated or managing), the chosen
 * passage (`?candidat=`, else the first), its state and signers, and the candidate's dossier for the commission.
 */
import { gridDocumentName, gridSigningRefusal } from "~/domain/access";
import { parsePhaseDurations } from "~/domain/commission";
import { getPassageDossier } from "~/live/commission/passage-dossier.server";
import { declaredConflictIdsOf, passageRecusalOf } from "~/live/commission/passage-recusal.server";
import { recusedEvidenceRefusal } from "~/domain/jury-vote";
import { juryDecidedOnGrid, loadSlotContext, slotState } from "~/live/commission/slot-context.server";
import { gridReopenRefusal } from "~/domain/commission";
import { prisma } from "~/platform/db/db.server";
import { coalescedRead } from "~/platform/http/coalesced-read.server";
import { managedOrganisationIds, readSession, requireSeatOrManaging } from "./queries.server";

/** `viewer`: the viewer's user id, or its promise (the sign-in being read: the session is read meanwhile). */
export async function getSessionRoom(viewer: string | Promise<string>, sessionId: string, slotParam: string | null) {
  // What the room shows every viewer is read once for the requests asked at the same time (a commission opening its
  // room together; coalescedRead: never a read started before the request asked); nothing of it leaves before the
  // viewer is known, and seated or managing.
  const [room, userId] = await Promise.all([coalescedRead(`live-room:${sessionId}:${slotParam ?? ""}`, () => readRoom(sessionId, slotParam)), viewer]);
  const seat = await requireSeatOrManaging(room?.session ?? null, userId);
  const { dossier: read, slotState, signers, durations, session, referential, slot, documentName, reopenRefusal } = room!;
  // Not seated: managing (requireSeatOrManaging). Managers may retry a PDF whose render failed.
  const manages = seat === null || (await managedOrganisationIds(userId)).includes(session.organisation.id);
  // Who declared a conflict for the candidate stays on the server: the viewer gets only whether his files are withheld.
  // A member recused for the candidate is not shown his files (their route refuses them too): why, instead.
  const evidenceWithheld = read && seat ? recusedEvidenceRefusal(passageRecusalOf(read.candidate, { userId, role: seat.role })) : null;
  // Their own conflict declared before a jury: they do not evaluate the candidate (declareNoConflict refuses it).
  const declaredConflict = read !== null && seat !== null && declaredConflictIdsOf(read.candidate).includes(userId);
  // A signer who may no longer sign the grid (the candidate's trainer, a conflict declared before a jury:
  // `gridSigningRefusal`, which the signing command applies) is awaited by no one: each viewer is told only that he
  // cannot sign and that the organisation records his empêchement (decision 0028), never why.
  const barred = read ? new Set(signers.filter((s) => gridSigningRefusal({ trainsCandidate: read.candidate.trainerId === s.userId, declaredConflict: declaredConflictIdsOf(read.candidate).includes(s.userId) })).map((s) => s.userId)) : new Set<string>();
  const dossier = read && {
    ...read,
    candidate: { employer: read.candidate.employer },
    evidence: evidenceWithheld ? [] : read.evidence,
    evidenceWithheld,
  };
  return { dossier, slotState, signers: signers.map((s) => ({ ...s, signingBarred: barred.has(s.userId) })), durations, session, seat, manages, referential, slot, documentName, declaredConflict, reopenRefusal };
}

async function readRoom(sessionId: string, slotParam: string | null) {
  const read = await readSession(sessionId);
  if (!read) return null;
  const { session, slotSession, referential } = read;
  const slot = session.slots.find((s) => s.id === slotParam) ?? session.slots[0] ?? null;
  const slotFacts = slot ? slotSession.slots.find((s) => s.id === slot.id)! : null;
  // The session was just read with what the passage's context and its dossier's lookup need: both are read at once.
  const [ctx, dossier] = await Promise.all([
    slot && referential ? loadSlotContext(prisma, session.id, slot.id, { session: slotSession }) : null,
    slot && slotFacts
      ? getPassageDossier(session.id, slot.id, {
          dossierId: slotFacts.dossierId,
          candidateId: slotFacts.candidate.id,
          certificationId: slotSession.referentialVersion?.certificationId ?? null,
        })
      : null,
  ]);
  // A grid in signature that may no longer be reopened: the room says why instead of offering « Rouvrir ».
  const reopenRefusal =
    ctx && ctx.slot.gridStatus === "SIGNING"
      ? gridReopenRefusal({ juryDecided: await juryDecidedOnGrid(prisma, ctx), sessionClosed: ctx.session.status === "CLOSED" })
      : null;
  return {
    dossier,
    reopenRefusal,
    slotState: ctx ? slotState(ctx) : null,
    signers: ctx ? ctx.signers.map((s) => ({ userId: s.userId, displayName: s.displayName })) : [],
    durations: parsePhaseDurations(session.phaseDurations),
    session,
    referential,
    slot,
    documentName: slot ? gridDocumentName(session.id, slot.id) : null,
  };
}
