/** Replaces a certification's scheme rules (validated by app/domain/scheme.ts) and audits before and after. */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { safeParseScheme, type SchemeInput } from "~/domain/scheme";
import { auditActor } from "~/platform/audit/record-audit.server";
import { refusal, type Actor, type Result } from "~/platform/app-error";
import { lockCertification } from "./shared.server";

export async function updateScheme(
  actor: Actor,
  certificationId: string,
  input: SchemeInput,
): Promise<Result> {
  const parsed = safeParseScheme(input);
  if (!parsed.ok) return refusal("INVALID", ["Règles invalides.", ...parsed.issues.map((i) => `${i.path} : ${i.message}`)]);
  return prisma.$transaction(async (tx) => {
    await lockCertification(tx, actor, certificationId);
    const before = await tx.certification.findUniqueOrThrow({ where: { id: certificationId }, select: { scheme: true } });
    // Saving the page untouched (or a double click) changes nothing and records nothing.
    const current = safeParseScheme(before.scheme);
    if (current.ok && JSON.stringify(current.scheme) === JSON.stringify(parsed.scheme)) return { ok: true as const };
    await tx.certification.update({
      where: { id: certificationId },
      data: { scheme: parsed.scheme as Prisma.InputJsonValue },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "certification.scheme.update",
      subjectType: "Certification",
      subjectId: certificationId,
      data: { before: before.scheme, after: parsed.scheme },
    });
    return { ok: true as const };
  });
}
