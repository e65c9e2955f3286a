/**
 * After a jury upheld an appeal and revised the contested decision (committed): the revised decision's record is
 * issued (numbered, then sealed off the request by the render runner) and the records issued for the contested
 * decision (and their duplicates) are revoked with the reason, pointing at the new number.
 *
 * The revised decision is delivered like any other: only once its jury's decisions are final (the sitting closed
 * and, where the scheme asks for it, validated by the CPNE — app/domain/decision-validation.ts). Until then the
 * candidate keeps the contested documents, valid; the secretariat's « Délivrer les documents » of that jury issues
 * the revised record and then revokes them (`revokeReplacedRecords`). When the contested decision had no record,
 * nothing is revoked. Its fiche de décision must be signed too (docs/decisions/0019): until then the revised record is
 * deferred the same way. Idempotent (issuing and revoking both are).
 */
import { prisma } from "~/platform/db/db.server";
import { parisDay, frenchDay } from "~/domain/appeal";
import type { Actor } from "~/platform/app-error";
import { finalityOf } from "./decisions-finality.server";
import { issueRecordsForDecision, UnsignedSheet } from "./issue-records.server";
import { REVOCATION_REASON_MAX, revokeRecord } from "./revoke-record.server";

export async function reissueAfterAppeal(input: { appealId: string; actorId: string; meta: { ip: string | null; userAgent: string | null } }) {
  const appeal = await prisma.appeal.findUniqueOrThrow({ where: { id: input.appealId } });
  const none = { issued: null, revoked: [] as string[], deferred: false };
  if (appeal.status !== "UPHELD" || !appeal.newDecisionId) return none;
  const originals = await prisma.deliveryRecord.findMany({ where: { decisionId: appeal.decisionId }, orderBy: { issuedAt: "asc" } });
  if (originals.length === 0) return none;
  const revised = await prisma.juryDecision.findUniqueOrThrow({ where: { id: appeal.newDecisionId }, select: { sessionId: true } });
  if (!(await finalityOf(prisma, revised.sessionId)).final) return { ...none, deferred: true };
  const actor = { userId: input.actorId, organisationId: appeal.organisationId, ...input.meta };
  const issued = await issueRecordsForDecision({
    actor,
    decisionId: appeal.newDecisionId,
    preconisations: originals.at(-1)?.preconisations ?? null,
    placeOfIssue: originals.at(-1)?.placeOfIssue ?? null,
  }).catch((error: unknown) => {
    if (error instanceof UnsignedSheet) return "deferred" as const;
    throw error;
  });
  if (issued === "deferred") return { ...none, deferred: true };
  const revoked = await revokeReplacedRecords(actor, appeal.newDecisionId, issued?.number ?? null);
  return { issued: issued?.number ?? null, revoked, deferred: false };
}

/**
 * Once the record of a decision revised on appeal is issued: revokes the contested decision's records (and their
 * duplicates, at any depth) with the reason. Nothing for a decision that no upheld appeal produced.
 */
export async function revokeReplacedRecords(actor: Actor, newDecisionId: string, newNumber: string | null): Promise<string[]> {
  const appeal = await prisma.appeal.findFirst({ where: { newDecisionId, status: "UPHELD" } });
  if (!appeal) return [];
  // The contested decision's records with every duplicate of them (revokeRecord revokes a record's whole chain).
  const originals = await prisma.deliveryRecord.findMany({ where: { decisionId: appeal.decisionId, duplicateOfId: null }, orderBy: { issuedAt: "asc" } });
  const on = frenchDay(parisDay(appeal.outcomeAt ?? new Date()));
  const reason = replacementReason(on, appeal.outcomeReason, newNumber);
  const revoked: string[] = [];
  for (const record of originals) revoked.push(...(await revokeRecord({ actor, recordId: record.id, reason })).revokedNumbers);
  return revoked;
}

/**
 * The revocation's reason, within a revocation reason's limit (REVOCATION_REASON_MAX): the jury's motive on the appeal
 * runs to 5,000 characters, so a long one is quoted up to « … » (it stays whole on the appeal and in the minutes). A
 * reason over the limit was refused by revokeRecord after the new document was issued: the contested one stayed valid.
 */
export function replacementReason(on: string, motive: string | null, newNumber: string | null): string {
  const head = `Décision remplacée à la suite du recours accueilli par le jury le ${on}`;
  const tail = newNumber ? ` (nouveau document n° ${newNumber})` : "";
  const text = motive?.trim() ?? "";
  const room = REVOCATION_REASON_MAX - head.length - tail.length - " : ".length;
  const quoted = text.length <= room ? text : `${text.slice(0, room - 1).trimEnd()}…`;
  return `${head} : ${quoted}${tail}`;
}
