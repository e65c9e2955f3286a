/**
 * Read model of the appeals on a jury's agenda, for the page where the jury records their outcome: per appeal the
 * candidate, the contested decision with its items (bloc / competence, acquired or not), the grounds, the status
 * and the outcome; whether the viewer presides (may record outcomes) and whether the sitting is open with quorum.
 * For seated members and the organisation's secretariat; anyone else gets « introuvable ».
 */
import { AppError } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";
import { candidateName } from "~/domain/identity";
import { presidingRefusal } from "~/domain/jury-vote";
import { OVERALL_DECISION_LABELS, type OverallDecision } from "~/domain/jury-decision";
import { loadJury } from "./jury-context.server";

export async function getJuryAppeals(sessionId: string, viewerId: string) {
  const ctx = await loadJury(prisma, sessionId);
  const { session } = ctx;
  const seat = session.members.find((m) => m.userId === viewerId) ?? null;
  if (!seat) {
    const membership = await prisma.membership.findFirst({
      where: { userId: viewerId, organisationId: session.organisationId, role: { in: ["ADMIN", "SECRETARIAT"] } },
    });
    if (!membership) throw new AppError("NOT_FOUND", "Jury introuvable.");
  }
  const appeals = await prisma.appeal.findMany({ where: { sessionId }, orderBy: { receivedAt: "asc" } });
  const decisions = await prisma.juryDecision.findMany({
    where: { id: { in: appeals.flatMap((a) => [a.decisionId, ...(a.newDecisionId ? [a.newDecisionId] : [])]) } },
    include: { items: { orderBy: [{ target: "asc" }, { code: "asc" }] }, session: { select: { title: true } }, dossier: { select: { candidate: true } } },
  });
  const byId = new Map(decisions.map((d) => [d.id, d]));
  return {
    session: { id: session.id, title: session.title, status: session.status, startsAt: session.startsAt.toISOString() },
    presiding: seat !== null && presidingRefusal(ctx.members, ctx.present, viewerId) === null,
    quorumMet: ctx.quorum.met,
    appeals: appeals.map((a) => {
      const contested = byId.get(a.decisionId)!;
      const revised = a.newDecisionId ? byId.get(a.newDecisionId) : undefined;
      return {
        id: a.id,
        status: a.status,
        candidate: candidateName(contested.dossier.candidate),
        receivedAt: a.receivedAt.toISOString(),
        grounds: a.grounds,
        contested: {
          label: `${OVERALL_DECISION_LABELS[contested.overall as OverallDecision]} — ${contested.session.title}`,
          decidedAt: contested.decidedAt.toISOString(),
          items: contested.items.map((i) => ({ targetId: i.targetId, code: i.code, target: i.target, acquired: i.acquired })),
        },
        outcomeReason: a.outcomeReason,
        outcomeAt: a.outcomeAt?.toISOString() ?? null,
        revised: revised
          ? {
              label: OVERALL_DECISION_LABELS[revised.overall as OverallDecision],
              acquired: revised.items.filter((i) => i.acquired).map((i) => i.code),
            }
          : null,
      };
    }),
  };
}
