/**
 * After a member's organisation role changed or they left it: an organisation role opens some live texts without a
 * seat (the procès-verbal's remarks and a jury candidate's préconisations, which the secretariat and the
 * administration read). Their open connections in the organisation's sessions not closed re-check their access now,
 * and the websockets of login sessions the change ended close now: a secretariat demoted or removed kept reading
 * them live until it reconnected (or, for a removal, until the periodic sweep of ended sign-ins).
 */
import type { RealtimePort } from "~/live/realtime-port";
import { prisma } from "~/platform/db/db.server";
import { preconisationsDocumentName } from "~/domain/jury-decision";
import { minutesDocumentName } from "~/domain/minutes";
import { refreshSessionAccess } from "~/back-office/planning/planning-context.server";

export async function refreshOrganisationAccess(
  realtime: RealtimePort,
  organisationId: string,
  options: { signInsEnded?: boolean } = {},
): Promise<void> {
  if (options.signInsEnded) await realtime.signInsEnded();
  const sessions = await prisma.session.findMany({
    where: { organisationId, status: { not: "CLOSED" } },
    select: { id: true, agenda: { select: { id: true } } },
  });
  for (const session of sessions) {
    const names = [minutesDocumentName(session.id), ...session.agenda.map((item) => preconisationsDocumentName(session.id, item.id))];
    await refreshSessionAccess(realtime, session.id, names);
  }
}
