/**
 * The appeals where a jury's planning is done: those on this jury's agenda, and those of its certification still
 * awaiting a jury whose contested decision is earlier than this jury (they may be put on its agenda).
 */
import { prisma } from "~/platform/db/db.server";
import { candidateName } from "~/domain/identity";
import { OVERALL_DECISION_LABELS, type OverallDecision } from "~/domain/jury-decision";

export async function listSessionAppeals(
  organisationId: string,
  session: { id: string; kind: string; startsAt: Date; certificationId: string | null },
) {
  // The session as the planning page already read it (its snapshot): only a jury of a certification takes appeals.
  const sessionId = session.id;
  const certificationId = session.certificationId;
  if (session.kind !== "JURY" || !certificationId) return { scheduled: [], awaiting: [] };
  const appeals = await prisma.appeal.findMany({
    where: { organisationId, OR: [{ sessionId }, { status: "RECEIVED" }] },
    orderBy: { receivedAt: "asc" },
  });
  const decisions = await prisma.juryDecision.findMany({
    where: { id: { in: appeals.map((a) => a.decisionId) }, dossier: { certificationId } },
    select: { id: true, overall: true, decidedAt: true, session: { select: { title: true } }, dossier: { select: { id: true, candidate: true } } },
  });
  const rows = appeals.flatMap((a) => {
    const d = decisions.find((x) => x.id === a.decisionId);
    if (!d) return [];
    return [
      {
        id: a.id,
        status: a.status,
        onThisJury: a.sessionId === sessionId,
        dossierId: d.dossier.id,
        candidate: candidateName(d.dossier.candidate, { givenNames: "first" }),
        decision: `${OVERALL_DECISION_LABELS[d.overall as OverallDecision]} — ${d.session.title}`,
        decidedAt: d.decidedAt,
        receivedAt: a.receivedAt.toISOString(),
        grounds: a.grounds,
      },
    ];
  });
  return {
    scheduled: rows.filter((r) => r.onThisJury),
    awaiting: rows.filter((r) => !r.onThisJury && r.decidedAt.getTime() < session.startsAt.getTime()),
  };
}
