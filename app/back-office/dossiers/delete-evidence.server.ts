/** Deletes one evidence file of a dossier; the audit event keeps its name and SHA-256. */
import { prisma } from "~/platform/db/db.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { findOpenDossier, refuse } from "./find-dossier.server";

export async function deleteEvidence(actor: Actor, dossierId: string, evidenceId: string): Promise<{ ok: true } | Refusal> {
  return prisma.$transaction(async (tx) => {
    const { dossier, refusal } = await findOpenDossier(tx, actor.organisationId, dossierId);
    if (refusal) return refusal;
    const evidence = await tx.evidence.findFirst({
      where: { id: evidenceId, dossierId: dossier.id },
      select: { id: true, kind: true, fileName: true, sha256: true, size: true },
    });
    if (!evidence) return refuse("Cette pièce n'existe plus : la page a peut-être été ouverte avant sa suppression.");
    await tx.evidence.delete({ where: { id: evidence.id } });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "evidence.delete",
      subjectType: "Dossier",
      subjectId: dossier.id,
      data: { evidenceId: evidence.id, kind: evidence.kind, fileName: evidence.fileName, size: evidence.size, sha256: evidence.sha256 },
    });
    return { ok: true as const };
  });
}
