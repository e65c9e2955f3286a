/**
 * Moves a dossier along its lifecycle from the dossier page. The allowed changes and their conditions are the
 * pure rules of app/domain/completeness.ts, judged on the checklist computed in the same transaction; the agenda
 * (ON_AGENDA) and the deliberation (DECIDED) belong to the jury planning, not to this page.
 */
import { prisma } from "~/platform/db/db.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import {
  DOSSIER_STATUS_LABELS,
  isSystemTransition,
  transitionRefusal,
  type DossierStatus,
} from "~/domain/completeness";
import { getDossierCompleteness } from "./dossier-completeness.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { refuse } from "./find-dossier.server";

export async function changeDossierStatus(
  actor: Actor,
  dossierId: string,
  input: { from: DossierStatus; to: DossierStatus },
): Promise<{ ok: true } | Refusal> {
  return prisma.$transaction(async (tx) => {
    // The checklist is judged under the dossier's row lock (the one its page changes take, findOpenDossier): a change
    // committed meanwhile — its blocs or evidence removed — is in the checklist, not under a status it no longer meets.
    await tx.$executeRaw`SELECT 1 FROM "Dossier" WHERE "id" = ${dossierId} AND "organisationId" = ${actor.organisationId} FOR NO KEY UPDATE`;
    const completeness = await getDossierCompleteness(dossierId, actor.organisationId, tx);
    const from = completeness.status;
    if (from !== input.from) {
      return refuse(
        `Le statut du dossier a changé entre-temps (« ${DOSSIER_STATUS_LABELS[from]} ») : vérifiez-le avant de recommencer.`,
      );
    }
    if (isSystemTransition(from, input.to)) {
      return refuse(
        from === "ON_AGENDA"
          ? "Ce dossier est à l'ordre du jour d'un jury : retirez-le de l'ordre du jour depuis la planification."
          : "Ce statut est attribué par la planification du jury ou par sa délibération.",
        "to",
      );
    }
    const refusal = transitionRefusal(from, input.to, { route: completeness.route, checklist: completeness });
    if (refusal) return refuse(refusal, "to");
    // Guarded by the status read above: a concurrent change makes this update touch no row.
    const updated = await tx.dossier.updateMany({
      where: { id: dossierId, organisationId: actor.organisationId, status: from },
      data: { status: input.to },
    });
    if (updated.count !== 1) return refuse("Le statut du dossier a changé entre-temps : rechargez la page.");
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "dossier.status.change",
      subjectType: "Dossier",
      subjectId: dossierId,
      data: { from, to: input.to },
    });
    return { ok: true as const };
  });
}
