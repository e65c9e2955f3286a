/**
 * After the issuing transaction committed: the record's Open Badges 3.0 credential (app/delivery/credentials) and
 * its sealed PDF, stored as a SignedDocument of kind "parchemin" / "attestation" (the archive lists them).
 * Idempotent: a record that already has its credential and PDF is left as it is. Run it off the request
 * (`void finishRecord(id)` or a render job); a failure leaves the record without PDF, to be retried.
 */
import { createHash } from "node:crypto";
import { prisma } from "~/platform/db/db.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { issueOpenBadge } from "./credentials/open-badge.server";
import { FileCredentialStore } from "./credentials/credential-store.server";
import type { CredentialsContext } from "./credentials/issuer.server";
import { holderName, renderRecordPdf } from "./record-pdf.server";
import type { RecordSnapshot } from "./record-store.server";

export function credentialsContext(): CredentialsContext {
  return { store: FileCredentialStore.default(), baseUrl: publicUrl() };
}

export function documentKindOf(kind: "PARCHEMIN" | "ATTESTATION"): "parchemin" | "attestation" {
  return kind === "PARCHEMIN" ? "parchemin" : "attestation";
}

export async function finishRecord(recordId: string, context: CredentialsContext = credentialsContext()) {
  const record = await prisma.deliveryRecord.findUniqueOrThrow({ where: { id: recordId } });
  const organisation = await prisma.organisation.findUniqueOrThrow({ where: { id: record.organisationId } });
  const holder = record.holder as RecordSnapshot["holder"];
  const certification = record.certification as RecordSnapshot["certification"];
  const blocs = record.blocs as RecordSnapshot["blocs"];
  let credential = record.credential as Record<string, unknown> | null;
  if (!credential) {
    const credentialId = `urn:uuid:${uuidOf(record.id)}`;
    credential = await issueOpenBadge(context, {
      organisationId: record.organisationId,
      credentialId,
      issuer: { name: certification.certifierName, url: context.baseUrl },
      holder: { fullName: holderName(holder), email: holder.email },
      achievement: {
        kind: record.kind === "PARCHEMIN" ? "total" : "partial",
        certificationCode: certification.code,
        title: certification.title,
        criteriaNarrative:
          record.kind === "PARCHEMIN"
            ? "Certification délivrée par le jury après évaluation de l'ensemble des blocs de compétences."
            : `Blocs de compétences validés par le jury : ${blocs.map((b) => b.code).join(", ")} (uniquement).`,
        nationalLevel: certification.nationalLevel,
        eqfLevel: certification.eqfLevel,
        nsfCodes: certification.nsfCodes,
        blocs,
      },
      validFrom: record.issuedAt,
      validUntil: record.validUntil,
    });
    await prisma.deliveryRecord.update({ where: { id: record.id }, data: { credential: credential as object, credentialId } });
  }
  const kind = documentKindOf(record.kind);
  const existing = await prisma.signedDocument.findUnique({ where: { kind_documentId: { kind, documentId: record.id } } });
  if (existing) return existing;
  const sealed = await renderRecordPdf(
    {
      kind: record.kind,
      number: record.number,
      verificationCode: record.verificationCode,
      holder,
      certification,
      blocs,
      missingBlocs: record.missingBlocs as RecordSnapshot["missingBlocs"],
      preconisations: record.preconisations,
      validUntil: record.validUntil,
      placeOfIssue: record.placeOfIssue,
      issuedAt: record.issuedAt,
      duplicate: record.duplicateOfId !== null,
      credential,
    },
    { baseUrl: context.baseUrl, organisationName: organisation.name },
  );
  const [document] = await prisma.$transaction([
    prisma.signedDocument.upsert({
      where: { kind_documentId: { kind, documentId: record.id } },
      update: {},
      create: {
        kind,
        documentId: record.id,
        fileName: `${record.number}${record.duplicateOfId ? "-duplicata" : ""}.pdf`,
        sha256: sealed.sha256,
        content: Buffer.from(sealed.bytes),
      },
    }),
    prisma.deliveryRecord.update({ where: { id: record.id }, data: { pdfSha256: sealed.sha256 } }),
  ]);
  return document;
}

/** A stable UUID-shaped identifier derived from the record id (credential ids are URIs). */
function uuidOf(id: string): string {
  const hex = createHash("sha256").update(`delivery-record:${id}`).digest("hex").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
