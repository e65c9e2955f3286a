/**
 * The decision notice letter as a render-only kind of the render runner (document id = the decision id): queued by
 * ./send-decision-notice.server.ts in the transaction that puts the e-mail in the outbox; rendered and sealed after
 * the commit. Its date is the notification's (the job's creation), so the letter and the e-mail give the same
 * appeal deadline.
 */
import { recipientBlock } from "~/domain/postal-address";
import { fileNameSlug } from "~/domain/search";
import { AppError } from "~/platform/app-error";
import type { Prisma } from "~/platform/db/db.server";
import type { RenderableKind } from "~/signing/document-kind";
import { noticeOf } from "./notice-facts.server";
import type { NoticePdfInput } from "./notice-pdf.server";

export const NOTICE_KIND = "notice";

/**
 * When each of these decisions was notified to its candidate (the notice's job creation: the letter and the e-mail
 * are dated so), for the decisions notified. The appeal deadline runs from it (app/domain/appeal.ts).
 */
export async function notifiedAtOf(db: Pick<Prisma.TransactionClient, "renderJob">, decisionIds: string[]): Promise<Map<string, Date>> {
  // No decision, no statement (Prisma would still send one for an empty list).
  const jobs =
    decisionIds.length === 0
      ? []
      : await db.renderJob.findMany({
          where: { documentKind: NOTICE_KIND, documentId: { in: decisionIds } },
          orderBy: { createdAt: "asc" },
          select: { documentId: true, createdAt: true },
        });
  const first = new Map<string, Date>();
  for (const job of jobs) if (!first.has(job.documentId)) first.set(job.documentId, job.createdAt);
  return first;
}

export const noticeKind: RenderableKind = {
  kind: NOTICE_KIND,
  audit: { subjectType: "JuryDecision", prefix: "notice" },
  async load(db, ref) {
    const decision = await db.juryDecision.findUnique({ where: { id: ref.documentId }, select: { dossier: { select: { organisationId: true } } } });
    if (!decision) throw new AppError("NOT_FOUND", "Décision introuvable.");
    return { organisationId: decision.dossier.organisationId };
  },
  async publish(_db, ref) {
    return { decisionId: ref.documentId };
  },
  pdf: {
    /** « notification-faure-elodie.pdf », as the decision sheets are named (the session ZIP, the download). */
    async fileName(db, ref) {
      const decision = await db.juryDecision.findUnique({
        where: { id: ref.documentId },
        select: { dossier: { select: { candidate: { select: { birthName: true, givenNames: true } } } } },
      });
      const who = decision ? `${decision.dossier.candidate.birthName} ${decision.dossier.candidate.givenNames.split(/\s+/)[0]}` : "";
      const slug = fileNameSlug(who, ref.documentId);
      return `notification-${slug}.pdf`;
    },
    async input(db, ref, round): Promise<NoticePdfInput> {
      const job = await db.renderJob.findUniqueOrThrow({
        where: { documentKind_documentId_round: { documentKind: NOTICE_KIND, documentId: ref.documentId, round } },
      });
      const { facts, notice } = await noticeOf(db, ref.documentId, job.createdAt);
      return {
        organisation: facts.organisation,
        candidate: facts.candidate,
        // Read when the letter is rendered, once: a sealed letter is never rendered again, so it keeps the address
        // it was sealed with.
        recipient: recipientBlock(facts.candidate, facts.sex, facts.postalAddress),
        notice,
        notifiedAt: job.createdAt,
        records: facts.records.map((r) => ({ number: r.number, verificationUrl: r.verificationUrl })),
      };
    },
  },
};
