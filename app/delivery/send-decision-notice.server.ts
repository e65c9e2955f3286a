/**
 * Use case: notify candidates of a jury session's final decisions — for each decision, the e-mail (through the
 * outbox, app/platform/mail: sent by SMTP when configured) with the verification links of the records issued, the
 * préconisations and, where the scheme allows appeals, how and by when to appeal; and the sealed letter PDF, queued
 * as a durable render job (kind "notice"). One transaction for the session with one audit event per notice.
 * Idempotent (the session's row is locked, so two submits at once notify once): a decision already notified is
 * skipped (its notice job exists); a candidate without an e-mail address gets the letter only (to post), which the
 * answer counts.
 */
import { noticeText } from "~/domain/decision-notice";
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { newVerificationCode } from "~/platform/security/verification-code.server";
import { deliverEmails, queuedForRelay } from "~/platform/mail/deliver-emails.server";
import { storeLiveEdits } from "~/live/sessions/collab-text.server";
import type { RealtimePort } from "~/live/realtime-port";
import type { RenderQueuePort } from "~/signing/ports";
import { requireFinalDecisions } from "./decisions-finality.server";
import { NOTICE_KIND } from "./notice-kind.server";
import { noticeOf } from "./notice-facts.server";

export async function sendDecisionNotices(input: {
  actor: Actor;
  sessionId: string;
  renderQueue?: RenderQueuePort;
  /** The document server: the préconisations the e-mails give are those typed up to now (`storeLiveEdits`). */
  realtime?: Pick<RealtimePort, "storeAcknowledgedEdits">;
}) {
  await storeLiveEdits(input.realtime);
  const { emailIds, ...result } = await prisma.$transaction((tx) => writeDecisionNotices(tx, input.sessionId, input.actor, new Date()), { timeout: 30_000 });
  if (result.emailed + result.letterOnly > 0) input.renderQueue?.kick();
  // Handed to the relay (SMTP_URL) after the answer: one e-mail per candidate, the page does not wait for the relay.
  // Until 2026-12-07 nothing handed them over: with a relay, every notice stayed « en attente d'envoi ».
  void deliverEmails(emailIds).catch((error: unknown) => console.error(`[mail] notifications de ${input.sessionId} : ${String(error)}`));
  return result;
}

/**
 * The notices of a session's decisions not yet notified, written in the caller's transaction and dated `now` (the
 * notification's day, from which the appeal deadline runs): the demo's seed notifies its past jury with it.
 */
export async function writeDecisionNotices(tx: Prisma.TransactionClient, sessionId: string, actor: Actor, now: Date) {
  // Serialises the notices of one session: a double submit notifies each candidate once.
  await tx.$executeRaw`SELECT 1 FROM "Session" WHERE "id" = ${sessionId} FOR UPDATE`;
  const session = await tx.session.findUnique({ where: { id: sessionId }, select: { organisationId: true, kind: true } });
  if (!session || session.organisationId !== actor.organisationId || session.kind !== "JURY") {
    throw new AppError("NOT_FOUND", "Séance introuvable.");
  }
  await requireFinalDecisions(tx, sessionId);
  const all = await tx.juryDecision.findMany({
    where: { sessionId },
    orderBy: { decidedAt: "asc" },
    select: { id: true, overall: true, sheet: { select: { status: true } }, records: { select: { id: true }, take: 1 } },
  });
  // A decision whose document waits for its signed fiche de décision (docs/decisions/0019) is notified once issued:
  // the notice gives the document's verification link.
  const decisions = all.filter((d) => !((d.overall === "TOTAL" || d.overall === "PARTIAL") && d.records.length === 0 && d.sheet?.status !== "SIGNED"));
  const pendingRecords = await tx.deliveryRecord.count({ where: { decisionId: { in: all.map((d) => d.id) } } });
  const issuable = decisions.filter((d) => d.overall === "TOTAL" || d.overall === "PARTIAL").length;
  if (issuable > 0 && pendingRecords === 0) {
    throw new AppError("CONFLICT", "Délivrez d'abord les documents : la notification donne leurs liens de vérification.");
  }
  let emailed = 0;
  let letterOnly = 0;
  const emailIds: string[] = [];
  for (const decision of decisions) {
    const done = await tx.renderJob.findUnique({
      where: { documentKind_documentId_round: { documentKind: NOTICE_KIND, documentId: decision.id, round: 0 } },
    });
    if (done) continue;
    const job = await tx.renderJob.create({ data: { documentKind: NOTICE_KIND, documentId: decision.id, round: 0, createdAt: now } });
    // Read with the decisions (the desk's « Décisions à notifier »), the same day as the notice's.
    await tx.juryDecision.update({ where: { id: decision.id }, data: { notifiedAt: job.createdAt } });
    const { facts, notice } = await noticeOf(tx, decision.id, job.createdAt);
    // The letter's window prints the address known now, frozen with it: a later change is re-issued, never re-rendered
    // (./reissue-decision-notice.server.ts).
    await tx.noticeLetter.create({
      data: {
        decisionId: decision.id,
        sequence: 0,
        documentId: decision.id,
        postalAddress: facts.postalAddress,
        candidateName: facts.candidate,
        verificationCode: newVerificationCode(),
        createdAt: job.createdAt,
      },
    });
    let emailId: string | null = null;
    if (facts.to) {
      const email = await tx.outboxEmail.create({
        data: { organisationId: facts.organisationId, to: facts.to, subject: notice.subject, text: noticeText(notice), sessionId, createdAt: now, ...queuedForRelay(now) },
      });
      emailId = email.id;
      emailIds.push(email.id);
      emailed += 1;
    } else {
      letterOnly += 1;
    }
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "delivery.notice.sent",
      subjectType: "JuryDecision",
      subjectId: decision.id,
      data: { emailId, records: facts.records.map((r) => r.number), appealDeadlineDays: facts.appeal.allowed ? facts.appeal.deadlineDays : null },
    });
  }
  return { emailed, letterOnly, emailIds };
}
