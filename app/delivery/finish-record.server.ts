/**
 * After the issuing transaction committed: the record's Open Badges 3.0 credential (app/delivery/credentials) and
 * its sealed PDF, stored as a SignedDocument of kind "parchemin" / "attestation" (the archive lists them).
 * Idempotent: a record that already has its credential and PDF is left as it is. The server runs it as a durable
 * render job (issuing inserts the job; ./record-kind.server.ts); `finishRecord` is the in-process variant.
 */
import { createHash } from "node:crypto";
import { prisma } from "~/platform/db/db.server";
import { resolveArchiveLinks } from "~/archive/documents/index-archive.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { issueOpenBadge, revokeOpenBadge } from "./credentials/open-badge.server";
import { FileCredentialStore } from "./credentials/credential-store.server";
import type { CredentialsContext } from "./credentials/issuer.server";
import { originalOf } from "./record-chain.server";
import { holderName } from "~/domain/delivery-record";
import type { RecordForPdf } from "./record-pdf.server";
import type { RecordSnapshot } from "./record-store.server";

export function credentialsContext(): CredentialsContext {
  return { store: FileCredentialStore.default(), baseUrl: publicUrl() };
}

export function documentKindOf(kind: "PARCHEMIN" | "ATTESTATION"): "parchemin" | "attestation" {
  return kind === "PARCHEMIN" ? "parchemin" : "attestation";
}

/** The record's Open Badges credential, issued once (idempotent): the stored one when it exists. */
export async function ensureCredential(recordId: string, context: CredentialsContext = credentialsContext()) {
  const record = await prisma.deliveryRecord.findUniqueOrThrow({ where: { id: recordId } });
  if (record.credential) return record;
  const holder = record.holder as RecordSnapshot["holder"];
  const certification = record.certification as RecordSnapshot["certification"];
  const blocs = record.blocs as RecordSnapshot["blocs"];
  const credentialId = `urn:uuid:${uuidOf(record.id)}`;
  const credential = await issueOpenBadge(context, {
    organisationId: record.organisationId,
    credentialId,
    issuer: { name: certification.certifierName, url: context.baseUrl },
    holder: { fullName: holderName(holder), email: holder.email },
    achievement: {
      kind: record.kind === "PARCHEMIN" ? "total" : "partial",
      certificationCode: certification.code,
      registrationCode: certification.registrationCode ?? null,
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
  const stored = await prisma.deliveryRecord.update({ where: { id: record.id }, data: { credential: credential as object, credentialId } });
  // Revoked before its credential existed (a duplicate whose chain was revoked while it waited for its render job):
  // its status bit is set now, as revokeRecord would have.
  // The list served reads the database's revocations anyway (./get-status-list.server.ts): a failed write is repaired there.
  if (stored.revokedAt) {
    await revokeOpenBadge(context, stored.organisationId, credentialId).catch((error: unknown) => {
      console.error(`Révocation de ${stored.number} : liste de révocation non enregistrée (elle le sera à sa prochaine lecture)`, error);
    });
  }
  return stored;
}

/** What the record's PDF shows (plain data: it crosses to the render worker). */
export type RecordPdfJob = { record: RecordForPdf; options: { baseUrl: string; organisationName: string } };

export async function recordPdfInput(recordId: string, context: CredentialsContext = credentialsContext()): Promise<RecordPdfJob> {
  const record = await ensureCredential(recordId, context);
  const organisation = await prisma.organisation.findUniqueOrThrow({ where: { id: record.organisationId } });
  return {
    record: {
      kind: record.kind,
      number: record.number,
      verificationCode: record.verificationCode,
      holder: record.holder as RecordSnapshot["holder"],
      certification: record.certification as RecordSnapshot["certification"],
      blocs: record.blocs as RecordSnapshot["blocs"],
      missingBlocs: record.missingBlocs as RecordSnapshot["missingBlocs"],
      preconisations: record.preconisations,
      validUntil: record.validUntil,
      placeOfIssue: record.placeOfIssue,
      issuedAt: record.issuedAt,
      duplicateOf: await originalOf(prisma, record),
      replaces: record.replacesId
        ? await prisma.deliveryRecord.findUnique({ where: { id: record.replacesId }, select: { kind: true, number: true, revokedAt: true } })
        : null,
      credential: record.credential,
    },
    options: { baseUrl: context.baseUrl, organisationName: organisation.name },
  };
}

export function recordFileName(record: { number: string; duplicateOfId: string | null }): string {
  return `${record.number}${record.duplicateOfId ? "-duplicata" : ""}.pdf`;
}

/**
 * In-process variant (tests, scripts): credential then PDF rendered here. The server renders through the durable
 * render job instead (kinds "parchemin" / "attestation", ./record-kind.server.ts).
 */
export async function finishRecord(recordId: string, context: CredentialsContext = credentialsContext()) {
  const { record: input, options } = await recordPdfInput(recordId, context);
  const record = await prisma.deliveryRecord.findUniqueOrThrow({ where: { id: recordId } });
  const kind = documentKindOf(record.kind);
  const existing = await prisma.signedDocument.findUnique({ where: { kind_documentId: { kind, documentId: record.id } } });
  if (existing) return existing;
  // Loaded here only: the server's main thread never renders a PDF, nor loads pdf-lib (the render worker does).
  const { renderRecordPdf } = await import("./record-pdf.server");
  const sealed = await renderRecordPdf(input, options);
  const links = await resolveArchiveLinks(prisma, record.id);
  const [document] = await prisma.$transaction([
    prisma.signedDocument.upsert({
      where: { kind_documentId: { kind, documentId: record.id } },
      update: {},
      create: { kind, documentId: record.id, fileName: recordFileName(record), sha256: sealed.sha256, content: Buffer.from(sealed.bytes), ...links },
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
