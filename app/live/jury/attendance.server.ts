/** Émargement: an arrival or a departure at server time; recomputes quorum and records its loss or recovery. */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { computeQuorum, isVotingMember, presentFromAttendance } from "~/domain/quorum";
import { broadcast, loadJury, lockJury, recordQuorumChange, requireSeat, type JuryCommand } from "./jury-context.server";

export async function recordAttendance(input: JuryCommand & { userId?: string; kind: "ARRIVED" | "LEFT" }) {
  const userId = input.userId || input.actorId;
  const changed = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    const actor = requireSeat(ctx, input.actorId);
    if (userId !== input.actorId && !["PRESIDENT", "VICE_PRESIDENT", "SECRETARY"].includes(actor.role)) {
      throw new AppError("FORBIDDEN", "Seuls le président, le vice-président et le secrétaire émargent pour un autre membre.");
    }
    const seat = ctx.session.members.find((m) => m.userId === userId);
    if (!seat) throw AppError.field("userId", "Cette personne ne siège pas dans ce jury.");
    if (ctx.session.status === "CLOSED") throw new AppError("CONFLICT", "La séance du jury est close.");
    const isPresent = ctx.present.has(userId);
    if ((input.kind === "ARRIVED") === isPresent) return false; // already so: a double click is one event
    const event = await tx.juryAttendanceEvent.create({
      data: { sessionId: ctx.session.id, userId, kind: input.kind, recordedById: input.actorId },
    });
    await recordAudit(tx, {
      organisationId: ctx.session.organisationId,
      actorId: input.actorId,
      action: input.kind === "ARRIVED" ? "jury.member_arrived" : "jury.member_left",
      subjectType: "Session",
      subjectId: ctx.session.id,
      data: { userId, at: event.at.toISOString() },
      ...input.meta,
    });
    if (isVotingMember(seat)) {
      const present = presentFromAttendance([...ctx.session.attendance, event]);
      const quorum = computeQuorum({ rules: ctx.scheme.jury, members: ctx.members, presentUserIds: present, proxies: ctx.session.proxies });
      await recordQuorumChange(tx, { ...ctx, present, quorum }, { actorId: input.actorId, ...input.meta });
    }
    return true;
  });
  const event = changed ? await broadcast(prisma, input, { type: "attendance", userId, kind: input.kind }) : null;
  return { changed, event };
}

export const recordArrival = (input: JuryCommand & { userId?: string }) => recordAttendance({ ...input, kind: "ARRIVED" });
export const recordDeparture = (input: JuryCommand & { userId?: string }) => recordAttendance({ ...input, kind: "LEFT" });
