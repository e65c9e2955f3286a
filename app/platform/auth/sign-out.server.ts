/**
 * Use case: sign out. The session is closed and the sign-out recorded in one transaction (never one without the
 * other), which may queue behind a burst of sign-ins; past that, a RATE_LIMITED refusal and nothing written.
 */
import { prisma } from "~/platform/db/db.server";
import { BURST_TRANSACTION, refusingWhenBusy } from "~/platform/db/busy.server";
import { ACCESS_ACTIONS, recordAccessIn } from "~/platform/audit/record-access.server";

export async function signOut(
  sessionId: string,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<void> {
  await refusingWhenBusy(() =>
    prisma.$transaction(async (tx) => {
      await tx.authSession.deleteMany({ where: { id: sessionId } });
      const event = { action: ACCESS_ACTIONS.signOut, actorId: userId, subjectType: "User", subjectId: userId, ...meta };
      await recordAccessIn(tx, event);
    }, BURST_TRANSACTION),
  );
}
