/**
 * Use case: issue the delivery record that follows a jury decision — a parchemin when the candidate's valid
 * acquisitions (this decision and earlier ones, app/domain/acquisitions.ts) cover the whole certification, an
 * attestation de blocs for the blocs this decision validated otherwise, nothing for a decision that validates nothing.
 * Only once the decision is final (app/domain/decision-validation.ts: the jury's session closed and, when the scheme
 * asks for it, the CPNE's validation signed) and its fiche de décision signed (docs/decisions/0019: refused in French,
 * naming the candidate and where the president signs it — `UnsignedSheet`). Idempotent (a second call returns the record already issued). One
 * transaction: number, record, audit event and the durable render job of its credential and sealed PDF
 * (./record-kind.server.ts), rendered after the commit, never inside the request.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { summariseAcquisitions, type DecisionFact } from "~/domain/acquisitions";
import { sheetSigned, unsignedSheetsRefusal, type SheetStatus } from "~/domain/decision-validation";
import { candidateName } from "~/domain/identity";
import { needsRegistrationCode } from "~/domain/certification";
import { parseScheme } from "~/domain/scheme";
import { readCollabText, storeLiveEdits } from "~/live/sessions/collab-text.server";
import type { RealtimePort } from "~/live/realtime-port";
import type { RenderQueuePort } from "~/signing/ports";
import { createDeliveryRecord, type RecordSnapshot } from "./record-store.server";
import { acquisitionFactsOf } from "./acquired-for.server";
import { requireFinalDecisions } from "./decisions-finality.server";
import { documentKindOf } from "./finish-record.server";

export type IssueInput = {
  actor: Actor;
  decisionId: string;
  /** Default: the jury's préconisations for this candidate (their co-edited document). */
  preconisations?: string | null;
  placeOfIssue?: string | null;
  /** Default now (the demo's records of older juries carry their own date). */
  issuedAt?: Date;
};

export async function issueRecordsForDecision(
  input: IssueInput & { renderQueue?: RenderQueuePort; realtime?: Pick<RealtimePort, "storeAcknowledgedEdits"> },
) {
  if (input.preconisations === undefined) await storeLiveEdits(input.realtime);
  const record = await prisma.$transaction(async (tx) => {
    const decision = await tx.juryDecision.findUnique({ where: { id: input.decisionId }, select: { sessionId: true, dossier: { select: { organisationId: true } } } });
    if (!decision || decision.dossier.organisationId !== input.actor.organisationId) {
      throw new AppError("NOT_FOUND", "Décision introuvable.");
    }
    await lockSessionIssuance(tx, decision.sessionId);
    await requireFinalDecisions(tx, decision.sessionId);
    return issueRecordForDecisionTx(tx, input);
  });
  if (record) input.renderQueue?.kick();
  return record;
}

/**
 * Serialises the issuances of one jury session's records (row lock on the session, taken before anything is
 * checked): two « Délivrer » at once each saw « no record yet » for a decision, then queued on the year's counter
 * and both issued, giving the candidate two documents with two numbers. Taken before the counter, like every
 * issuance; FOR NO KEY UPDATE, so connection events and other children of the session (key share) do not wait.
 */
