/**
 * What the certification use cases share (actor and refusal shape: app/platform/app-error.ts): the 404s, and the
 * lock that keeps a published référentiel version frozen.
 */
import { data } from "@remix-run/node";
import { refusal, type Actor, type Refusal, type Result } from "~/platform/app-error";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { searchKeyOf } from "~/domain/search";

export const CERTIFICATION_NOT_FOUND = "Cette certification n'existe pas ou n'appartient pas à votre organisation.";
export const VERSION_NOT_FOUND = "Cette version du référentiel n'existe pas ou n'appartient pas à votre organisation.";
export const ITEM_NOT_FOUND = "Cet élément n'existe pas (ou plus) dans cette version du référentiel.";
export const PUBLISHED_REFUSAL =
  "Cette version du référentiel est publiée : elle ne peut plus être modifiée. Créez une nouvelle version pour la faire évoluer.";

export const notFound = (message: string) => data(message, { status: 404 });

/** The identity fields of a certification (`CertificationIdentity`), as Prisma selects them. */
export const CERTIFICATION_IDENTITY_SELECT = {
  kind: true,
  code: true,
  registrationCode: true,
  title: true,
  nationalLevel: true,
  eqfLevel: true,
  nsfCodes: true,
  decisionDate: true,
  certifierName: true,
  certifierSignatory: true,
} as const satisfies Prisma.CertificationSelect;

/**
 * What a certification is found by in the searches (its list, the habilitations): its code, its title and its RNCP or
 * RS registration (a CQPM known by its branch number is looked for by « RNCP38544 » or « 38544 » too). The migration
 * 20261212001000_certification_registration_search appended the registration to the keys written before.
 */
export function certificationSearchKey(identity: { code: string; title: string; registrationCode: string | null }): string {
  return searchKeyOf(identity.code, identity.title, identity.registrationCode);
}

export type DraftVersion = { id: string; version: number; certificationId: string; certificationCode: string };

/**
 * Locks a version of the organisation (FOR UPDATE, so a concurrent publication waits for this change or the change
 * sees the publication), then returns it when it is still a draft. Throws a 404 for another organisation's version.
 */
export async function lockDraftVersion(
  tx: Prisma.TransactionClient,
  actor: Pick<Actor, "organisationId">,
  versionId: string,
): Promise<{ ok: true; draft: DraftVersion } | Refusal> {
  await tx.$executeRaw`
    SELECT 1 FROM "ReferentialVersion" v JOIN "Certification" c ON c."id" = v."certificationId"
    WHERE v."id" = ${versionId} AND c."organisationId" = ${actor.organisationId}
    FOR UPDATE OF v`;
  const version = await tx.referentialVersion.findFirst({
    where: { id: versionId, certification: { organisationId: actor.organisationId } },
    select: { id: true, version: true, publishedAt: true, certification: { select: { id: true, code: true } } },
  });
  if (!version) throw notFound(VERSION_NOT_FOUND);
  if (version.publishedAt) return refusal("CONFLICT", [PUBLISHED_REFUSAL]);
  return {
    ok: true,
    draft: {
      id: version.id,
      version: version.version,
      certificationId: version.certification.id,
      certificationCode: version.certification.code,
    },
  };
}

/**
 * A change of a draft version: one transaction that holds the version's lock (`lockDraftVersion`) and runs `change`;
 * refused, with nothing written, when the version is published.
 */
export async function changeDraftVersion<T extends object>(
  actor: Pick<Actor, "organisationId">,
  versionId: string,
  change: (tx: Prisma.TransactionClient, draft: DraftVersion) => Promise<Result<T>>,
): Promise<Result<T>> {
  return prisma.$transaction(async (tx) => {
    const locked = await lockDraftVersion(tx, actor, versionId);
    return locked.ok ? change(tx, locked.draft) : locked;
  });
}

/** Locks a certification of the organisation (serialises version numbering), or throws a 404. */
export async function lockCertification(tx: Prisma.TransactionClient, actor: Pick<Actor, "organisationId">, certificationId: string) {
  await tx.$executeRaw`
    SELECT 1 FROM "Certification" WHERE "id" = ${certificationId} AND "organisationId" = ${actor.organisationId} FOR UPDATE`;
  const certification = await tx.certification.findFirst({
    where: { id: certificationId, organisationId: actor.organisationId },
    select: { id: true, code: true, title: true },
  });
  if (!certification) throw notFound(CERTIFICATION_NOT_FOUND);
  return certification;
}
