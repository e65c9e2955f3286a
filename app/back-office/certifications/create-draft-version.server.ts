/**
 * « Nouvelle version »: a new draft that copies the latest version (or an empty draft for a certification
 * without référentiel yet). One draft at a time per certification.
 */
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import { createVersionWithContent } from "./create-version-with-content.server";
import { readVersionContent } from "./read-version-content.server";
import { auditActor } from "~/platform/audit/record-audit.server";
import { refusal, type Actor, type Refusal } from "~/platform/app-error";
import { lockCertification } from "./shared.server";

export const draftExists = (version: number) =>
  `La version ${version} est encore un brouillon : publiez-la ou supprimez-la avant d'en créer une autre.`;

export async function createDraftVersion(
  actor: Actor,
  certificationId: string,
): Promise<{ ok: true; versionId: string; version: number } | Refusal> {
  return prisma.$transaction(
    async (tx) => {
      await lockCertification(tx, actor, certificationId);
      const latest = await tx.referentialVersion.findFirst({
        where: { certificationId },
        orderBy: { version: "desc" },
        select: { id: true, version: true, publishedAt: true },
      });
      if (latest && !latest.publishedAt) return refusal("CONFLICT", [draftExists(latest.version)]);
      const content = latest ? await readVersionContent(tx, latest.id) : { notes: null, blocs: [] };
      const created = await createVersionWithContent(tx, {
        certificationId,
        version: (latest?.version ?? 0) + 1,
        content,
      });
      await recordAudit(tx, {
        ...auditActor(actor),
        action: "referential.version.create",
        subjectType: "ReferentialVersion",
        subjectId: created.id,
        data: { certificationId, version: created.version, copiedFrom: latest ? { id: latest.id, version: latest.version } : null },
      });
      return { ok: true as const, versionId: created.id, version: created.version };
    },
    { timeout: 30_000 },
  );
}
