/** What a decision notice says, read from the database (app/domain/decision-notice.ts builds the text). */
import { buildNotice, noticeCandidateName, type NoticeFacts } from "~/domain/decision-notice";
import { DELIVERY_KIND_LABELS, verificationUrl } from "~/domain/delivery-record";
import { parseScheme } from "~/domain/scheme";
import { readCollabText } from "~/live/sessions/collab-text.server";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { summariseAcquisitions } from "~/domain/acquisitions";
import { acquisitionFactsOf } from "./acquired-for.server";
import { finalityOf } from "./decisions-finality.server";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * The notice's facts, with where it goes: the candidate's e-mail (`to`) and postal address (the letter's window
 * block; null when none is registered).
 */
export async function noticeFactsOf(
  db: Db,
  decisionId: string,
  notifiedAt: Date,
): Promise<NoticeFacts & { to: string | null; postalAddress: string | null; organisationId: string }> {
  const decision = await db.juryDecision.findUniqueOrThrow({
    where: { id: decisionId },
    include: {
      items: true,
      dossier: {
        include: {
          candidate: true,
          certification: { include: { organisation: true } },
          referentialVersion: { include: { blocs: { orderBy: { position: "asc" } } } },
        },
      },
    },
  });
  const { candidate, certification, referentialVersion } = decision.dossier;
  const scheme = parseScheme(certification.scheme);
  const finality = await finalityOf(db, decision.sessionId);
  const records = await db.deliveryRecord.findMany({
    where: { decisionId, duplicateOfId: null, revokedAt: null },
    orderBy: { issuedAt: "asc" },
  });
  const appeal = await db.appeal.findFirst({ where: { newDecisionId: decisionId, status: "UPHELD" } });
  const contested = appeal ? await db.juryDecision.findUnique({ where: { id: appeal.decisionId }, select: { decidedAt: true } }) : null;
  const replaced = appeal
    ? await db.deliveryRecord.findMany({ where: { decisionId: appeal.decisionId, duplicateOfId: null, revokedAt: { not: null } }, orderBy: { issuedAt: "asc" } })
    : [];
  // What the candidate holds on the decision's day, this decision and earlier ones together (as the record issued
  // for it counts it, ./issue-records.server.ts): a partial decision may complete the certification.
  const { facts: acquisitionFacts, required, blocTitles } = await acquisitionFactsOf(db, candidate.id, certification.id);
  const upTo = acquisitionFacts.filter((fact) => fact.decidedAt.getTime() <= decision.decidedAt.getTime());
  const summary = summariseAcquisitions(upTo, required, { partialValidityYears: scheme.partialValidityYears }, decision.decidedAt);
  const own = summary.acquisitions.filter((a) => a.decisionId === decision.id && a.target === "BLOC");
  const earlier = summary.acquisitions
    .filter((a) => a.decisionId !== decision.id && a.target === "BLOC" && a.state !== "expired")
    .filter((a) => !decision.items.some((i) => i.target === "BLOC" && i.acquired && i.targetId === a.targetId))
    .sort((a, b) => a.code.localeCompare(b.code));
  const blocTitle = (code: string) => referentialVersion.blocs.find((b) => b.code === code)?.title ?? "";
  const blocItems = decision.items.filter((i) => i.target === "BLOC").sort((a, b) => a.code.localeCompare(b.code));
  const base = publicUrl();
  return {
    to: candidate.email,
    postalAddress: candidate.postalAddress,
    organisationId: certification.organisationId,
    organisation: certification.organisation.legalName,
    candidate: noticeCandidateName(candidate),
    sex: candidate.sex,
    certification: { code: certification.code, title: certification.title },
    overall: decision.overall,
    decidedAt: decision.decidedAt,
    validatedByCpne: finality.final && finality.by === "cpne",
    acquired: blocItems.filter((i) => i.acquired).map((i) => ({ code: i.code, title: blocTitle(i.code) })),
    notAcquired: blocItems.filter((i) => !i.acquired).map((i) => ({ code: i.code, title: blocTitle(i.code) })),
    // Blocs acquired on different days (a decision revised on appeal): they hold until the first ends, as the attestation.
    validUntil: earliestEnd(own.map((a) => a.validUntil)),
    earlierAcquired: earlier.map((a) => ({ code: a.code, title: blocTitles.get(a.targetId) ?? "", decidedAt: a.decidedAt })),
    delivered: decision.overall === "TOTAL" || summary.status === "TOTAL",
    preconisations: (await readCollabText(db, decision.preconisationsDoc, "preconisations")) || null,
    adjournmentReason: decision.adjournmentReason,
    records: records.map((r) => ({ label: DELIVERY_KIND_LABELS[r.kind], number: r.number, verificationUrl: verificationUrl(base, r.verificationCode) })),
    appeal: { allowed: scheme.jury.appealsAllowed, deadlineDays: scheme.jury.appealDeadlineDays },
    notifiedAt,
    contact: certification.organisation.legalName,
    onAppeal: contested ? { contestedOn: contested.decidedAt, replacedRecords: replaced.map((r) => r.number) } : null,
  };
}

/** The first of validity ends (null = for life), or null when all are for life. */
function earliestEnd(ends: Array<Date | null>): Date | null {
  const dated = ends.filter((end): end is Date => end !== null);
  return dated.length ? new Date(Math.min(...dated.map((end) => end.getTime()))) : null;
}

export async function noticeOf(db: Db, decisionId: string, notifiedAt: Date) {
  const facts = await noticeFactsOf(db, decisionId, notifiedAt);
  return { facts, notice: buildNotice(facts) };
}
