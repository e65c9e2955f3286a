/**
 * Use case: the secretariat issues the records of a jury session's final decisions in one act — a parchemin for each
 * total delivery (or a partial one that completes the certification), an attestation de blocs for each partial one,
 * nothing for a non-delivery or an adjournment. One transaction for the whole session (numbers, records, audit events,
 * render jobs); decisions already issued are skipped, so running it again issues only what is missing — also when two
 * submits run at once: the session's row lock makes the second wait for the first, then skip what it issued.
 * A decision whose fiche de décision is not signed gets no document (docs/decisions/0019): the others are issued and
 * its candidate named in the answer (`awaitingSheet`); when no document could be issued for that reason alone, the act
 * is refused in French, naming the candidates and where the president signs their fiches.
 */
import { textRefusal } from "~/domain/safe-text";
import { AppError, type Actor } from "~/platform/app-error";
import { prisma } from "~/platform/db/db.server";
import { storeLiveEdits } from "~/live/sessions/collab-text.server";
import type { RealtimePort } from "~/live/realtime-port";
import type { RenderQueuePort } from "~/signing/ports";
import { requireFinalDecisions } from "./decisions-finality.server";
import { unsignedSheetsRefusal } from "~/domain/decision-validation";
import { issueRecordForDecisionTx, lockSessionIssuance, UnsignedSheet } from "./issue-records.server";
import { revokeReplacedRecords } from "./reissue-after-appeal.server";

export async function issueSessionRecords(input: {
  actor: Actor;
  sessionId: string;
  placeOfIssue?: string | null;
  renderQueue?: RenderQueuePort;
  /** The document server: the préconisations printed are those typed up to now (`storeLiveEdits`). */
  realtime?: Pick<RealtimePort, "storeAcknowledgedEdits">;
}) {
  const place = input.placeOfIssue?.trim() ?? "";
  if (place.length > 200) throw AppError.field("placeOfIssue", "Le lieu de délivrance est limité à 200 caractères.");
  const placeOfIssueRefusal = textRefusal(place);
  if (placeOfIssueRefusal) throw AppError.field("placeOfIssue", placeOfIssueRefusal);
  await storeLiveEdits(input.realtime);
  const issued = await prisma.$transaction(
    async (tx) => {
      // Before the checks: a second « Délivrer » of this session waits here, then finds the records issued.
      await lockSessionIssuance(tx, input.sessionId);
      const session = await tx.session.findUnique({ where: { id: input.sessionId }, select: { organisationId: true, kind: true } });
      if (!session || session.organisationId !== input.actor.organisationId || session.kind !== "JURY") {
        throw new AppError("NOT_FOUND", "Séance introuvable.");
      }
      await requireFinalDecisions(tx, input.sessionId);
      const decisions = await tx.juryDecision.findMany({ where: { sessionId: input.sessionId }, orderBy: { decidedAt: "asc" }, select: { id: true } });
      // One act, one date of issue: every record is numbered on the one year's counter this transaction locks with
      // its first record. Dated one by one, a « Délivrer » running over midnight on 31 December numbered its later
      // records on the new year's counter, locked after the first record's audit event: the audit chain's lock was
      // then no longer the last one taken (docs/decisions/0017-lock-order.md).
      const issuedAt = new Date();
      const records = [];
      /** Issued by an earlier « Délivrer »: the revocation of what they replace is completed below if it was left undone. */
      const issuedBefore: Array<{ decisionId: string; number: string }> = [];
      const withoutRecord: string[] = [];
      const unsigned: UnsignedSheet[] = [];
      for (const decision of decisions) {
        const already = await tx.deliveryRecord.findFirst({ where: { decisionId: decision.id, duplicateOfId: null }, select: { id: true, number: true } });
        if (already) {
          issuedBefore.push({ decisionId: decision.id, number: already.number });
          continue;
        }
        try {
          const record = await issueRecordForDecisionTx(tx, { actor: input.actor, decisionId: decision.id, placeOfIssue: place || null, issuedAt });
          if (record) records.push(record);
          else withoutRecord.push(decision.id);
        } catch (error) {
          // Refused before writing anything: the transaction goes on with the other decisions.
          if (!(error instanceof UnsignedSheet)) throw error;
          unsigned.push(error);
        }
      }
      // Nothing issued because of unsigned fiches, and nothing else to do (a decision revised on appeal that gives no
      // document still revokes the contested one's, below): a refusal that says why.
      const revisions = withoutRecord.length ? await tx.appeal.count({ where: { newDecisionId: { in: withoutRecord }, status: "UPHELD" } }) : 0;
      if (records.length === 0 && revisions === 0 && unsigned.length > 0) {
        const refusal = unsignedSheetsRefusal(unsigned.map((u) => ({ candidate: u.candidate, status: u.sheetStatus })), "issue");
        throw new AppError("CONFLICT", refusal.message, { details: refusal.details });
      }
      return { records, issuedBefore, withoutRecord, awaitingSheet: unsigned.map((u) => u.candidate) };
    },
    { timeout: 30_000 },
  );
  // A decision revised on appeal replaces the contested one's documents, now that its own record exists — or at once
  // when it gives none (the appeal took back what the contested decision had acquired).
  const { records, issuedBefore, withoutRecord, awaitingSheet } = issued;
  for (const record of records) if (record.decisionId) await revokeReplacedRecords(input.actor, record.decisionId, record.number);
  // Its own transactions, after this one's commit: a revocation interrupted (the process stopped, a refusal) is done by
  // the next « Délivrer », which finds the record issued (revoking is idempotent: nothing written when already done).
  for (const { decisionId, number } of issuedBefore) await revokeReplacedRecords(input.actor, decisionId, number);
  for (const decisionId of withoutRecord) await revokeReplacedRecords(input.actor, decisionId, null);
  if (records.length > 0) input.renderQueue?.kick();
  return { issued: records.length, awaitingSheet };
}
