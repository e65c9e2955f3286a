/**
 * Read model of the appeals on a jury's agenda, for the page where the jury records their outcome: per appeal the
 * candidate, the contested decision with its items (bloc / competence, acquired or not), the grounds, the status
 * and the outcome; whether the viewer presides the sitting and whether it is open with quorum. Per appeal not yet
 * decided, as for a candidate of the room: the members recused for the appellant and who conducts on him
 * (`presidingId`: a recused chair does not), his quorum (recused members not counted), and each voting member's
 * declaration (no link, conflict, recused for a link Quorum knows, not yet declared), which the jury waits for.
 * For seated members (still members of the organisation) and the organisation's secretariat; anyone else gets
 * « introuvable ».
 */
import { AppError } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";
import { readerOf } from "~/live/sessions/session-reader.server";
import { candidateName } from "~/domain/identity";
import { presidingMember, presidingRefusal } from "~/domain/jury-vote";
import { isVotingMember } from "~/domain/quorum";
import { OVERALL_DECISION_LABELS, type OverallDecision } from "~/domain/jury-decision";
import { candidateQuorum, loadJury, recusedForAppeal } from "./jury-context.server";

export async function getJuryAppeals(sessionId: string, viewerId: string) {
  const ctx = await loadJury(prisma, sessionId);
  const { session } = ctx;
  // Seated and still a member of the organisation, or managing it (the memberships came with the sign-in).
  const reader = await readerOf(session.members, viewerId, session.organisationId);
  if (!reader) throw new AppError("NOT_FOUND", "Jury introuvable.");
  const seat = reader.seat;
  const appeals = await prisma.appeal.findMany({ where: { sessionId }, orderBy: { receivedAt: "asc" }, include: { declarations: true } });
  const decisions = await prisma.juryDecision.findMany({
    where: { id: { in: appeals.flatMap((a) => [a.decisionId, ...(a.newDecisionId ? [a.newDecisionId] : [])]) } },
    include: { items: { orderBy: [{ target: "asc" }, { code: "asc" }] }, session: { select: { title: true } }, dossier: { select: { candidate: true } } },
  });
  const byId = new Map(decisions.map((d) => [d.id, d]));
  const names = new Map(session.members.map((m) => [m.userId, m.user.displayName]));
  /** What the jury needs before ruling on an appeal not yet decided (null once decided). */
  const ruling = async (appeal: (typeof appeals)[number]) => {
    if (appeal.status === "UPHELD" || appeal.status === "REJECTED") return null;
    const recused = await recusedForAppeal(prisma, ctx, appeal);
    const quorum = candidateQuorum(ctx, recused);
    return {
      presidingId: presidingMember(ctx.members, ctx.present, recused),
      chairsRecused: ctx.members.filter((m) => (m.role === "PRESIDENT" || m.role === "VICE_PRESIDENT") && recused.has(m.userId)).map((m) => m.role),
      recused: [...recused.entries()].map(([userId, reason]) => ({ userId, displayName: names.get(userId) ?? "", reason })),
      quorum: { met: quorum.met, reasons: quorum.reasons },
      declarations: ctx.members.filter(isVotingMember).map((m) => {
        const declared = appeal.declarations.find((d) => d.userId === m.userId);
        const status = declared?.conflict ? "conflict" : recused.has(m.userId) ? "recused" : declared ? "noLink" : "missing";
        return { userId: m.userId, displayName: names.get(m.userId) ?? "", present: ctx.present.has(m.userId), status } as const;
      }),
    };
  };
  const rulings = await Promise.all(appeals.map(ruling));
  return {
    session: { id: session.id, title: session.title, status: session.status, startsAt: session.startsAt.toISOString() },
    presiding: seat !== null && presidingRefusal(ctx.members, ctx.present, viewerId) === null,
    quorumMet: ctx.quorum.met,
    viewer: { userId: viewerId, voting: seat !== null && isVotingMember(seat), manages: reader.manages },
    appeals: appeals.map((a, index) => {
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
        ruling: rulings[index] ?? null,
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
