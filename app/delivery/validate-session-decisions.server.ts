/**
 * Use case: an authorised user (administrator or secretariat of the organisation) validates, for the CPNE, every
 * decision of a closed jury session in one act, signed through the signing core (kind "validation",
 * app/signing/kinds/validation): the password is checked first, the user is recorded as the validator, then the
 * decisions are sealed (canonical JSON, SHA-256) and signed — the one signature completes the validation and queues
 * its sealed PDF. Each step is its own transaction with its audit event (validation.sealed, .signed, .completed).
 * Idempotent: validating validated decisions changes nothing. Refused while a fiche de décision of the jury is not
 * signed (docs/decisions/0019: the CPNE validates what the jury signed), before the password is even checked.
 */
import { unsignedSheetsRefusal } from "~/domain/decision-validation";
import { candidateName } from "~/domain/identity";
import { AppError, type Actor } from "~/platform/app-error";
import { reauthenticate, WRONG_PASSWORD } from "~/platform/auth/login.server";
import { prisma } from "~/platform/db/db.server";
import { openSigning } from "~/signing/open-signing.server";
import type { SigningPorts } from "~/signing/ports";
import { signDocument } from "~/signing/sign-document.server";
import { VALIDATION_KIND, validationKind } from "~/signing/kinds/validation/validation-kind.server";

export async function validateSessionDecisions(input: { actor: Actor; sessionId: string; password: string; consent: boolean; ports: SigningPorts }) {
  const { actor } = input;
  const ref = { documentId: input.sessionId };
  const meta = { ip: actor.ip, userAgent: actor.userAgent };
  const before = await validationKind.load(prisma, ref);
  if (before.organisationId !== actor.organisationId) throw new AppError("NOT_FOUND", "Séance introuvable.");
  if (before.status === "SIGNED") return { status: "SIGNED" as const };
  await requireSignedSheets(input.sessionId);
  if (!input.consent) throw AppError.field("consent", "Cochez la case pour valider et signer les décisions.");
  if (!input.password) throw AppError.field("password", "Saisissez votre mot de passe pour signer.");
  const refusal = await reauthenticate(actor.userId, input.password, actor.ip);
  if (refusal) throw refusal === WRONG_PASSWORD ? AppError.field("password", refusal) : new AppError("RATE_LIMITED", refusal);
  // The validator of this round: recorded under the row lock while nothing is sealed yet.
  await prisma.$transaction(async (tx) => {
    const document = await validationKind.lock(tx, ref);
    validationKind.requireManager({ ...document, validatorId: actor.userId }, actor.userId, "open");
    if (document.status === "OPEN") {
      await tx.sessionValidation.update({ where: { sessionId: input.sessionId }, data: { validatorId: actor.userId } });
    } else if (document.validatorId !== actor.userId) {
      throw new AppError("CONFLICT", "Une autre personne est en train de valider ces décisions.");
    }
  });
  await openSigning({ kind: VALIDATION_KIND, ref, actorId: actor.userId, meta, ports: input.ports });
  await signDocument({ kind: VALIDATION_KIND, ref, actorId: actor.userId, password: input.password, consent: true, meta, ports: input.ports });
  const after = await validationKind.load(prisma, ref);
  return { status: after.status };
}

/**
 * Every decision of the jury has its fiche de décision signed. Read once, outside the signing transactions: a signed
 * fiche is never reopened, so what is signed now stays signed.
 */
async function requireSignedSheets(sessionId: string): Promise<void> {
  const decisions = await prisma.juryDecision.findMany({
    where: { sessionId, OR: [{ sheet: null }, { sheet: { status: { not: "SIGNED" } } }] },
    orderBy: { decidedAt: "asc" },
    select: { sheet: { select: { status: true } }, dossier: { select: { candidate: { select: { birthName: true, usageName: true, givenNames: true, sex: true } } } } },
  });
  if (decisions.length === 0) return;
  const refusal = unsignedSheetsRefusal(
    decisions.map((d) => ({ candidate: candidateName(d.dossier.candidate), status: d.sheet?.status ?? null })),
    "validate",
  );
  throw new AppError("CONFLICT", refusal.message, { details: refusal.details });
}
