/**
 * Use case: the secretariat records an appeal (recours) against a jury decision of one of its dossiers, with its
 * grounds and the day it was received. Refused in French when the scheme allows no appeal, after the scheme's
 * deadline (app/domain/appeal.ts), or while another appeal against the same decision is pending. One transaction
 * with its audit event; submitting the same appeal twice records it once.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { checkAppeal, GROUNDS_MAX, GROUNDS_MIN, parisDay } from "~/domain/appeal";
import { textRefusal } from "~/domain/safe-text";
import { motiveProblem, MOTIVE_TOO_SHORT } from "~/domain/motive";
import { parseScheme } from "~/domain/scheme";
import { notifiedAtOf } from "~/delivery/notice-kind.server";

export async function recordAppeal(input: {
  actor: Actor;
  dossierId: string;
  decisionId: string;
  /** YYYY-MM-DD */
  receivedAt: string;
  grounds: string;
  now?: Date;
}): Promise<{ appealId: string; created: boolean }> {
  const grounds = input.grounds.trim();
  if (grounds.length < GROUNDS_MIN) throw AppError.field("grounds", `Indiquez les motifs du recours (${GROUNDS_MIN} caractères au moins).`);
  // Read by the jury that examines it, printed in its minutes: words, not « .......... » (app/domain/motive.ts).
  if (motiveProblem(grounds)) throw AppError.field("grounds", `Indiquez les motifs du recours : ${MOTIVE_TOO_SHORT}.`);
  if (grounds.length > GROUNDS_MAX) throw AppError.field("grounds", `Les motifs tiennent en ${GROUNDS_MAX} caractères au plus.`);
  const groundsRefusal = textRefusal(grounds, { multiline: true });
  if (groundsRefusal) throw AppError.field("grounds", groundsRefusal);
  const now = input.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    // Serialises the appeals of one dossier (a double submit records one appeal).
    await tx.$executeRaw`SELECT 1 FROM "Dossier" WHERE "id" = ${input.dossierId} AND "organisationId" = ${input.actor.organisationId} FOR UPDATE`;
    const decision = await tx.juryDecision.findFirst({
      where: { id: input.decisionId, dossierId: input.dossierId, dossier: { organisationId: input.actor.organisationId } },
      include: { dossier: { include: { certification: { select: { scheme: true } } } } },
    });
    if (!decision) throw AppError.field("decisionId", "Choisissez une décision du jury de ce dossier.", "NOT_FOUND");
    const rules = parseScheme(decision.dossier.certification.scheme).jury;
    // The deadline runs from the notification (the decision notice sent to the candidate: its letter's render job is
    // created at the moment the notice is sent, app/delivery/send-decision-notice.server.ts), else from the decision.
    const notifiedAt = (await notifiedAtOf(tx, [decision.id])).get(decision.id) ?? decision.decidedAt;
    const check = checkAppeal({ rules, decidedAt: decision.decidedAt, notifiedAt, receivedDay: input.receivedAt, today: parisDay(now) });
    if (!check.ok) throw AppError.field(check.field, check.message, check.field === "decisionId" ? "CONFLICT" : "INVALID");
    const replaced = await tx.appeal.findFirst({ where: { decisionId: decision.id, status: "UPHELD", newDecisionId: { not: null } } });
    if (replaced) throw AppError.field("decisionId", "Cette décision a déjà été remplacée à la suite d'un recours accueilli.", "CONFLICT");
    const pending = await tx.appeal.findFirst({ where: { decisionId: decision.id, status: { in: ["RECEIVED", "SCHEDULED"] } } });
    if (pending) {
      if (pending.grounds === grounds) return { appealId: pending.id, created: false };
      throw AppError.field("decisionId", "Un recours contre cette décision est déjà en attente d'un jury.", "CONFLICT");
    }
    const receivedAt = new Date(`${input.receivedAt}T12:00:00Z`);
    const appeal = await tx.appeal.create({
      data: {
        organisationId: input.actor.organisationId,
        dossierId: decision.dossierId,
        decisionId: decision.id,
        receivedAt,
        grounds,
        recordedById: input.actor.userId,
      },
    });
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: "appeal.recorded",
      subjectType: "Appeal",
      subjectId: appeal.id,
      data: { dossierId: decision.dossierId, decisionId: decision.id, receivedAt: input.receivedAt, deadline: check.deadline },
    });
    return { appealId: appeal.id, created: true };
  });
}
