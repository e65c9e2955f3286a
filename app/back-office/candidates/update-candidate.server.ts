/** Corrects or completes a candidate's identity, contact and trainer; audited with the list of changed fields. */
import { prisma } from "~/platform/db/db.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { candidateDataFromForm, identityMatchKey, type CandidateForm } from "~/domain/identity";
import { auditActor } from "~/platform/audit/record-audit.server";
import { fieldRefusal, type Actor, type Refusal } from "~/platform/app-error";
import { searchKeyOf } from "~/domain/search";
import { TRAINER_NOT_IN_ORGANISATION } from "./create-candidate.server";
import { checkDuplicateCandidate, type DuplicateRefusal } from "./find-duplicate-candidate.server";
import { CANDIDATE_NOT_FOUND } from "./get-candidate.server";
import { data } from "@remix-run/node";

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date || b instanceof Date
    ? (a instanceof Date ? a.getTime() : a) === (b instanceof Date ? b.getTime() : b)
    : a === b;

export async function updateCandidate(
  actor: Actor,
  candidateId: string,
  form: CandidateForm,
): Promise<{ ok: true; changed: string[] } | Refusal | DuplicateRefusal> {
  const values = candidateDataFromForm(form);
  return prisma.$transaction(async (tx) => {
    const current = await tx.candidate.findFirst({ where: { id: candidateId, organisationId: actor.organisationId } });
    if (!current) throw data(CANDIDATE_NOT_FOUND, { status: 404 });
    if (values.trainerId && values.trainerId !== current.trainerId) {
      const member = await tx.membership.findFirst({
        where: { userId: values.trainerId, organisationId: actor.organisationId },
        select: { id: true },
      });
      if (!member) return fieldRefusal("trainerId", TRAINER_NOT_IN_ORGANISATION);
    }
    // Only a changed identity is checked: an older pair of homonyms does not block correcting a phone number.
    const identity =
      identityMatchKey(values) === identityMatchKey(current)
        ? { ok: true as const, homonymOf: null }
        : await checkDuplicateCandidate(tx, actor.organisationId, values, {
            exceptId: current.id,
            confirmedHomonymOf: form.confirmedHomonymOf,
          });
    if (!identity.ok) return identity;
    const changed = (Object.keys(values) as Array<keyof typeof values>).filter((k) => !sameValue(values[k], current[k]));
    if (changed.length === 0) return { ok: true as const, changed };
    await tx.candidate.update({
      where: { id: current.id },
      data: { ...values, searchKey: searchKeyOf(values.birthName, values.usageName, values.givenNames) },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "candidate.update",
      subjectType: "Candidate",
      subjectId: current.id,
      data: { fields: changed, ...(identity.homonymOf ? { homonymOf: identity.homonymOf } : {}) },
    });
    return { ok: true as const, changed };
  });
}
