/**
 * Stores an evidence file on a dossier: allowed type checked on the declared type, the extension and the first
 * bytes; content kept with its SHA-256 (hex) and size. Refused files leave nothing behind, and files already
 * stored are never touched.
 */
import { createHash } from "node:crypto";
import { prisma } from "~/platform/db/db.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { checkEvidenceFile, safeFileName, type EvidenceKind } from "~/domain/completeness";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { findOpenDossier, refuse } from "./find-dossier.server";

export async function addEvidence(
  actor: Actor,
  dossierId: string,
  input: { kind: EvidenceKind; file: File },
): Promise<{ ok: true; evidenceId: string; sha256: string } | Refusal> {
  const fileName = safeFileName(input.file.name);
  const content = new Uint8Array(await input.file.arrayBuffer());
  const check = checkEvidenceFile({
    fileName,
    declaredType: input.file.type,
    size: content.byteLength,
    head: content.subarray(0, 1024),
  });
  if (!check.ok) return refuse(check.error, "file");
  const sha256 = createHash("sha256").update(content).digest("hex");

  return prisma.$transaction(async (tx) => {
    const { dossier, refusal } = await findOpenDossier(tx, actor.organisationId, dossierId);
    if (refusal) return refusal;
    const evidence = await tx.evidence.create({
      data: {
        dossierId: dossier.id,
        kind: input.kind,
        fileName,
        mimeType: check.mimeType,
        size: content.byteLength,
        sha256,
        content,
        uploadedById: actor.userId,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "evidence.add",
      subjectType: "Dossier",
      subjectId: dossier.id,
      data: { evidenceId: evidence.id, kind: input.kind, fileName, mimeType: check.mimeType, size: content.byteLength, sha256 },
    });
    return { ok: true as const, evidenceId: evidence.id, sha256 };
  });
}
