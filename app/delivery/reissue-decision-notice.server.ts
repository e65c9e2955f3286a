/**
 * Use case: re-issue a candidate's decision notice letter (« Réémettre la lettre ») when the sealed letter cannot be
 * posted to the address the candidate's file gives now: sealed without an address (completed afterwards), with an
 * address since changed, or sealed by an earlier version with an address not known for sure
 * (app/domain/decision-notice.ts, `letterAddressState`). A new letter is written — the address frozen with it, the
 * same notification date and appeal deadline as the first letter and the e-mail (the notification is not repeated:
 * no e-mail, `notifiedAt` unchanged) — and its sealed PDF is rendered after the commit by the render runner (kind
 * "notice", document id = the new letter's). The previous letter stays stored, archived and downloadable, marked
 * superseded by the new one: nothing is overwritten.
 *
 * One transaction, audited (`delivery.notice.reissued`), in the order of the notification's (./send-decision-notice):
 * the submission key (a double submit writes one letter, both answers name it), the session's row (serialises it
 * with « Notifier » and another re-issue), the audit chain last. Idempotent beyond the key too: once the latest
 * letter prints the file's address, there is nothing to re-issue, and the answer says so with that letter.
 */
import { letterAddressState, noticeCandidateName, REISSUE_REASONS } from "~/domain/decision-notice";
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type NoticeLetter, type Prisma } from "~/platform/db/db.server";
import { newRowId } from "~/platform/db/new-id.server";
import { oncePerSubmission } from "~/platform/http/submission-key.server";
import { newVerificationCode } from "~/platform/security/verification-code.server";
import type { RenderQueuePort } from "~/signing/ports";
import { NOTICE_KIND } from "./notice-kind.server";

const NOT_FOUND = "Décision introuvable.";

export async function reissueDecisionNotice(input: {
  actor: Actor;
  decisionId: string;
  renderQueue?: RenderQueuePort;
  submissionKey?: string | null;
}): Promise<{ letter: NoticeLetter; created: boolean }> {
  const submission = { userId: input.actor.userId, key: input.submissionKey ?? null, action: `delivery.notice.reissue:${input.decisionId}` };
  const result = await prisma.$transaction(
    (tx) =>
      oncePerSubmission(
        tx,
        submission,
        async () => {
          const outcome = await reissue(tx);
          // Nothing written (already current): the key is let go, as after a refusal.
          return { value: outcome, resultId: outcome.created ? outcome.letter.id : null };
        },
        async (letterId) => ({ letter: await tx.noticeLetter.findUniqueOrThrow({ where: { id: letterId } }), created: true }),
      ),
    { timeout: 30_000 },
  );
  if (result.created) input.renderQueue?.kick();
  return result;

  async function reissue(tx: Prisma.TransactionClient): Promise<{ letter: NoticeLetter; created: boolean }> {
    const found = await tx.juryDecision.findUnique({
      where: { id: input.decisionId },
      select: { sessionId: true, dossier: { select: { organisationId: true } } },
    });
    if (!found || found.dossier.organisationId !== input.actor.organisationId) throw new AppError("NOT_FOUND", NOT_FOUND);
    // The notification's lock (writeDecisionNotices): a re-issue waits for a notification or another re-issue.
    await tx.$executeRaw`SELECT 1 FROM "Session" WHERE "id" = ${found.sessionId} FOR UPDATE`;
    const decision = await tx.juryDecision.findUniqueOrThrow({
      where: { id: input.decisionId },
      select: {
        id: true,
        sessionId: true,
        noticeLetters: { where: { supersededAt: null }, orderBy: { sequence: "desc" }, take: 1 },
        dossier: { select: { candidate: { select: { postalAddress: true, givenNames: true, usageName: true, birthName: true } } } },
      },
    });
    const latest = decision.noticeLetters[0];
    if (!latest) throw new AppError("CONFLICT", "Ce candidat n'a pas encore été notifié : notifiez-le (sa lettre portera l'adresse de sa fiche).");
    const address = decision.dossier.candidate.postalAddress;
    const { state, reissuable } = letterAddressState(latest, address);
    if (state === "current") return { letter: latest, created: false };
    if (!reissuable) {
      throw new AppError(
        "CONFLICT",
        "La fiche du candidat ne donne pas d'adresse postale : complétez-la d'abord, la nouvelle lettre portera cette adresse.",
      );
    }
    const now = new Date();
    const id = newRowId();
    const letter = await tx.noticeLetter.create({
      data: {
        id,
        decisionId: decision.id,
        sequence: latest.sequence + 1,
        documentId: id,
        postalAddress: address,
        candidateName: noticeCandidateName(decision.dossier.candidate),
        verificationCode: newVerificationCode(),
        createdAt: now,
        issuedById: input.actor.userId,
        reason: state,
      },
    });
    const superseded = await tx.noticeLetter.updateMany({
      where: { id: latest.id, supersededAt: null },
      data: { supersededAt: now, supersededById: letter.id },
    });
    if (superseded.count !== 1) throw new AppError("CONFLICT", "La lettre a été réémise entre-temps : rechargez la page.");
    await tx.renderJob.create({ data: { documentKind: NOTICE_KIND, documentId: letter.documentId, round: 0, createdAt: now } });
    // The audit chain's lock last. The address itself stays on the letter (personal data kept out of the chain).
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: "delivery.notice.reissued",
      subjectType: "JuryDecision",
      subjectId: decision.id,
      data: {
        sessionId: decision.sessionId,
        letterId: letter.id,
        sequence: letter.sequence,
        supersedes: latest.documentId,
        reason: state,
        reasonLabel: REISSUE_REASONS[state],
      },
    });
    return { letter, created: true };
  }
}
