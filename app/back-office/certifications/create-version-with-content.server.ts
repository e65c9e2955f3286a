/**
 * Writes a référentiel version with its blocs, competences and criteria, inside the caller's transaction. Used by
 * the import, by « nouvelle version » (a copy of the latest) and by the demo catalogue; `addNextDraft` is the
 * one-draft-at-a-time step the first two share.
 */
import type { Prisma } from "~/platform/db/db.server";
import { REFERENTIAL_OUTLINE_SELECT } from "./referential-tree.server";
import type { ReferentialContent } from "~/domain/referential-import";
import type { AuditAction } from "~/domain/audit-actions";
import type { Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";

export type CreatedVersion = {
  id: string;
  version: number;
  blocs: Array<{ id: string; code: string; competences: Array<{ id: string; code: string }> }>;
};

export async function createVersionWithContent(
  tx: Prisma.TransactionClient,
  input: {
    certificationId: string;
    version: number;
    content: ReferentialContent;
    publishedAt?: Date | null;
  },
): Promise<CreatedVersion> {
  const created = await tx.referentialVersion.create({
    data: {
      certificationId: input.certificationId,
      version: input.version,
      notes: input.content.notes,
      publishedAt: input.publishedAt ?? null,
      blocs: {
        create: input.content.blocs.map((bloc, b) => ({
          code: bloc.code,
          title: bloc.title,
          position: b + 1,
          competences: {
            create: bloc.competences.map((competence, c) => ({
              code: competence.code,
              statement: competence.statement,
              conditions: competence.conditions,
              modalities: competence.modalities,
              position: c + 1,
              criteria: {
                create: competence.criteria.map((criterion, k) => ({
                  statement: criterion.statement,
                  measurable: criterion.measurable,
                  mandatory: criterion.mandatory,
                  expected: criterion.expected,
                  position: k + 1,
                })),
              },
            })),
          },
        })),
      },
    },
    select: {
      id: true,
      version: true,
      ...REFERENTIAL_OUTLINE_SELECT,
    },
  });
  return created;
}

export const draftExists = (version: number) =>
  `La version ${version} est encore un brouillon : publiez-la ou supprimez-la avant d'en créer une autre.`;

type LatestVersion = { id: string; version: number };

/**
 * Adds the certification's next version as a draft holding `contentOf(latest)`, with its audit event, inside the
 * caller's transaction (which holds the certification's lock). One draft at a time: while the latest version is a
 * draft, nothing is written and the answer carries `draftExists`'s message.
 */
export async function addNextDraft(
  tx: Prisma.TransactionClient,
  actor: Actor,
  certificationId: string,
  contentOf: (latest: LatestVersion | null) => Promise<ReferentialContent>,
  audit: { action: AuditAction; data: (latest: LatestVersion | null) => Record<string, unknown> },
): Promise<{ ok: true; versionId: string; version: number } | { ok: false; message: string }> {
  const latest = await tx.referentialVersion.findFirst({
    where: { certificationId },
    orderBy: { version: "desc" },
    select: { id: true, version: true, publishedAt: true },
  });
  if (latest && !latest.publishedAt) return { ok: false, message: draftExists(latest.version) };
  const previous = latest ? { id: latest.id, version: latest.version } : null;
  const created = await createVersionWithContent(tx, {
    certificationId,
    version: (latest?.version ?? 0) + 1,
    content: await contentOf(previous),
  });
  await recordAudit(tx, {
    ...auditActor(actor),
    action: audit.action,
    subjectType: "ReferentialVersion",
    subjectId: created.id,
    data: { certificationId, version: created.version, ...audit.data(previous) },
  });
  return { ok: true, versionId: created.id, version: created.version };
}
