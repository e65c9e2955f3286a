/**
 * « Nouvelle version »: a new draft that copies the latest version (or an empty draft for a certification
 * without référentiel yet). One draft at a time per certification.
 */
import { prisma } from "~/platform/db/db.server";
import { addNextDraft } from "./create-version-with-content.server";
import { readVersionContent } from "./read-version-content.server";
import { refusal, type Actor, type Refusal } from "~/platform/app-error";
import { lockCertification } from "./shared.server";

export async function createDraftVersion(
  actor: Actor,
  certificationId: string,
): Promise<{ ok: true; versionId: string; version: number } | Refusal> {
  return prisma.$transaction(
    async (tx) => {
      await lockCertification(tx, actor, certificationId);
      const added = await addNextDraft(
        tx,
        actor,
        certificationId,
        async (latest) => (latest ? readVersionContent(tx, latest.id) : { notes: null, blocs: [] }),
        { action: "referential.version.create", data: (latest) => ({ copiedFrom: latest }) },
      );
      return added.ok ? added : refusal("CONFLICT", [added.message]);
    },
    { timeout: 30_000 },
  );
}
