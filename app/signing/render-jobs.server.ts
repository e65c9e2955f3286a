/**
 * The render runner: renders the PDFs of completed documents after their signing transaction committed, from the
 * durable RenderJob rows that transaction inserted (like the e-mail outbox). Started by server.ts:
 *   start   → jobs left RUNNING by a stopped or killed server go back to PENDING, then every due job runs;
 *   kick()  → a signing just committed a job: look now rather than at the next poll;
 *   a job   → claim (PENDING → RUNNING) → read the kind's PDF input (and the audit head anchored at completion)
 *             → render in the worker thread (time limit)
 *             → seal hook → one transaction stores the PDF with its SHA-256, marks the job DONE and audits it;
 *   failure → back to PENDING with a growing delay (5 s, 10 s, 20 s…), FAILED after MAX_ATTEMPTS (logged).
 * Rendering twice (two processes, a restart mid-job) stores the same document once (unique kind + document id).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import type { RealtimePort } from "~/live/realtime-port";
import { resolveArchiveLinks } from "~/archive/documents/index-archive.server";
import { recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma, type RenderJob } from "~/platform/db/db.server";
import { newRowId } from "~/platform/db/new-id.server";
import { signingAuditHead } from "./complete-signing.server";
import { sessionAuditData } from "./document-kind";
import { renderableKind } from "./registry.server";
import { announceRenderState } from "./render-state.server";
import { createRenderThread, type RenderThread } from "./render-thread.server";
import { drainLoop } from "~/platform/workers/drain-loop.server";

const MAX_ATTEMPTS = 6;
const POLL_MS = 5_000;

type Logger = { info(message: string): void; error(message: string, error?: unknown): void };

/** `ready`: the jobs left RUNNING taken back (server.ts waits for it before it listens). */
export type RenderJobs = { kick(): void; stop(): Promise<void>; idle(): Promise<void>; ready: Promise<void> };

/**
 * Hook for the document seal (PAdES, PDF/A-3b: app/platform/pdf, coming): the rendered bytes go through it before
 * they are stored and hashed. Identity until then.
 */
export async function sealRenderedPdf(pdf: Uint8Array, _document: { kind: string; documentId: string }): Promise<Uint8Array> {
  return pdf;
}

/**
 * `sharedQueue`: several server processes share the queue (scale mode). A claimed job then carries a lease
 * (`nextAttemptAt` = claim + LEASE, while RUNNING): only a job whose lease ran out — its process died mid-render —
 * is taken back, at start and at every look at the queue; a starting process no longer takes back the jobs a live
 * peer is rendering (a double render, its credential written twice, two « pdf_rendered » events). Otherwise the
 * process owns the queue: at start, every RUNNING job was its own before a stop or a crash, and is taken back now.
 */
