/**
 * Corrects or completes a candidate's identity, contact and trainer; audited with the list of changed fields. A
 * holder whose identity, as the Caisse des Dépôts' file carries it, changes after their passage was declared (exported
 * or accepted) has that passage marked to declare again (`identityChangedAt`), and unmarked when the identity is put
 * back as declared: the declarations page says so and the next file carries it.
 */
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
import type { Prisma } from "~/platform/db/db.server";
import { declaredIdentityKey, holderFromIdentity } from "~/archive/cdc/declaration";
import { lockDeclarations } from "~/archive/cdc/export-declaration.server";

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
    const redeclare = await markRedeclarations(tx, actor.organisationId, current, { ...current, ...values });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "candidate.update",
      subjectType: "Candidate",
      subjectId: current.id,
      data: { fields: changed, ...(identity.homonymOf ? { homonymOf: identity.homonymOf } : {}), ...(redeclare.length ? { redeclare } : {}) },
    });
    return { ok: true as const, changed };
  });
}

type CandidateIdentity = Parameters<typeof holderFromIdentity>[0] & { birthCode: string | null };

/**
 * The candidate's declared passages whose holder no longer is the one their file declared: marked to declare again
 * (their idTechnique returned, for the audit event); those whose holder is back to it, unmarked. Nothing is read when
 * the identity the file carries did not change. Under the organisation's declarations lock, as a file's generation:
 * a file built with the former identity and stored after this correction still has its passage marked.
 */
async function markRedeclarations(tx: Prisma.TransactionClient, organisationId: string, before: CandidateIdentity & { id: string }, after: CandidateIdentity) {
  const previous = declaredIdentityKey(holderFromIdentity(before, before.birthCode));
  const now = declaredIdentityKey(holderFromIdentity(after, after.birthCode));
  if (previous === now) return [];
  await lockDeclarations(tx, organisationId);
  const passages = await tx.cdcPassage.findMany({
    where: { organisationId, candidateId: before.id, status: { in: ["exported", "accepted"] } },
    select: { id: true, idTechnique: true, declaredHolder: true, identityChangedAt: true },
  });
  const marked: string[] = [];
  const at = new Date();
  for (const passage of passages) {
    // A passage exported before the declared identity was kept: the identity before this correction stands for it.
    const declared = passage.declaredHolder ?? previous;
    const differs = declared !== now;
    if (differs) marked.push(passage.idTechnique);
    if (differs === (passage.identityChangedAt !== null) && passage.declaredHolder !== null) continue;
    await tx.cdcPassage.update({
      where: { id: passage.id },
      data: { declaredHolder: declared, identityChangedAt: differs ? (passage.identityChangedAt ?? at) : null },
    });
  }
  return marked;
}
