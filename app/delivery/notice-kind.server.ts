/**
 * The decision notice letter as a render-only kind of the render runner (document id = the decision id): queued by
 * ./send-decision-notice.server.ts in the transaction that puts the e-mail in the outbox; rendered and sealed after
 * the commit. Its date is the notification's (the job's creation), so the letter and the e-mail give the same
 * appeal deadline.
 */
import { verificationUrl } from "~/domain/delivery-record";
import { recipientBlock } from "~/domain/postal-address";
import { fileNameSlug } from "~/domain/search";
import { AppError } from "~/platform/app-error";
import type { Prisma } from "~/platform/db/db.server";
import { publicUrl } from "~/platform/http/public-url.server";
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

/**
 * The letter a "notice" document id names: the notification's letter (its document id is the decision's) or a
 * re-issued one (its own id). A letter written before letters were kept (no row: a job queued by an earlier version)
 * is the decision's, printing the candidate's address as their file gives it.
 */
export async function noticeLetterOf(db: Pick<Prisma.TransactionClient, "noticeLetter" | "juryDecision">, documentId: string) {
  const letter = await db.noticeLetter.findUnique({ where: { documentId } });
  if (letter) return { decisionId: letter.decisionId, letter };
  const decision = await db.juryDecision.findUnique({ where: { id: documentId }, select: { id: true } });
  return decision ? { decisionId: decision.id, letter: null } : null;
}

export const noticeKind: RenderableKind = {
  kind: NOTICE_KIND,
  audit: { subjectType: "JuryDecision", prefix: "notice" },
  async load(db, ref) {
    const found = await noticeLetterOf(db, ref.documentId);
    const decision = found
      ? await db.juryDecision.findUnique({ where: { id: found.decisionId }, select: { dossier: { select: { organisationId: true } } } })
      : null;
    if (!decision) throw new AppError("NOT_FOUND", "Décision introuvable.");
    return { organisationId: decision.dossier.organisationId };
  },
  async publish(_db, ref) {
    return { decisionId: ref.documentId };
  },
  pdf: {
    /** « notification-faure-elodie.pdf », as the decision sheets are named (the session ZIP, the download); a re-issued
     * letter « notification-faure-elodie-2.pdf » (the second letter). */
    async fileName(db, ref) {
      const found = await noticeLetterOf(db, ref.documentId);
      const decision = found
        ? await db.juryDecision.findUnique({
            where: { id: found.decisionId },
            select: { dossier: { select: { candidate: { select: { birthName: true, givenNames: true } } } } },
          })
        : null;
      const who = decision ? `${decision.dossier.candidate.birthName} ${decision.dossier.candidate.givenNames.split(/\s+/)[0]}` : "";
      const slug = fileNameSlug(who, ref.documentId);
      const sequence = found?.letter?.sequence ?? 0;
      return sequence > 0 ? `notification-${slug}-${sequence + 1}.pdf` : `notification-${slug}.pdf`;
    },
    async input(db, ref, round): Promise<NoticePdfInput> {
      const found = await noticeLetterOf(db, ref.documentId);
      if (!found) throw new AppError("NOT_FOUND", "Décision introuvable.");
      const { decisionId, letter } = found;
      // Every letter is dated by the notification (its job: the first, the decision's), from which the appeal
      // deadline runs: a re-issued letter gives the same deadline as the e-mail and the first letter.
      const notified = await db.renderJob.findUniqueOrThrow({
        where: { documentKind_documentId_round: { documentKind: NOTICE_KIND, documentId: letter?.sequence ? decisionId : ref.documentId, round: letter?.sequence ? 0 : round } },
      });
      const { facts, notice } = await noticeOf(db, decisionId, notified.createdAt);
      const replaced = letter?.sequence
        ? await db.noticeLetter.findUnique({ where: { supersededById: letter.id }, select: { createdAt: true } })
        : null;
      // The name frozen with the letter, as its verification page shows it; a letter written before names were kept
      // prints the file's.
      const candidate = letter?.candidateName ?? facts.candidate;
      return {
        organisation: facts.organisation,
        candidate,
        // The address frozen with the letter (a sealed letter is never rendered again with another); a letter queued
        // by an earlier version prints the file's.
        recipient: recipientBlock(candidate, facts.sex, letter ? letter.postalAddress : facts.postalAddress),
        notice,
        notifiedAt: notified.createdAt,
        records: facts.records.map((r) => ({ number: r.number, verificationUrl: r.verificationUrl })),
        verificationUrl: letter?.verificationCode ? verificationUrl(publicUrl(), letter.verificationCode) : null,
        ...(letter?.sequence && replaced ? { reissue: { issuedAt: letter.createdAt, replaces: replaced.createdAt } } : {}),
      };
    },
  },
};
