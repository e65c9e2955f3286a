/**
 * Numbering and creation of delivery records, inside the caller's transaction.
 * Numbers: one RecordCounter row per organisation and year (the year of issue in Paris: a record issued at 00:30 on
 * 1 January there is numbered in the new year), created if absent then locked FOR UPDATE, so two juries
 * closing at the same instant wait for each other: no gap (a rolled-back transaction rolls its increment back too)
 * and never reused (the row only grows; records are never deleted).
 */
import type { Prisma } from "~/platform/db/db.server";
import { newVerificationCode } from "~/platform/security/verification-code.server";
import { formatRecordNumber, type DeliveryKindName } from "~/domain/delivery-record";
import { parisYearOf } from "~/domain/paris-date";

export type RecordSnapshot = {
  holder: { birthName: string; usageName: string | null; givenNames: string; birthDate: string | null; birthPlace: string | null; email: string | null;
    /** Born abroad: the country (birthPlace then null). Absent from records issued before it was kept apart. */
    birthCountry?: string | null;
  };
  certification: {
    kind: string;
    code: string;
    title: string;
    nationalLevel: number | null;
    eqfLevel: number | null;
    nsfCodes: string[];
    decisionDate: string | null;
    certifierName: string;
    signatory: string;
    /**
     * A branch certification's RNCP or RS registration (its `code` being the branch's number), as entered when the
     * record was issued; null without one; absent from records issued before it was kept.
     */
    registrationCode?: string | null;
  };
  blocs: { code: string; title: string }[];
  missingBlocs: { code: string; title: string }[];
};

export async function allocateRecordNumber(tx: Prisma.TransactionClient, organisationId: string, year: number) {
  await tx.$executeRaw`INSERT INTO "RecordCounter" ("organisationId", "year", "last") VALUES (${organisationId}, ${year}, 0) ON CONFLICT DO NOTHING`;
  const rows = await tx.$queryRaw<{ last: number }[]>`SELECT "last" FROM "RecordCounter" WHERE "organisationId" = ${organisationId} AND "year" = ${year} FOR UPDATE`;
  const sequence = Number(rows[0].last) + 1;
  await tx.$executeRaw`UPDATE "RecordCounter" SET "last" = ${sequence} WHERE "organisationId" = ${organisationId} AND "year" = ${year}`;
  const organisation = await tx.organisation.findUniqueOrThrow({ where: { id: organisationId }, select: { slug: true } });
  return { year, sequence, number: formatRecordNumber(organisation.slug, year, sequence) };
}

export async function createDeliveryRecord(
  tx: Prisma.TransactionClient,
  input: {
    organisationId: string;
    kind: DeliveryKindName;
    candidateId: string;
    certificationId: string;
    decisionId: string | null;
    snapshot: RecordSnapshot;
    preconisations: string | null;
    validUntil: Date | null;
    placeOfIssue: string | null;
    issuedById: string | null;
    issuedAt?: Date;
    duplicateOfId?: string | null;
    /** A rectified record: the revoked original it replaces (./issue-rectified-record.server.ts). */
    replacesId?: string | null;
  },
) {
  const issuedAt = input.issuedAt ?? new Date();
  const { year, sequence, number } = await allocateRecordNumber(tx, input.organisationId, parisYearOf(issuedAt));
  return tx.deliveryRecord.create({
    data: {
      organisationId: input.organisationId,
      kind: input.kind,
      year,
      sequence,
      number,
      verificationCode: newVerificationCode(),
      candidateId: input.candidateId,
      certificationId: input.certificationId,
      decisionId: input.decisionId,
      holder: input.snapshot.holder,
      certification: input.snapshot.certification,
      blocs: input.snapshot.blocs,
      missingBlocs: input.snapshot.missingBlocs,
      preconisations: input.preconisations,
      validUntil: input.validUntil,
      placeOfIssue: input.placeOfIssue,
      issuedById: input.issuedById,
      issuedAt,
      duplicateOfId: input.duplicateOfId ?? null,
      replacesId: input.replacesId ?? null,
    },
  });
}