export async function lockSessionIssuance(tx: Prisma.TransactionClient, sessionId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM "Session" WHERE "id" = ${sessionId} FOR NO KEY UPDATE`;
}

/** Inside the caller's transaction, once the decision is known to be final and its session locked (lockSessionIssuance). */
export async function issueRecordForDecisionTx(tx: Prisma.TransactionClient, input: IssueInput) {
  {
    const decision = await tx.juryDecision.findUnique({
      where: { id: input.decisionId },
      include: { dossier: { include: { candidate: true, certification: { include: { organisation: true } } } } },
    });
    if (!decision || decision.dossier.organisationId !== input.actor.organisationId) {
      throw new AppError("NOT_FOUND", "Décision introuvable.");
    }
    const existing = await tx.deliveryRecord.findFirst({ where: { decisionId: decision.id, duplicateOfId: null } });
    if (existing) return existing;
    const { candidate, certification } = decision.dossier;
    const scheme = parseScheme(certification.scheme);
    const { facts, required, blocTitles } = await acquisitionFactsOf(tx, candidate.id, certification.id);
    const upTo = facts.filter((fact) => fact.decidedAt.getTime() <= decision.decidedAt.getTime());
    const summary = summariseAcquisitions(upTo, required, { partialValidityYears: scheme.partialValidityYears }, decision.decidedAt);
    const own = upTo.find((fact) => fact.decisionId === decision.id) as DecisionFact | undefined;
    const ownBlocs = (own?.items ?? []).filter((item) => item.acquired && item.target === "BLOC");
    const kind = summary.status === "TOTAL" ? "PARCHEMIN" : ownBlocs.length > 0 ? "ATTESTATION" : null;
    if (!kind) return null;
    // The document follows the signed fiche de décision (a signed fiche is never reopened, so no lock is needed).
    const sheet = await tx.juryDecisionSheet.findUnique({ where: { decisionId: decision.id }, select: { status: true } });
    if (!sheetSigned(sheet?.status)) throw new UnsignedSheet(candidateName(candidate), sheet?.status ?? null);
    const acquired = summary.acquisitions.filter((a) => a.decisionId === decision.id && a.target === "BLOC");
    const snapshot: RecordSnapshot = {
      holder: {
        birthName: candidate.birthName,
        usageName: candidate.usageName,
        givenNames: candidate.givenNames,
        birthDate: candidate.birthDate?.toISOString().slice(0, 10) ?? null,
        birthPlace: candidate.birthPlace,
        birthCountry: candidate.birthPlace ? null : candidate.birthCountry,
        email: candidate.email,
      },
      certification: {
        kind: certification.kind,
        code: certification.code,
        title: certification.title,
        nationalLevel: certification.nationalLevel,
        eqfLevel: certification.eqfLevel,
        nsfCodes: certification.nsfCodes,
        decisionDate: certification.decisionDate?.toISOString().slice(0, 10) ?? null,
        certifierName: certification.certifierName ?? certification.organisation.legalName,
        signatory: certification.certifierSignatory ?? certification.organisation.signatory ?? "",
        registrationCode: needsRegistrationCode(certification.code) ? certification.registrationCode : null,
      },
      blocs:
        kind === "PARCHEMIN"
          ? required.map((r) => ({ code: r.code, title: blocTitles.get(r.targetId) ?? "" }))
          : ownBlocs.map((b) => ({ code: b.code, title: blocTitles.get(b.targetId) ?? "" })),
      missingBlocs: kind === "PARCHEMIN" ? [] : summary.missing.map((m) => ({ code: m.code, title: blocTitles.get(m.targetId) ?? "" })),
    };
    const record = await createDeliveryRecord(tx, {
      organisationId: certification.organisationId,
      kind,
      candidateId: candidate.id,
      certificationId: certification.id,
      decisionId: decision.id,
      snapshot,
      preconisations:
        (input.preconisations === undefined
          ? await readCollabText(tx, decision.preconisationsDoc, "preconisations")
          : input.preconisations
        )?.trim() || null,
      // Blocs acquired on different days (a decision revised on appeal): the attestation holds until the first ends.
      validUntil: kind === "PARCHEMIN" ? null : earliestEnd(acquired.map((a) => a.validUntil)),
      placeOfIssue: input.placeOfIssue?.trim() || null,
      issuedById: input.actor.userId,
      issuedAt: input.issuedAt,
    });
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: kind === "PARCHEMIN" ? "parchemin.sealed" : "attestation.sealed",
      subjectType: "DeliveryRecord",
      subjectId: record.id,
      data: { number: record.number, decisionId: decision.id, blocs: snapshot.blocs.map((b) => b.code) },
    });
    await tx.renderJob.create({ data: { documentKind: documentKindOf(kind), documentId: record.id, round: 0 } });
    return record;
  }
}

/**
 * The refusal of a document whose decision's fiche de décision is not signed: thrown before anything is written, so a
 * session's issuance (issue-session-records) can leave that candidate out and issue the others.
 */
export class UnsignedSheet extends AppError {
  constructor(
    readonly candidate: string,
    readonly sheetStatus: SheetStatus | null,
  ) {
    const refusal = unsignedSheetsRefusal([{ candidate, status: sheetStatus }], "issue");
    super("CONFLICT", refusal.message, { details: refusal.details });
    this.name = "UnsignedSheet";
  }
}

/** The first of validity ends (null = for life), or null when all are for life. */
function earliestEnd(ends: Array<Date | null>): Date | null {
  const dated = ends.filter((end): end is Date => end !== null);
  return dated.length ? new Date(Math.min(...dated.map((end) => end.getTime()))) : null;
}

export type IssuedRecord = Prisma.DeliveryRecordGetPayload<object>;
