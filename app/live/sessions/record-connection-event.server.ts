/**
 * Use case: the realtime layer saw a seated member's last connection to a live session drop (DISCONNECTED), or
 * come back after such a drop (RECONNECTED). Recorded at server time with its audit event: the procès-verbal's
 * technical incidents are computed from these rows (app/domain/minutes.ts). Idempotent: a second drop without a
 * return in between (two tabs closing, two processes) is one event; a return without a drop is nothing (a first
 * connection is not an incident). Nothing is recorded for a closed session. A disconnection the page made itself
 * (`voluntary`) is recorded too, and a return its page said followed its own departure from another page of the
 * session (`navigated`): whether it was an incident is the minutes' rule (app/domain/minutes.ts). Dated
 * when the realtime layer saw it (`at`), not when written: a busy database must not lengthen a member's absence.
 */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";

/**
 * `voluntary`: a disconnection the member's page made itself (navigation, reload), not a lost connection.
 * `navigated`: a return whose page said it replaced a page of this session its browser tab had just left.
 */
export type ConnectionEventInput = {
  sessionId: string;
  userId: string;
  kind: "DISCONNECTED" | "RECONNECTED";
  at?: Date;
  voluntary?: boolean;
  navigated?: boolean;
};

export async function recordConnectionEvent(input: ConnectionEventInput): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    // Lock order as every planning change (Session, then its seats): the session row first, in the weakest mode
    // that still waits for a planning change holding it FOR UPDATE. Taking the seat first, then the session's key
    // lock through the event's foreign key, deadlocked with a secretariat removing this very seat (the removal
    // was aborted after deadlock_timeout and answered 500). Read after the lock: a removed seat is seen as removed.
    await tx.$executeRaw`SELECT 1 FROM "Session" WHERE "id" = ${input.sessionId} FOR KEY SHARE`;
    const session = await tx.session.findUnique({
      where: { id: input.sessionId },
      select: { organisationId: true, status: true, members: { where: { userId: input.userId }, select: { id: true } } },
    });
    if (!session || session.status === "CLOSED" || session.members.length === 0) return false;
    // Serialises the events of one member of one session (row lock on the seat).
    await tx.$executeRaw`SELECT 1 FROM "SessionMember" WHERE "id" = ${session.members[0]!.id} FOR UPDATE`;
    const last = await tx.connectionEvent.findFirst({
      where: { sessionId: input.sessionId, userId: input.userId },
      orderBy: { at: "desc" },
      select: { kind: true, at: true },
    });
    if (input.kind === "DISCONNECTED" && last?.kind === "DISCONNECTED") return false;
    if (input.kind === "RECONNECTED" && last?.kind !== "DISCONNECTED") return false;
    // A member's events follow each other: a return seen (its page asked to join) while the server was still
    // writing the drop of their other page is dated just after that drop, never before it (nor with it: the
    // member's last event must stay the last one read).
    const seenAt = input.at ?? new Date();
    const at = last && seenAt <= last.at ? new Date(last.at.getTime() + 1) : seenAt;
    const event = await tx.connectionEvent.create({
      data: {
        sessionId: input.sessionId,
        userId: input.userId,
        kind: input.kind,
        at,
        voluntary: input.kind === "DISCONNECTED" && input.voluntary === true,
        navigated: input.kind === "RECONNECTED" && input.navigated === true,
      },
    });
    await recordAudit(tx, {
      organisationId: session.organisationId,
      actorId: input.userId,
      action: input.kind === "DISCONNECTED" ? "session.member_disconnected" : "session.member_reconnected",
      subjectType: "Session",
      subjectId: input.sessionId,
      data: { connectionEventId: event.id, at: event.at.toISOString(), ...(event.voluntary ? { voluntary: true } : {}), ...(event.navigated ? { navigated: true } : {}) },
    });
    return true;
  });
}
