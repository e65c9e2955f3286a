/**
 * Query: which documents of a kind have a PDF the render runner gave up on — the RenderJob of their latest round is
 * FAILED (./render-jobs.server.ts, after its last attempt; nothing retries it but ./retry-render.server.ts). Every
 * page and download that would say « PDF en préparation… » asks here first (app/domain/render-failure.ts).
 */
import type { RenderFailure } from "~/domain/render-failure";
import { prisma } from "~/platform/db/db.server";
import type { Db } from "./document-kind";

/** `db`: a transaction's client when read inside one (PGlite has one connection: never the global client there). */
export async function renderFailures(kind: string, documentIds: readonly string[], db: Db = prisma): Promise<Map<string, RenderFailure>> {
  const failures = new Map<string, RenderFailure>();
  if (documentIds.length === 0) return failures;
  const jobs = await db.renderJob.findMany({
    where: { documentKind: kind, documentId: { in: [...documentIds] } },
    orderBy: { round: "desc" },
    select: { documentId: true, status: true, attempts: true },
  });
  const seen = new Set<string>();
  for (const job of jobs) {
    if (seen.has(job.documentId)) continue; // an older round's job: the latest one says
    seen.add(job.documentId);
    if (job.status === "FAILED") failures.set(job.documentId, { attempts: job.attempts });
  }
  return failures;
}

export async function renderFailureOf(kind: string, documentId: string, db: Db = prisma): Promise<RenderFailure | null> {
  return (await renderFailures(kind, [documentId], db)).get(documentId) ?? null;
}
