/**
 * Use case: an authorised user (administrator or secretariat) returns a closed jury session's decisions to the jury
 * for the CPNE, with a reason: nothing is validated, no record can be issued (app/domain/decision-validation.ts).
 * One transaction with its audit event. A validation in progress (sealed, not signed) is withdrawn: its round ends.
 * The decisions may still be validated later (after the jury's explanation), which the audit trail shows. The same
 * return again (a double click: returned with this reason, nothing started since) writes nothing more.
 * Refused once records were issued for the session's decisions (the scheme's CPNE validation switched on after they
 * were): delivered documents attest final decisions; a decision is contested by an appeal, never by a return. Checked
 * under the session's issuance lock (./issue-records.server.ts lockSessionIssuance), so a « Délivrer » running at the
 * same time either issued before (refused here) or waits and then finds the decisions returned.
 */
import { checkReturnReason } from "~/domain/decision-validation";
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { validationKind } from "~/signing/kinds/validation/validation-kind.server";
import { lockSessionIssuance } from "./issue-records.server";

export async function returnSessionDecisions(input: { actor: Actor; sessionId: string; reason: string }) {
  const checked = checkReturnReason(input.reason);
  if (!checked.ok) throw AppError.field("reason", checked.message);
  const ref = { documentId: input.sessionId };
  return prisma.$transaction(async (tx) => {
    await lockSessionIssuance(tx, input.sessionId);
    const document = await validationKind.lock(tx, ref);
    if (document.organisationId !== input.actor.organisationId) throw new AppError("NOT_FOUND", "Séance introuvable.");
    validationKind.requireManager({ ...document, validatorId: input.actor.userId }, input.actor.userId, "open");
    if (document.status === "SIGNED") throw new AppError("CONFLICT", "Les décisions sont déjà validées : elles ne peuvent plus être renvoyées au jury.");
    // Already returned with this reason, nothing started since (a double click, a retry): the same return, not a second one.
    const current = await tx.sessionValidation.findUniqueOrThrow({ where: { sessionId: input.sessionId }, select: { returnedAt: true, returnReason: true } });
    if (document.status === "OPEN" && document.validatorId === null && current.returnedAt && current.returnReason === checked.reason) {
      return { returnedAt: current.returnedAt, reason: checked.reason };
    }
    const issued = await tx.deliveryRecord.findMany({
      where: { decision: { sessionId: input.sessionId }, duplicateOfId: null, revokedAt: null },
      orderBy: [{ year: "asc" }, { sequence: "asc" }],
      select: { number: true },
    });
    if (issued.length > 0) {
      throw new AppError(
        "CONFLICT",
        `Des documents ont déjà été délivrés pour les décisions de cette séance (n° ${issued.map((r) => r.number).join(", ")}) : ces décisions sont définitives et ne peuvent plus être renvoyées au jury. Une décision contestée se réexamine sur recours.`,
      );
    }
    const now = new Date();
    await tx.sessionValidation.update({
      where: { sessionId: input.sessionId },
      data: {
        returnedAt: now,
        returnedById: input.actor.userId,
        returnReason: checked.reason,
        ...(document.status === "SIGNING"
          ? { status: "OPEN", round: { increment: 1 }, sealedHash: null, sealedAt: null, validatorId: null }
          : { validatorId: null }),
      },
    });
    if (document.status === "SIGNING") {
      await tx.signature.updateMany({
        where: { documentKind: validationKind.kind, documentId: input.sessionId, round: document.round, voidedAt: null },
        data: { voidedAt: now },
      });
    }
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: "delivery.decisions.returned",
      subjectType: "SessionValidation",
      subjectId: input.sessionId,
      data: { reason: checked.reason, round: document.round },
    });
    return { returnedAt: now, reason: checked.reason };
  });
}
