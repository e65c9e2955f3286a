/**
 * Public verification of a decision notice letter or a signed fiche de décision by the random code printed on it
 * (docs/decisions/0029), beside the delivery records' (./verify-record.server.ts). Only what the document prints and a
 * third party may see: its kind, the certification, its date, the candidate's name as printed, whether a newer
 * version replaces it (a re-issued letter; a decision revised on appeal, whose own letter or sheet is then linked) and
 * its PDF's SHA-256. Never the decision's content, the préconisations, the address nor anything of the candidate's
 * file. An unknown or malformed code answers null, after the same indexed lookups (nothing to enumerate); a sheet not
 * signed yet has no document to verify and answers null too.
 */
import { noticeCandidateName } from "~/domain/decision-notice";
import { verificationKey } from "~/domain/delivery-record";
import type { DocumentReplacement, VerifiedDocumentKind } from "~/domain/document-verification";
import type { SealedDecisionSheet } from "~/domain/decision-sheet";
import { prisma } from "~/platform/db/db.server";
import { DECISION_KIND } from "~/signing/kinds/decision/decision-kind.server";
import { NOTICE_KIND } from "./notice-kind.server";

export type DocumentVerification = {
  kind: VerifiedDocumentKind;
  holder: string;
  certification: { code: string; title: string } | null;
  organisation: string;
  /** The letter's date (the notification's, or its re-issue's); the sheet's signature. */
  issuedAt: Date;
  /** The jury's decision day. */
  decidedAt: Date;
  replacedBy: DocumentReplacement | null;
  /** A re-issued letter: the date and code of the letter it replaces. */
  replaces: { on: Date; verificationCode: string | null } | null;
  pdfSha256: string | null;
};

export async function findDocumentForVerification(code: string): Promise<DocumentVerification | null> {
  const key = verificationKey(code);
  return (await noticeForVerification(key)) ?? (await sheetForVerification(key));
}

async function noticeForVerification(key: string): Promise<DocumentVerification | null> {
  const letter = await prisma.noticeLetter.findUnique({
    where: { verificationCode: key },
    select: {
      decisionId: true,
      documentId: true,
      createdAt: true,
      candidateName: true,
      supersededBy: { select: { createdAt: true, verificationCode: true } },
      supersedes: { select: { createdAt: true, verificationCode: true } },
      decision: {
        select: {
          decidedAt: true,
          dossier: {
            select: {
              candidate: { select: { givenNames: true, usageName: true, birthName: true } },
              certification: { select: { code: true, title: true, organisation: { select: { legalName: true } } } },
            },
          },
        },
      },
    },
  });
  if (!letter) return null;
  const { dossier } = letter.decision;
  const replacedBy: DocumentReplacement | null = letter.supersededBy
    ? { kind: "NOTICE", on: letter.supersededBy.createdAt, verificationCode: letter.supersededBy.verificationCode, cause: "reissue" }
    : await revisedOnAppeal(letter.decisionId, "NOTICE");
  return {
    kind: "NOTICE",
    // Letters carry their name since they carry a code (the migration froze the others' with it).
    holder: letter.candidateName ?? noticeCandidateName(dossier.candidate),
    certification: { code: dossier.certification.code, title: dossier.certification.title },
    organisation: dossier.certification.organisation.legalName,
    issuedAt: letter.createdAt,
    decidedAt: letter.decision.decidedAt,
    replacedBy,
    replaces: letter.supersedes ? { on: letter.supersedes.createdAt, verificationCode: letter.supersedes.verificationCode } : null,
    pdfSha256: await pdfSha256Of(NOTICE_KIND, letter.documentId),
  };
}

async function sheetForVerification(key: string): Promise<DocumentVerification | null> {
  const sheet = await prisma.juryDecisionSheet.findUnique({
    where: { verificationCode: key },
    select: { decisionId: true, status: true, sealedContent: true, signedAt: true, decision: { select: { agendaItemId: true, decidedAt: true } } },
  });
  if (!sheet || sheet.status !== "SIGNED" || !sheet.signedAt) return null;
  // What the signers signed, as printed: the name, the certification, the organisation.
  const { sheet: content } = sheet.sealedContent as unknown as SealedDecisionSheet;
  return {
    kind: "DECISION_SHEET",
    holder: content.candidate.name,
    certification: content.certification ? { code: content.certification.code, title: content.certification.title } : null,
    organisation: content.organisation.legalName,
    issuedAt: sheet.signedAt,
    decidedAt: sheet.decision.decidedAt,
    replacedBy: await revisedOnAppeal(sheet.decisionId, "DECISION_SHEET"),
    replaces: null,
    pdfSha256: await pdfSha256Of(DECISION_KIND, sheet.decision.agendaItemId),
  };
}

/**
 * A decision an upheld appeal revised: the revised decision's current letter (or signed sheet), with its code, or —
 * none out yet — the day the appeal was decided.
 */
async function revisedOnAppeal(decisionId: string, kind: VerifiedDocumentKind): Promise<DocumentReplacement | null> {
  const appeal = await prisma.appeal.findFirst({
    where: { decisionId, status: "UPHELD", newDecisionId: { not: null } },
    select: { newDecisionId: true, outcomeAt: true, createdAt: true },
  });
  if (!appeal?.newDecisionId) return null;
  const newer =
    kind === "NOTICE"
      ? await prisma.noticeLetter.findFirst({
          where: { decisionId: appeal.newDecisionId, supersededAt: null, verificationCode: { not: null } },
          select: { createdAt: true, verificationCode: true },
        })
      : await prisma.juryDecisionSheet
          .findFirst({ where: { decisionId: appeal.newDecisionId, status: "SIGNED", verificationCode: { not: null } }, select: { signedAt: true, verificationCode: true } })
          .then((s) => (s?.signedAt ? { createdAt: s.signedAt, verificationCode: s.verificationCode } : null));
  return newer
    ? { kind, on: newer.createdAt, verificationCode: newer.verificationCode, cause: "appeal" }
    : { kind, on: appeal.outcomeAt ?? appeal.createdAt, verificationCode: null, cause: "appeal" };
}

async function pdfSha256Of(kind: string, documentId: string): Promise<string | null> {
  const pdf = await prisma.signedDocument.findUnique({ where: { kind_documentId: { kind, documentId } }, select: { sha256: true } });
  return pdf?.sha256 ?? null;
}
