/**
 * Use case: issue the delivery record that follows a jury decision — a parchemin when the candidate's valid
 * acquisitions (this decision and earlier ones, app/domain/acquisitions.ts) cover the whole certification, an
 * attestation de blocs for the blocs this decision validated otherwise, nothing for a decision that validates nothing.
 * Idempotent (a second call returns the record already issued). One transaction: number, record and audit event.
 * The credential and the sealed PDF follow after the commit (finishRecord), never inside the request's transaction.
 */
import { AppError, type Actor } from "~/platform/app-error";
import { auditActor, recordAudit } from "~/platform/audit/record-audit.server";
import { prisma, type Prisma } from "~/platform/db/db.server";
import { summariseAcquisitions, type DecisionFact } from "~/domain/acquisitions";
import { parseScheme } from "~/domain/scheme";
import { createDeliveryRecord, type RecordSnapshot } from "./record-store.server";
import { acquisitionFactsOf } from "./acquired-for.server";

export async function issueRecordsForDecision(input: {
  actor: Actor;
  decisionId: string;
  preconisations?: string | null;
  placeOfIssue?: string | null;
}) {
  return prisma.$transaction(async (tx) => {
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
    const acquired = summary.acquisitions.filter((a) => a.decisionId === decision.id && a.target === "BLOC");
    const snapshot: RecordSnapshot = {
      holder: {
        birthName: candidate.birthName,
        usageName: candidate.usageName,
        givenNames: candidate.givenNames,
        birthDate: candidate.birthDate?.toISOString().slice(0, 10) ?? null,
        birthPlace: candidate.birthPlace ?? candidate.birthCountry,
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
      preconisations: input.preconisations?.trim() || null,
      validUntil: kind === "PARCHEMIN" ? null : (acquired[0]?.validUntil ?? null),
      placeOfIssue: input.placeOfIssue?.trim() || null,
      issuedById: input.actor.userId,
    });
    await recordAudit(tx, {
      ...auditActor(input.actor),
      action: kind === "PARCHEMIN" ? "parchemin.sealed" : "attestation.sealed",
      subjectType: "DeliveryRecord",
      subjectId: record.id,
      data: { number: record.number, decisionId: decision.id, blocs: snapshot.blocs.map((b) => b.code) },
    });
    return record;
  });
}

export type IssuedRecord = Prisma.DeliveryRecordGetPayload<object>;
