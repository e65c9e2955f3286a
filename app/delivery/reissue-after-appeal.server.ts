/**
 * After a jury upheld an appeal and revised the contested decision (committed): the records issued for the
 * contested decision (and their duplicates) are revoked with the reason, and the revised decision's record is issued in their place
 * (numbered, then sealed off the request by finishRecord). When the contested decision had no record yet, nothing
 * is issued here: the revised decision is delivered like any other. Idempotent (issuing and revoking both are).
 */
import { prisma } from "~/platform/db/db.server";
import { parisDay, frenchDay } from "~/domain/appeal";
import { finishRecord } from "./finish-record.server";
import { issueRecordsForDecision } from "./issue-records.server";
import { revokeRecord } from "./revoke-record.server";

export async function reissueAfterAppeal(input: { appealId: string; actorId: string; meta: { ip: string | null; userAgent: string | null } }) {
  const appeal = await prisma.appeal.findUniqueOrThrow({ where: { id: input.appealId } });
  if (appeal.status !== "UPHELD" || !appeal.newDecisionId) return { issued: null, revoked: [] as string[] };
  const originals = await prisma.deliveryRecord.findMany({ where: { decisionId: appeal.decisionId }, orderBy: { issuedAt: "asc" } });
  if (originals.length === 0) return { issued: null, revoked: [] as string[] };
  const duplicates = await prisma.deliveryRecord.findMany({ where: { duplicateOfId: { in: originals.map((r) => r.id) } } });
  const previous = [...originals, ...duplicates];
  const actor = { userId: input.actorId, organisationId: appeal.organisationId, ...input.meta };
  const issued = await issueRecordsForDecision({
    actor,
    decisionId: appeal.newDecisionId,
    preconisations: originals.at(-1)?.preconisations ?? null,
    placeOfIssue: originals.at(-1)?.placeOfIssue ?? null,
  });
  const on = frenchDay(parisDay(appeal.outcomeAt ?? new Date()));
  const reason = `Décision remplacée à la suite du recours accueilli par le jury le ${on} : ${appeal.outcomeReason ?? ""}${
    issued ? ` (nouveau document n° ${issued.number})` : ""
  }`;
  const revoked: string[] = [];
  for (const record of previous) {
    if (record.revokedAt) continue;
    await revokeRecord({ actor, recordId: record.id, reason });
    revoked.push(record.number);
  }
  if (issued) {
    void finishRecord(issued.id).catch((error) => console.error(`[quorum] document ${issued.number} : scellement différé en échec`, error));
  }
  return { issued: issued?.number ?? null, revoked };
}
