/**
 * After a member's organisation role changed or they left it: an organisation role opens some live texts without a
 * seat (the procès-verbal's remarks and a jury candidate's préconisations, which the secretariat and the
 * administration read, and the events of every session of the organisation, which they follow), and a seat opens its
 * session only to a member of the organisation. The connections that may have lost their access re-check it now, and
 * the websockets of login sessions the change ended close now: a secretariat demoted or removed kept reading them
 * live until it reconnected (or, for a removal, until the periodic sweep of ended sign-ins). Those are the person's
 * connections in the sessions they have open (closed ones included: their sockets' rooms, their live documents), and
 * those of the organisation's sessions not closed (whose live texts they may read through another server process).
 */
import type { RealtimePort } from "~/live/realtime-port";
import { prisma } from "~/platform/db/db.server";
import { gridDocumentName } from "~/domain/access";
import { preconisationsDocumentName } from "~/domain/jury-decision";
import { minutesDocumentName } from "~/domain/minutes";
import { refreshSessionAccess } from "~/back-office/planning/planning-context.server";

export async function refreshOrganisationAccess(
  realtime: RealtimePort,
  organisationId: string,
  userId: string,
  options: { signInsEnded?: boolean } = {},
): Promise<void> {
  if (options.signInsEnded) await realtime.signInsEnded();
  // The change itself is done: a lookup that fails (Redis unreachable) is logged, and the sessions not closed are
  // re-checked all the same; the others re-check at reconnection.
  const opened = await realtime.sessionsOpenedBy(userId).catch((error: unknown) => {
    console.error(`[quorum] sessions ouvertes par ${userId} non retrouvées : leurs connexions non réévaluées`, error);
    return [] as string[];
  });
  const sessions = await prisma.session.findMany({
    where: { organisationId, OR: [{ status: { not: "CLOSED" } }, ...(opened.length > 0 ? [{ id: { in: opened } }] : [])] },
    select: { id: true, agenda: { select: { id: true } }, slots: { select: { id: true } } },
  });
  const open = new Set(opened);
  for (const session of sessions) {
    const names = [
      minutesDocumentName(session.id),
      ...session.agenda.map((item) => preconisationsDocumentName(session.id, item.id)),
      // A seat's grids: only in the sessions the person has open (a role opens no grid; a removal, no seat not closed).
      ...(open.has(session.id) ? session.slots.map((slot) => gridDocumentName(session.id, slot.id)) : []),
    ];
    await refreshSessionAccess(realtime, session.id, names);
  }
  // Their live documents wherever they are open: one of a closed session held in another process, where they have no
  // socket, is found by no session lookup above.
  await realtime.refreshUserAccess(userId);
}
