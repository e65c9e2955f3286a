/** What a decision notice says, read from the database (app/domain/decision-notice.ts builds the text). */
import { buildNotice, type NoticeFacts } from "~/domain/decision-notice";
import { DELIVERY_KIND_LABELS } from "~/domain/delivery-record";
import { parseScheme } from "~/domain/scheme";
import { readCollabText } from "~/live/sessions/collab-text.server";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { verificationUrl } from "./record-pdf.server";
import { finalityOf } from "./decisions-finality.server";

type Db = PrismaClient | Prisma.TransactionClient;

export async function noticeFactsOf(db: Db, decisionId: string, notifiedAt: Date): Promise<NoticeFacts & { to: string | null; organisationId: string }> {
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
  const blocTitle = (code: string) => referentialVersion.blocs.find((b) => b.code === code)?.title ?? "";
  const blocItems = decision.items.filter((i) => i.target === "BLOC").sort((a, b) => a.code.localeCompare(b.code));
  const base = publicUrl();
  return {
    to: candidate.email,
    organisationId: certification.organisationId,
    organisation: certification.organisation.legalName,
    candidate: `${candidate.givenNames} ${candidate.usageName ?? candidate.birthName}`,
    certification: { code: certification.code, title: certification.title },
    overall: decision.overall,
    decidedAt: decision.decidedAt,
    validatedByCpne: finality.final && finality.by === "cpne",
    acquired: blocItems.filter((i) => i.acquired).map((i) => ({ code: i.code, title: blocTitle(i.code) })),
    notAcquired: blocItems.filter((i) => !i.acquired).map((i) => ({ code: i.code, title: blocTitle(i.code) })),
    validUntil: records.find((r) => r.kind === "ATTESTATION")?.validUntil ?? null,
    preconisations: (await readCollabText(db, decision.preconisationsDoc, "preconisations")) || null,
    adjournmentReason: decision.adjournmentReason,
    records: records.map((r) => ({ label: DELIVERY_KIND_LABELS[r.kind], number: r.number, verificationUrl: verificationUrl(base, r.verificationCode) })),
    appeal: { allowed: scheme.jury.appealsAllowed, deadlineDays: scheme.jury.appealDeadlineDays },
    notifiedAt,
    contact: `${certification.organisation.legalName} (secrétariat de la certification)`,
    onAppeal: contested ? { contestedOn: contested.decidedAt, replacedRecords: replaced.map((r) => r.number) } : null,
  };
}

export async function noticeOf(db: Db, decisionId: string, notifiedAt: Date) {
  const facts = await noticeFactsOf(db, decisionId, notifiedAt);
  return { facts, notice: buildNotice(facts) };
}