export function startRenderJobs(options: { logger: Logger; realtime: RealtimePort; timeoutMs?: number; sharedQueue?: boolean }): RenderJobs {
  const { logger } = options;
  const timeoutMs = options.timeoutMs ?? Number(process.env.QUORUM_RENDER_TIMEOUT_MS ?? 60_000);
  // Renewed every third of it while the job runs (the render is in a worker thread: the event loop is free), so a
  // process killed mid-render leaves its job to a peer or to its own restart within half a minute. Until 2026-12-07
  // the lease was fixed, longer than any job (5 minutes): a PDF whose process was killed stayed « en préparation »
  // that long in scale mode. QUORUM_RENDER_LEASE_MS: tests only.
  const leaseMs = Number(process.env.QUORUM_RENDER_LEASE_MS ?? 30_000);
  const thread: RenderThread = createRenderThread({
    timeoutMs,
    // The thread exits after this long without a render (it starts again with the next one).
    idleMs: Number(process.env.QUORUM_RENDER_IDLE_MS ?? 10_000),
  });
  /**
   * The oldest due job, claimed (PENDING → RUNNING, one more attempt) in one statement: another runner's claim in
   * flight is skipped, not waited for. SQL rather than a Prisma query: this runs once per PDF on the event loop, and
   * Prisma compiles every query (its WebAssembly compiler, about 0.5 ms for each of the two a findFirst and an
   * updateMany took, in a transaction of their own) where a raw statement is passed through.
   */
  async function claimNext(): Promise<RenderJob | null> {
    const [claimed] = await prisma.$queryRaw<RenderJob[]>`
      UPDATE "RenderJob" SET "status" = 'RUNNING', "attempts" = "attempts" + 1, "nextAttemptAt" = ${new Date(Date.now() + leaseMs)}
      WHERE "id" = (
        SELECT "id" FROM "RenderJob" WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${new Date()}
        ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED
      )
      RETURNING *`;
    return claimed ?? null;
  }

  async function runJob(job: RenderJob) {
    const kind = renderableKind(job.documentKind);
    const ref = { documentId: job.documentId };
    const renewal = setInterval(() => {
      prisma.$executeRaw`UPDATE "RenderJob" SET "nextAttemptAt" = ${new Date(Date.now() + leaseMs)} WHERE "id" = ${job.id} AND "status" = 'RUNNING'`.catch(
        (error: unknown) => logger.error(`[pdf] ${kind.kind} ${job.documentId} : bail du rendu non renouvelé`, error),
      );
    }, leaseMs / 3);
    renewal.unref();
    try {
      await testHold();
      const [{ input, fileName, document }, auditHead] = await Promise.all([
        kind.pdf.job
          ? kind.pdf.job(prisma, ref, job.round)
          : Promise.all([kind.pdf.input(prisma, ref, job.round), kind.pdf.fileName(prisma, ref), kind.load(prisma, ref)]).then(
              ([input, fileName, document]) => ({ input, fileName, document }),
            ),
        signingAuditHead(prisma, kind.kind, job.documentId, job.round),
      ]);
      const started = Date.now();
      // Every kind's certificate page prints the audit chain's head anchored at the completion (`auditHead`).
      const rendered = await thread.render(kind.kind, { ...(input as object), auditHead });
      if (rendered.notes.replacedCharacters.length > 0) {
        logger.error(
          `[pdf] ${kind.kind} ${job.documentId} : caractères absents de la police remplacés (${rendered.notes.replacedCharacters.join(", ")})`,
        );
      }
      const sealed = await sealRenderedPdf(rendered.pdf, { kind: kind.kind, documentId: job.documentId });
      const pdf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength); // the worker's bytes, not a copy
      const sha256 = createHash("sha256").update(pdf).digest("hex");
      await prisma.$transaction(async (tx) => {
        await storeSignedPdf(tx, {
          kind: kind.kind,
          documentId: job.documentId,
          slotId: kind.pdf.links?.(ref).slotId ?? null,
          round: job.round,
          fileName,
          sha256,
          content: pdf,
        });
        await kind.pdf.stored?.(tx, ref, sha256);
        await tx.$executeRaw`UPDATE "RenderJob" SET "status" = 'DONE', "finishedAt" = ${new Date()}, "lastError" = NULL WHERE "id" = ${job.id}`;
        await recordAudit(tx, {
          organisationId: document.organisationId,
          actorId: null,
          action: `${kind.audit.prefix}.pdf_rendered`,
          subjectType: kind.audit.subjectType,
          subjectId: job.documentId,
          data: { ...sessionAuditData(document), round: job.round, pdfSha256: sha256, renderJobId: job.id, replacedCharacters: rendered.notes.replacedCharacters },
          ip: null,
          userAgent: null,
        });
      });
      logger.info(`[pdf] ${kind.kind} ${job.documentId} rendu en ${Date.now() - started} ms (${pdf.length} octets)`);
      // « PDF en préparation… » becomes the download link on every open page.
      await kind.publish(prisma, ref, options.realtime).catch((e: unknown) => logger.error("[pdf] diffusion de l'état", e));
      await announceRenderState(kind, job.documentId, "DONE", options.realtime, document);
    } catch (error) {
      const last = job.attempts >= MAX_ATTEMPTS;
      const delay = 5_000 * 2 ** (job.attempts - 1);
      logger.error(`[pdf] ${kind.kind} ${job.documentId} : rendu échoué (essai ${job.attempts}${last ? ", abandon" : ""})`, error);
      await prisma.renderJob
        .update({
          where: { id: job.id },
          data: {
            status: last ? "FAILED" : "PENDING",
            nextAttemptAt: new Date(Date.now() + delay),
            lastError: error instanceof Error ? error.message.slice(0, 1000) : String(error).slice(0, 1000),
          },
        })
        .catch((e: unknown) => logger.error("[pdf] état du rendu non enregistré", e));
      if (!last) setTimeout(kick, delay + 50).unref();
      // Given up: open pages say so (« Le PDF n'a pas pu être produit… ») instead of waiting for it.
      else {
        await kind.publish(prisma, ref, options.realtime).catch((e: unknown) => logger.error("[pdf] diffusion de l'état", e));
        await announceRenderState(kind, job.documentId, "FAILED", options.realtime);
      }
    } finally {
      clearInterval(renewal);
    }
  }

  /**
   * Jobs left RUNNING back to PENDING: all of them (`everyone`), or only those whose lease ran out. Taken back at
   * start, a job is due at once: its claim had set `nextAttemptAt` to the end of its lease, which kept a PDF
   * interrupted by a crash waiting five minutes after the restart.
   */
  async function takeBack(everyone: boolean): Promise<number> {
    return everyone
      ? prisma.$executeRaw`UPDATE "RenderJob" SET "status" = 'PENDING', "nextAttemptAt" = ${new Date()} WHERE "status" = 'RUNNING'`
      : prisma.$executeRaw`UPDATE "RenderJob" SET "status" = 'PENDING' WHERE "status" = 'RUNNING' AND "nextAttemptAt" <= ${new Date()}`;
  }

  // One pass: with a shared queue, the jobs whose lease ran out taken back first; then every due job, one at a time.
  const loop = drainLoop(
    async (stopping) => {
      if (options.sharedQueue) {
        const count = await takeBack(false);
        if (count > 0) logger.info(`[pdf] ${count} rendu(s) abandonné(s) par un autre processus repris`);
      }
      for (let job = await claimNext(); job && !stopping(); job = await claimNext()) await runJob(job);
    },
    (error: unknown) => logger.error("[pdf] file de rendu", error),
  );
  const kick = loop.kick;

  // Jobs a stopped or killed server left RUNNING are resumed (a render is idempotent), then the queue is drained;
  // with a shared queue, only those whose lease ran out (the drain takes them back).
  const ready = (options.sharedQueue ? Promise.resolve(0) : takeBack(true))
    .then((count) => {
      if (count > 0) logger.info(`[pdf] ${count} rendu(s) interrompu(s) repris`);
      kick();
    })
    .catch((error: unknown) => logger.error("[pdf] reprise des rendus", error));
  const poll = setInterval(kick, POLL_MS);
  poll.unref();

  return {
    kick,
    ready,
    idle: loop.idle,
    async stop() {
      clearInterval(poll);
      await loop.stop();
      await thread.close();
    },
  };
}

