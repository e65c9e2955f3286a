/** Creates a certification of the organisation with the usual starting rules of its kind. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import { prisma, Prisma } from "~/platform/db/db.server";
import type { CertificationKind } from "~/domain/certification";
import { defaultSchemeFor } from "~/domain/scheme";
import { auditActor } from "~/platform/audit/record-audit.server";
import { fieldRefusal, type Actor, type Refusal } from "~/platform/app-error";
import { certificationSearchKey } from "./shared.server";

export type CertificationIdentity = {
  kind: CertificationKind;
  code: string;
  /** The RNCP or RS registration of a certification whose code is a branch number (null otherwise). */
  registrationCode?: string | null;
  title: string;
  nationalLevel: number | null;
  eqfLevel: number | null;
  nsfCodes: string[];
  decisionDate: Date | null;
  certifierName: string;
  certifierSignatory: string;
};

export const DUPLICATE_CODE = "Une certification de votre organisation porte déjà ce code.";

export async function createCertification(
  actor: Actor,
  identity: CertificationIdentity,
  submissionKey: string | null = null,
): Promise<{ ok: true; certificationId: string } | Refusal> {
  const submission = { userId: actor.userId, key: submissionKey, action: "certification.create" };
  return refusingDuplicateCode(() =>
    prisma.$transaction((tx) =>
      oncePerSubmission(
        tx,
        submission,
        async () => {
          const result = await create(tx);
          return { value: result, resultId: result.ok ? result.certificationId : null };
        },
        async (certificationId) => ({ ok: true as const, certificationId }),
      ),
    ),
  );

  async function create(tx: Prisma.TransactionClient) {
    const existing = await tx.certification.findFirst({
      where: { organisationId: actor.organisationId, code: identity.code },
      select: { id: true },
    });
    if (existing) return fieldRefusal("code", DUPLICATE_CODE);
    const scheme = defaultSchemeFor(identity.kind);
    const certification = await tx.certification.create({
      data: {
        organisationId: actor.organisationId,
        ...identity,
        scheme: scheme as Prisma.InputJsonValue,
        searchKey: certificationSearchKey({ ...identity, registrationCode: identity.registrationCode ?? null }),
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "certification.create",
      subjectType: "Certification",
      subjectId: certification.id,
      data: { ...identity, decisionDate: identity.decisionDate?.toISOString().slice(0, 10) ?? null, scheme },
    });
    return { ok: true as const, certificationId: certification.id };  }
}

/**
 * The code check reads before it writes: a certification given the same code at that moment (a double submit) makes
 * the insert or update fail on the unique (organisation, code) index. That is the same refusal, not a 500.
 */
export async function refusingDuplicateCode<T>(work: () => Promise<T>): Promise<T | Refusal> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return fieldRefusal("code", DUPLICATE_CODE);
    throw error;
  }
}
