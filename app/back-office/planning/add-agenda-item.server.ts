/**
 * Puts a dossier on a jury's agenda. Only complete dossiers go before a jury: an incomplete one is refused with
 * the list of what is missing. The dossier moves to ON_AGENDA in the same transaction; the candidate's trainer
 * may not sit on that jury.
 */
import type { Actor, Result } from "~/platform/app-error";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { getDossierCompleteness } from "~/back-office/dossiers/dossier-completeness.server";
import { DOSSIER_STATUS_LABELS, type DossierStatus } from "~/domain/completeness";
import { candidateConflicts } from "~/domain/eligibility";
import {
  isRefusal,
  loadEditableSession,
  refuse,
  refuseField,
  toCandidateRef,
} from "./planning-context.server";

export async function addAgendaItem(
  sessionId: string,
  dossierId: string,
  actor: Actor,
): Promise<Result<{ itemId: string }>> {
  return prisma.$transaction(async (tx) => {
    const ctx = await loadEditableSession(tx, sessionId, actor.organisationId, {
      required: "JURY",
      otherwise: "Une commission d'évaluation n'a pas d'ordre du jour : ajoutez des créneaux de passage.",
    });
    if (isRefusal(ctx)) return ctx;
    const { session, certification, rules } = ctx;

    // After the session (the planning's lock order), the dossier's row lock, the one its page changes take
    // (findOpenDossier): completeness is judged on the dossier as it is now, not before a removal committing meanwhile.
    await tx.$executeRaw`SELECT 1 FROM "Dossier" WHERE "id" = ${dossierId} AND "organisationId" = ${actor.organisationId} FOR NO KEY UPDATE`;
    const dossier = await tx.dossier.findFirst({
      where: { id: dossierId, organisationId: actor.organisationId },
      select: {
        id: true,
        status: true,
        certificationId: true,
        candidate: { select: { id: true, birthName: true, usageName: true, givenNames: true, trainerId: true } },
        agendaItems: { select: { sessionId: true, session: { select: { title: true, status: true } } } },
      },
    });
    if (!dossier || dossier.certificationId !== certification?.id) {
      return refuseField("dossierId", "Choisissez un dossier de la certification de ce jury.");
    }
    const candidate = toCandidateRef(dossier.candidate);
    if (dossier.agendaItems.some((a) => a.sessionId === session.id)) {
      return refuseField("dossierId", `Le dossier de ${candidate.name} est déjà à l'ordre du jour.`);
    }
    const elsewhere = dossier.agendaItems.find((a) => a.session.status !== "CLOSED");
    if (dossier.status === "ON_AGENDA" && elsewhere) {
      return refuseField(
        "dossierId",
        `Le dossier de ${candidate.name} est déjà à l'ordre du jour du jury « ${elsewhere.session.title} ».`,
      );
    }

    const completeness = await getDossierCompleteness(dossier.id, actor.organisationId, tx);
    if (!completeness.complete) {
      return refuseField(
        "dossierId",
        `Dossier incomplet : celui de ${candidate.name} ne peut pas être présenté au jury. Il manque :`,
        ...completeness.missing.map((item) => `${item.label} — ${item.reason}`),
      );
    }
    const status = dossier.status as DossierStatus;
    if (status !== "COMPLETE") {
      return refuseField(
        "dossierId",
        `Le dossier de ${candidate.name} doit d'abord être déclaré complet (statut actuel : ${DOSSIER_STATUS_LABELS[status]}).`,
      );
    }

    const conflicts = candidateConflicts(candidate, ctx.seats, rules.evaluatorMustNotBeTrainer);
    if (conflicts.length > 0) return refuseField("dossierId", ...conflicts);

    // Guarded by the status read above: a concurrent change makes this update touch no row (nothing written yet).
    const moved = await tx.dossier.updateMany({
      where: { id: dossier.id, organisationId: actor.organisationId, status: "COMPLETE" },
      data: { status: "ON_AGENDA" },
    });
    if (moved.count !== 1) return refuse(["Le statut du dossier a changé entre-temps : rechargez la page."]);
    const position = session.agenda.reduce((max, a) => Math.max(max, a.position), 0) + 1;
    const item = await tx.juryAgendaItem.create({ data: { sessionId: session.id, dossierId: dossier.id, position } });
    const audit = { organisationId: actor.organisationId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent };
    await recordAudit(tx, {
      ...audit,
      action: "session.agenda.add",
      subjectType: "Session",
      subjectId: session.id,
      data: { itemId: item.id, dossierId: dossier.id, candidate: candidate.name, position },
    });
    await recordAudit(tx, {
      ...audit,
      action: "dossier.status.change",
      subjectType: "Dossier",
      subjectId: dossier.id,
      data: { from: "COMPLETE", to: "ON_AGENDA", sessionId: session.id },
    });
    return { ok: true as const, itemId: item.id };
  });
}
