/**
 * Updates a certification's identity (the mentions of the parchemin). The code is frozen once a référentiel
 * version exists: bloc codes, sessions and dossiers refer to it.
 */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import type { CertificationIdentity } from "./create-certification.server";
import { DUPLICATE_CODE, refusingDuplicateCode } from "./create-certification.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { fieldRefusal, type Actor, type Refusal } from "~/platform/app-error";
import { CERTIFICATION_IDENTITY_SELECT, certificationSearchKey, lockCertification } from "./shared.server";

export const CODE_FROZEN =
  "Le code ne peut plus changer : des versions du référentiel y font référence. Une nouvelle inscription (nouveau code) est une nouvelle certification.";

export async function updateCertification(
  actor: Actor,
  certificationId: string,
  identity: CertificationIdentity,
): Promise<{ ok: true } | Refusal> {
  return refusingDuplicateCode(() => prisma.$transaction(async (tx) => {
    await lockCertification(tx, actor, certificationId);
    const before = await tx.certification.findUniqueOrThrow({
      where: { id: certificationId },
      select: {
        ...CERTIFICATION_IDENTITY_SELECT,
        _count: { select: { versions: true } },
      },
    });
    if (identity.code !== before.code) {
      if (before._count.versions > 0) return fieldRefusal("code", CODE_FROZEN);
      const clash = await tx.certification.findFirst({
        where: { organisationId: actor.organisationId, code: identity.code, NOT: { id: certificationId } },
        select: { id: true },
      });
      if (clash) return fieldRefusal("code", DUPLICATE_CODE);
    }
    await tx.certification.update({
      where: { id: certificationId },
      // A registration left out of `identity` stays as it was (Prisma leaves an undefined field alone): so does its key.
      data: { ...identity, searchKey: certificationSearchKey({ ...identity, registrationCode: identity.registrationCode === undefined ? before.registrationCode : identity.registrationCode }) },
    });
    const { _count, ...previous } = before;
    void _count;
    const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "certification.update",
      subjectType: "Certification",
      subjectId: certificationId,
      data: {
        before: { ...previous, decisionDate: day(previous.decisionDate) },
        after: { ...identity, decisionDate: day(identity.decisionDate) },
      },
    });
    return { ok: true as const };
  }));
}
