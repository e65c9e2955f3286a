/**
 * The duplicate-candidate check of the candidate form: an identity (birth name, given names, birth date — case,
 * accents and hyphens folded) that another candidate of the organisation already has is refused at the birth
 * name, with a link to that candidate, unless the user confirmed that this one is another person (a homonym).
 */
import type { Prisma } from "~/platform/db/db.server";
import { candidateName, formatDateFr, identityMatchKey, type DuplicateCandidate } from "~/domain/identity";
import { fieldRefusal, type Refusal } from "~/platform/app-error";

export type DuplicateRefusal = Refusal & { duplicate: DuplicateCandidate };

type Identity = { birthName: string; givenNames: string; birthDate: Date | null };

function duplicateMessage(existing: { name: string; sex: string | null; birthDate: Date }) {
  const born = existing.sex === "M" ? "né" : existing.sex === "F" ? "née" : "né(e)";
  return (
    `Un candidat de même nom de naissance, prénoms et date de naissance existe déjà : ${existing.name}, ` +
    `${born} le ${formatDateFr(existing.birthDate)}. S'il s'agit de la même personne, utilisez sa fiche ; ` +
    "sinon, confirmez qu'il s'agit d'une autre personne."
  );
}

/**
 * Inside the caller's transaction: the refusal for `identity` when another candidate of the organisation has it
 * (`exceptId`: the candidate being edited); otherwise ok, with the homonym the user confirmed, if it really is one
 * (for the audit event). The check is serialised per identity (advisory lock), so two simultaneous registrations
 * of one person cannot both pass it. `confirmedHomonymOf` is the candidate the user saw and declared to be another
 * person: that one no longer blocks.
 */
export async function checkDuplicateCandidate(
  tx: Prisma.TransactionClient,
  organisationId: string,
  identity: Identity,
  options: { exceptId?: string; confirmedHomonymOf?: string | null } = {},
): Promise<DuplicateRefusal | { ok: true; homonymOf: string | null }> {
  const key = identityMatchKey(identity);
  if (!key || !identity.birthDate) return { ok: true, homonymOf: null };
  const lock = `candidate-identity|${organisationId}|${key}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${lock}, 0))`;
  const sameDay = await tx.candidate.findMany({
    where: { organisationId, birthDate: identity.birthDate, ...(options.exceptId ? { NOT: { id: options.exceptId } } : {}) },
    orderBy: { createdAt: "asc" },
    select: { id: true, birthName: true, usageName: true, givenNames: true, sex: true, birthDate: true },
  });
  const same = sameDay.filter((c) => identityMatchKey(c) === key);
  const existing = same.find((c) => c.id !== options.confirmedHomonymOf);
  if (!existing?.birthDate) {
    return { ok: true, homonymOf: same.length > 0 ? (options.confirmedHomonymOf ?? null) : null };
  }
  const name = candidateName(existing);
  return {
    ...fieldRefusal("birthName", duplicateMessage({ name, sex: existing.sex, birthDate: existing.birthDate })),
    code: "CONFLICT",
    status: 409,
    duplicate: { id: existing.id, name },
  };
}