/**
 * Stores a rendered PDF (one row per kind and document: a second render replaces the first) in one SQL statement
 * with the bytes as a Buffer parameter. Through Prisma's upsert the PDF travelled as base64 in the query's JSON twice
 * (its create and its update), which Prisma's query compiler then parsed: about 4 ms of the event loop per PDF.
 * The row is indexed for the archive as it is stored (its organisation, session, candidate, …): a page that lists the
 * archive while documents are being rendered reads them, it does not index them (`indexArchive` finds none).
 */
async function storeSignedPdf(
  tx: Prisma.TransactionClient,
  row: { kind: string; documentId: string; slotId: string | null; round: number; fileName: string; sha256: string; content: Buffer },
): Promise<void> {
  const links = await resolveArchiveLinks(tx, row.documentId, row.slotId);
  await tx.$executeRaw`
    INSERT INTO "SignedDocument" ("id", "slotId", "kind", "documentId", "round", "fileName", "sha256", "content", "createdAt",
      "organisationId", "sessionId", "candidateId", "certificationId", "deliveryRecordId")
    VALUES (${newRowId()}, ${row.slotId}, ${row.kind}, ${row.documentId}, ${row.round}, ${row.fileName}, ${row.sha256}, ${row.content}, ${new Date()},
      ${links?.organisationId ?? null}, ${links?.sessionId ?? null}, ${links?.candidateId ?? null}, ${links?.certificationId ?? null}, ${links?.deliveryRecordId ?? null})
    ON CONFLICT ("kind", "documentId") DO UPDATE SET
      "round" = EXCLUDED."round", "fileName" = EXCLUDED."fileName", "sha256" = EXCLUDED."sha256",
      "content" = EXCLUDED."content", "createdAt" = EXCLUDED."createdAt",
      "organisationId" = coalesce("SignedDocument"."organisationId", EXCLUDED."organisationId"),
      "sessionId" = coalesce("SignedDocument"."sessionId", EXCLUDED."sessionId"),
      "candidateId" = coalesce("SignedDocument"."candidateId", EXCLUDED."candidateId"),
      "certificationId" = coalesce("SignedDocument"."certificationId", EXCLUDED."certificationId"),
      "deliveryRecordId" = coalesce("SignedDocument"."deliveryRecordId", EXCLUDED."deliveryRecordId")`;
}

/**
 * Tests only (QUORUM_TEST_RENDER_HOLD=<file>): a claimed job waits until that file exists, so a test can show that
 * a signature commits and answers while its PDF is still pending, and kill the server in between.
 */
async function testHold() {
  const file = process.env.QUORUM_TEST_RENDER_HOLD;
  if (!file || process.env.NODE_ENV === "development") return;
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 50));
}
