/**
 * Read model of the « Recours » section of a dossier: the jury decisions that may be contested (with the scheme's
 * deadline for each) and the appeals recorded, with their status, the jury that examines them and its outcome.
 */
import { prisma } from "~/platform/db/db.server";
import { appealDeadline, parisDay } from "~/domain/appeal";
import { OVERALL_DECISION_LABELS, type OverallDecision } from "~/domain/jury-decision";
import { parseScheme } from "~/domain/scheme";
import { notifiedAtOf } from "~/delivery/notice-kind.server";

export async function listDossierAppeals(organisationId: string, dossierId: string) {
  const dossier = await prisma.dossier.findFirst({
    where: { id: dossierId, organisationId },
    select: { certification: { select: { scheme: true } } },
  });
  if (!dossier) return null;
  const rules = parseScheme(dossier.certification.scheme).jury;
  const decisions = await prisma.juryDecision.findMany({
    where: { dossierId },
    orderBy: { decidedAt: "asc" },
    select: { id: true, overall: true, decidedAt: true, session: { select: { title: true } } },
  });
  const appeals = await prisma.appeal.findMany({ where: { dossierId, organisationId }, orderBy: { createdAt: "asc" } });
  const sessionIds = appeals.flatMap((a) => (a.sessionId ? [a.sessionId] : []));
  const sessions = sessionIds.length
    ? await prisma.session.findMany({ where: { id: { in: sessionIds } }, select: { id: true, title: true, startsAt: true, status: true } })
    : [];
  const label = (id: string | null) => {
    const d = decisions.find((x) => x.id === id);
    return d ? `${OVERALL_DECISION_LABELS[d.overall as OverallDecision]} — ${d.session.title}` : "Décision";
  };
  const notified = await notifiedAtOf(prisma, decisions.map((d) => d.id));
  const replaced = new Set(appeals.flatMap((a) => (a.newDecisionId ? [a.decisionId] : [])));
  const pending = new Set(appeals.filter((a) => a.status === "RECEIVED" || a.status === "SCHEDULED").map((a) => a.decisionId));
  return {
    appealsAllowed: rules.appealsAllowed,
    deadlineDays: rules.appealDeadlineDays,
    today: parisDay(new Date()),
    decisions: decisions.map((d) => ({
      id: d.id,
      label: label(d.id),
      decidedAt: d.decidedAt.toISOString(),
      // From the notification, like the rule that records the appeal (until notified, from the decision).
      deadline: appealDeadline(rules, notified.get(d.id) ?? d.decidedAt),
      contestable: rules.appealsAllowed && !replaced.has(d.id) && !pending.has(d.id),
    })),
    appeals: appeals.map((a) => {
      const session = sessions.find((s) => s.id === a.sessionId) ?? null;
      return {
        id: a.id,
        status: a.status,
        decision: label(a.decisionId),
        receivedAt: a.receivedAt.toISOString(),
        grounds: a.grounds,
        jury: session ? { id: session.id, title: session.title, startsAt: session.startsAt.toISOString() } : null,
        outcomeReason: a.outcomeReason,
        outcomeAt: a.outcomeAt?.toISOString() ?? null,
        revisedDecision: a.newDecisionId ? label(a.newDecisionId) : null,
      };
    }),
  };
}
export type DossierAppeals = NonNullable<Awaited<ReturnType<typeof listDossierAppeals>>>;
