/**
 * Stores an evidence file on a dossier: allowed type checked on the declared type, the extension and the first
 * bytes; content kept with its SHA-256 (hex) and size. Refused files leave nothing behind, and files already
 * stored are never touched.
 */
import { createHash } from "node:crypto";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { checkEvidenceFile, safeFileName, type EvidenceKind } from "~/domain/completeness";
import { auditActor } from "~/platform/audit/record-audit.server";
import { type Actor, type Refusal } from "~/platform/app-error";
import { findOpenDossier, refuse } from "./find-dossier.server";

/** `submissionKey`: the form's (app/platform/http/submission-key.server.ts): sent twice, the file is stored once. */
export async function addEvidence(
  actor: Actor,
  dossierId: string,
  input: { kind: EvidenceKind; file: File },
  submissionKey: string | null = null,
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
  const { mimeType } = check;
  const sha256 = createHash("sha256").update(content).digest("hex");

  const submission = { userId: actor.userId, key: submissionKey, action: `evidence.add:${dossierId}` };
  return prisma.$transaction((tx) =>
    oncePerSubmission(
      tx,
      submission,
      async () => {
        const result = await store(tx);
        return { value: result, resultId: result.ok ? result.evidenceId : null };
      },
      async (evidenceId) => {
        // The piece the first submission stored (deleted since, it stays deleted: this is not a new upload).
        const stored = await tx.evidence.findUnique({ where: { id: evidenceId }, select: { sha256: true } });
        return { ok: true as const, evidenceId, sha256: stored?.sha256 ?? sha256 };
      },
    ),
  );

  async function store(tx: Prisma.TransactionClient): Promise<{ ok: true; evidenceId: string; sha256: string } | Refusal> {
    const { dossier, refusal } = await findOpenDossier(tx, actor.organisationId, dossierId);
    if (refusal) return refusal;
    const evidence = await tx.evidence.create({
      data: {
        dossierId: dossier.id,
        kind: input.kind,
        fileName,
        mimeType: mimeType,
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
      data: { evidenceId: evidence.id, kind: input.kind, fileName, mimeType: mimeType, size: content.byteLength, sha256 },
    });
    return { ok: true as const, evidenceId: evidence.id, sha256 };
  }
}
