/**
 * Query: the juries that took up each dossier (the organisation's only): the session, whether the candidate is still
 * awaiting deliberation or was reported to a later jury, and the decision once rendered (overall, blocs or competences acquired, adjournment's
 * reason) with the state of its fiche de décision. Read by the candidate's and the dossier's pages; the sheet's own
 * panel (app/components/jury/decision-sheet-panel.tsx) loads its details and documents itself.
 */
import { acquiredCodes } from "~/domain/decision-sheet";
import { OVERALL_DECISION_LABELS, type OverallDecision } from "~/domain/jury-decision";
import { prisma } from "~/platform/db/db.server";

export async function listDossierJuries(organisationId: string, dossierIds: string[]) {
  if (dossierIds.length === 0) return {};
  const items = await prisma.juryAgendaItem.findMany({
    where: { dossierId: { in: dossierIds }, session: { organisationId, kind: "JURY" } },
    orderBy: { session: { startsAt: "desc" } },
    select: {
      id: true,
      dossierId: true,
      postponedAt: true,
      session: { select: { id: true, title: true, startsAt: true, status: true } },
      decision: {
        select: {
          overall: true,
          decidedAt: true,
          adjournmentReason: true,
          items: { select: { code: true, acquired: true } },
          sheet: { select: { status: true } },
        },
      },
    },
  });
  const byDossier: Record<string, Array<ReturnType<typeof toView>>> = {};
  for (const item of items) (byDossier[item.dossierId] ??= []).push(toView(item));
  return byDossier;
}

function toView(item: {
  id: string;
  postponedAt: Date | null;
  session: { id: string; title: string; startsAt: Date; status: string };
  decision: {
    overall: string;
    decidedAt: Date;
    adjournmentReason: string | null;
    items: Array<{ code: string; acquired: boolean }>;
    sheet: { status: string } | null;
  } | null;
}) {
  return {
    agendaItemId: item.id,
    session: { id: item.session.id, title: item.session.title, startsAt: item.session.startsAt.toISOString(), status: item.session.status },
    // Reported to a later jury by that sitting (recusal deadlock): not deliberated there, never a decision.
    postponedAt: item.postponedAt?.toISOString() ?? null,
    decision: item.decision
      ? {
          overall: item.decision.overall,
          label: OVERALL_DECISION_LABELS[item.decision.overall as OverallDecision],
          decidedAt: item.decision.decidedAt.toISOString(),
          adjournmentReason: item.decision.adjournmentReason,
          sheetStatus: item.decision.sheet?.status ?? "OPEN",
          ...acquiredCodes(item.decision.items),
        }
      : null,
  };
}
export type DossierJury = Awaited<ReturnType<typeof listDossierJuries>>[string][number];
