/**
 * Émargement: an arrival or a departure at server time; recomputes quorum and records its loss or recovery. A member
 * records his own; another member's is recorded by the one presiding the sitting or by the organisation's secretariat
 * or administration (attendanceRecordingRefusal in app/domain/jury-vote.ts): anyone else is refused, nothing written.
 */
import { AppError } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { sessionReader } from "~/domain/access";
import { attendanceRecordingRefusal } from "~/domain/jury-vote";
import { computeQuorum, isVotingMember, presentFromAttendance } from "~/domain/quorum";
import { broadcast, loadJury, lockJury, recordQuorumChange, requireSeat, seatOf, type JuryCommand, type JuryContext } from "./jury-context.server";

export async function recordAttendance(input: JuryCommand & { userId?: string; kind: "ARRIVED" | "LEFT" }) {
  const userId = input.userId || input.actorId;
  const changed = await prisma.$transaction(async (tx) => {
    await lockJury(tx, input.sessionId);
    const ctx = await loadJury(tx, input.sessionId);
    if (userId === input.actorId) requireSeat(ctx, input.actorId);
    else await requireRecordsOthers(tx, ctx, { actorId: input.actorId, userId, kind: input.kind });
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

/**
 * Refuses recording another member's arrival or departure to anyone but the presiding member and the organisation's
 * secretariat or administration (seated or not). Reads the actor's role in the organisation (one statement).
 */
async function requireRecordsOthers(tx: Prisma.TransactionClient, ctx: JuryContext, input: { actorId: string; userId: string; kind: "ARRIVED" | "LEFT" }) {
  const membership = await tx.membership.findFirst({
    where: { userId: input.actorId, organisationId: ctx.session.organisationId },
    select: { role: true },
  });
  const reader = sessionReader(seatOf(ctx, input.actorId), membership?.role ?? null);
  if (!reader) throw new AppError("FORBIDDEN", "Vous ne siégez pas dans ce jury.");
  const refusal = attendanceRecordingRefusal(ctx.members, ctx.present, { ...input, manages: reader.manages });
  if (refusal) throw new AppError("FORBIDDEN", refusal);
}

export const recordArrival = (input: JuryCommand & { userId?: string }) => recordAttendance({ ...input, kind: "ARRIVED" });
export const recordDeparture = (input: JuryCommand & { userId?: string }) => recordAttendance({ ...input, kind: "LEFT" });
