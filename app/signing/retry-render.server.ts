/**
 * Use case: the organisation's secretariat or an administrator asks for one more try at a PDF the render runner gave
 * up on (./render-jobs.server.ts marks a job FAILED after its last attempt and never looks at it again). The job of
 * the document's latest round goes back to PENDING, its attempts counted from zero, due now; audited
 * (`<prefix>.pdf_render_retried`) in the same transaction; then the queue is kicked. Idempotent: a job that is not
 * FAILED (waiting, rendering, done) is left as it is, and the answer says so. A document of another organisation,
 * or of an unknown kind, is « introuvable ». A relaunch is announced (`render:state`, PENDING) to every open room that
 * shows the document: who saw the failure sees it « en préparation » at once, then its link when the runner stores it.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma } from "~/platform/db/db.server";
import type { RealtimePort } from "~/live/realtime-port";
import type { RenderQueuePort } from "./ports";
import { announceRenderState } from "./render-state.server";
import { renderableKind } from "./registry.server";
import type { RenderableKind } from "./document-kind";

const NOT_FOUND = "Document introuvable.";

/** The organisation of a renderable document (the guard authorises against it: app/platform/auth/guards.server.ts); null when unknown. */
export async function renderableOrganisation(kindName: string, documentId: string): Promise<string | null> {
  let kind: RenderableKind;
  try {
    kind = renderableKind(kindName);
  } catch {
    return null;
  }
  const document = await kind.load(prisma, { documentId }).catch(() => null);
  return document?.organisationId ?? null;
}

export async function retryRender(input: {
  actor: Actor;
  kind: string;
  documentId: string;
  renderQueue?: RenderQueuePort;
  realtime?: RealtimePort;
}) {
  let kind: RenderableKind;
  try {
    kind = renderableKind(input.kind);
  } catch {
    throw new AppError("NOT_FOUND", NOT_FOUND);
  }
  const document = await kind.load(prisma, { documentId: input.documentId }).catch(() => null);
  if (!document || document.organisationId !== input.actor.organisationId) throw new AppError("NOT_FOUND", NOT_FOUND);
  const outcome = await prisma.$transaction(async (tx) => {
    const job = await tx.renderJob.findFirst({ where: { documentKind: kind.kind, documentId: input.documentId }, orderBy: { round: "desc" } });
    if (!job) throw new AppError("NOT_FOUND", NOT_FOUND);
    // Only a job still FAILED when this statement runs: a retry clicked twice resets it once.
    const reset = await tx.renderJob.updateMany({
      where: { id: job.id, status: "FAILED" },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date(), lastError: null, finishedAt: null },
    });
    if (reset.count === 0) return { retried: false as const };
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: `${kind.audit.prefix}.pdf_render_retried`,
      subjectType: kind.audit.subjectType,
      subjectId: input.documentId,
      data: { renderJobId: job.id, round: job.round, failedAttempts: job.attempts, lastError: job.lastError, ...("sessionId" in document && document.sessionId ? { sessionId: document.sessionId } : {}) },
    });
    return { retried: true as const };
  });
  if (outcome.retried) {
    await announceRenderState(kind, input.documentId, "PENDING", input.realtime, document);
    input.renderQueue?.kick();
  }
  return {
    retried: outcome.retried,
    message: outcome.retried
      ? "La production du PDF est relancée : il sera disponible dans quelques instants."
      : "Ce PDF n'est pas en échec (il est prêt ou en cours de production) : rien à relancer.",
  };
}
