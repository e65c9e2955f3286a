/** Replaces a certification's scheme rules (validated by app/domain/scheme.ts) and audits before and after. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { safeParseScheme, type SchemeInput } from "~/domain/scheme";
import { auditFields, lockCertification, type Actor, type Refusal } from "./shared.server";

export async function updateScheme(
  actor: Actor,
  certificationId: string,
  input: SchemeInput,
): Promise<{ ok: true } | (Refusal & { issues?: Array<{ path: string; message: string }> })> {
  const parsed = safeParseScheme(input);
  if (!parsed.ok) return { ok: false, issues: parsed.issues };
  return prisma.$transaction(async (tx) => {
    await lockCertification(tx, actor, certificationId);
    const before = await tx.certification.findUniqueOrThrow({ where: { id: certificationId }, select: { scheme: true } });
    await tx.certification.update({
      where: { id: certificationId },
      data: { scheme: parsed.scheme as Prisma.InputJsonValue },
    });
    await recordAudit(tx, {
      ...auditFields(actor),
      action: "certification.scheme.update",
      subjectType: "Certification",
      subjectId: certificationId,
      data: { before: before.scheme, after: parsed.scheme },
    });
    return { ok: true as const };
  });
}
