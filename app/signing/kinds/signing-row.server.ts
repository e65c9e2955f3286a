/**
 * What the kinds that keep their signing state in a row of their own share (the decision sheet, the CPNE
 * validation, the minutes): the columns a sealed round gets, the guarded status change of a round, and the round's
 * signatures their PDF lists.
 */
import { AppError } from "~/platform/app-error";
import type { Prisma } from "~/platform/db/db.server";
import type { Db, SealedContent } from "../document-kind";
import { replacementSignedWords } from "~/domain/signer-unavailability";
import type { SignedPdfSignature, SignedPdfUnavailability } from "./signed-pdf";

/** The row's columns once its content is sealed for signing (`markSealed`). */
export function sealedRowColumns(sealed: SealedContent) {
  return {
    status: "SIGNING" as const,
    sealedHash: sealed.hash,
    sealedContent: JSON.parse(sealed.canonical) as Prisma.InputJsonValue,
    sealedAt: new Date(),
  };
}

/**
 * A round's status change, made with `updateMany` guarded by the status and round the command read: when no row
 * changed, another command moved the document first and this one is refused with `changedMeanwhile`.
 */
export async function requireRowMoved(update: Promise<{ count: number }>, changedMeanwhile: string): Promise<void> {
  const { count } = await update;
  if (count === 0) throw new AppError("CONFLICT", changedMeanwhile);
}

/** The round's signatures (voided ones left out), first signed first. */
export function roundSignatures(db: Db, documentKind: string, documentId: string, round: number) {
  return db.signature.findMany({
    where: { documentKind, documentId, round, voidedAt: null },
    orderBy: { signedAt: "asc" },
  });
}

/** The round's empêchements constatés (voided ones left out), first recorded first: never signatures (decision 0028). */
export function roundUnavailabilities(db: Db, documentKind: string, documentId: string, round: number) {
  return db.signerUnavailability.findMany({
    where: { documentKind, documentId, round, voidedAt: null },
    orderBy: { recordedAt: "asc" },
  });
}

/**
 * The round's empêchements as a PDF prints them: the prevented signer (`seatOf` names them and their seat), who
 * recorded it (by name), when and why, and the signature the vice-president gave in their stead (decision 0028); and
 * those replacement signatures, to list among the signatures (never under the prevented person's name).
 */
export async function pdfUnavailabilities(
  db: Db,
  documentKind: string,
  documentId: string,
  round: number,
  seatOf: (userId: string) => { name: string; role: string },
): Promise<SignedPdfUnavailability[]> {
  return (await pdfRoundUnavailabilities(db, documentKind, documentId, round, seatOf)).unavailable;
}

export async function pdfRoundUnavailabilities(
  db: Db,
  documentKind: string,
  documentId: string,
  round: number,
  seatOf: (userId: string) => { name: string; role: string },
): Promise<{ unavailable: SignedPdfUnavailability[]; replacementSignatures: SignedPdfSignature[] }> {
  const rows = await roundUnavailabilities(db, documentKind, documentId, round);
  if (rows.length === 0) return { unavailable: [], replacementSignatures: [] };
  const recorders = await db.user.findMany({ where: { id: { in: rows.map((r) => r.recordedById) } }, select: { id: true, displayName: true } });
  const signedFor = (r: (typeof rows)[number]) =>
    r.replacedById && r.replacementSignedAt ? replacementSignedWords(seatOf(r.replacedById).name, seatOf(r.userId).name) : undefined;
  return {
    unavailable: rows.map((r) => ({
      ...seatOf(r.userId),
      recordedAt: r.recordedAt,
      recordedBy: recorders.find((u) => u.id === r.recordedById)?.displayName ?? "l'organisme",
      reason: r.reason,
      ...(signedFor(r) ? { replacedBy: signedFor(r) } : {}),
    })),
    replacementSignatures: rows.flatMap((r) =>
      r.replacedById && r.replacementSignedAt ? [{ ...seatOf(r.replacedById), signedAt: r.replacementSignedAt, onBehalfOf: signedFor(r) }] : [],
    ),
  };
}
