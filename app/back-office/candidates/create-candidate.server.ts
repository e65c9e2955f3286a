/** Registers a candidate in the organisation (identity, contact, employer, trainer), audited in the same transaction. */
import { prisma, type Prisma } from "~/platform/db/db.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { candidateDataFromForm, type CandidateForm } from "~/domain/identity";
import { auditActor } from "~/platform/audit/record-audit.server";
import { fieldRefusal, type Actor, type Refusal } from "~/platform/app-error";
import { checkDuplicateCandidate, type DuplicateRefusal } from "./find-duplicate-candidate.server";
import { searchKeyOf } from "~/domain/search";

export const TRAINER_NOT_IN_ORGANISATION = "Ce formateur n'est pas un utilisateur de votre organisation.";

/** `submissionKey`: the form's (app/platform/http/submission-key.server.ts): sent twice, one candidate is registered. */
export async function createCandidate(
  actor: Actor,
  form: CandidateForm,
  submissionKey: string | null = null,
): Promise<{ ok: true; candidateId: string } | Refusal | DuplicateRefusal> {
  const values = candidateDataFromForm(form);
  const submission = { userId: actor.userId, key: submissionKey, action: "candidate.create" };
  return prisma.$transaction((tx) =>
    oncePerSubmission(
      tx,
      submission,
      async () => {
        const result = await register(tx);
        return { value: result, resultId: result.ok ? result.candidateId : null };
      },
      async (candidateId) => ({ ok: true as const, candidateId }),
    ),
  );

  async function register(tx: Prisma.TransactionClient) {
    if (values.trainerId) {
      const member = await tx.membership.findFirst({
        where: { userId: values.trainerId, organisationId: actor.organisationId },
        select: { id: true },
      });
      if (!member) return fieldRefusal("trainerId", TRAINER_NOT_IN_ORGANISATION);
    }
    const identity = await checkDuplicateCandidate(tx, actor.organisationId, values, {
      confirmedHomonymOf: form.confirmedHomonymOf,
    });
    if (!identity.ok) return identity;
    const candidate = await tx.candidate.create({
      data: { ...values, organisationId: actor.organisationId, searchKey: searchKeyOf(values.birthName, values.usageName, values.givenNames) },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "candidate.create",
      subjectType: "Candidate",
      subjectId: candidate.id,
      // Personal data stays on the candidate: the trail records which fields were given, not their values.
      data: {
        fields: Object.keys(values).filter((k) => values[k as keyof typeof values] !== null),
        ...(identity.homonymOf ? { homonymOf: identity.homonymOf } : {}),
      },
    });
    return { ok: true as const, candidateId: candidate.id };  }
}
