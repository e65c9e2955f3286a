/**
 * The fiche de décision as a signed-document kind. Document id = the jury agenda item (one sheet per decided
 * candidate), within its session; its signing state lives in JuryDecisionSheet. Content = the recorded decision
 * (app/live/jury/decision-sheet-facts.server.ts → app/domain/decision-sheet.ts) + the préconisations, whose Yjs
 * document (JuryDecision.preconisationsDoc) is sealed read-only by the document store in the same transaction.
 *
 * Open (« soumettre à la signature ») = the president or the vice-president; any voting member may ask for a change
 * (reopen, with a reason: the round's signatures are voided visibly, the préconisations editable again); the
 * president signs always (the vice-president when the president is recused for this candidate), the other voting
 * members present when the decision was recorded too when the scheme says so (jury.membersSignDecision) — never a
 * member recused for this candidate. The
 * PDF is PDF/A-3b, sealed (PAdES) in the render worker (./decision-pdf.ts).
 */
import { SEAT_LABELS, type SeatRole } from "~/domain/access";
import { verificationUrl } from "~/domain/delivery-record";
import { canonicalJson, sha256Hex } from "~/domain/canonical";
import { presentFromAttendance } from "~/domain/quorum";
import { decisionSheetSigners, MAX_PRECONISATIONS, type SealedDecisionSheet } from "~/domain/decision-sheet";
import { forbiddenCharacter } from "~/domain/safe-text";
import { fileNameSlug } from "~/domain/search";
import { decisionSheetEvidence, gatherDecisionSheet, PRECONISATIONS_FIELD } from "~/live/jury/decision-sheet-facts.server";
import { agendaItemOf, loadJury, recusedFor } from "~/live/jury/jury-context.server";
import type { DecisionSheetState } from "~/live/session-events";
import { AppError } from "~/platform/app-error";
import { Prisma } from "~/platform/db/db.server";
import { publicUrl } from "~/platform/http/public-url.server";
import { newVerificationCode } from "~/platform/security/verification-code.server";
import type { Db, DocumentKind, DocumentRef, LoadedDocument, SealedContent } from "../../document-kind";
import { pdfRoundUnavailabilities, requireRowMoved, roundSignatures, sealedRowColumns } from "../signing-row.server";
import type { DecisionPdfInput } from "./decision-pdf";

export const DECISION_KIND = "decision";

type Seat = { userId: string; displayName: string; role: SeatRole };
export type DecisionDocument = LoadedDocument & {
  sessionId: string;
  agendaItemId: string;
  decisionId: string;
  preconisationsDoc: string;
  overall: string;
  decidedAt: Date;
  seats: Seat[];
  recused: Map<string, string>;
  /** The members present when the decision was recorded. */
  presentThen: ReadonlySet<string>;
};

const VOTING: ReadonlySet<SeatRole> = new Set(["PRESIDENT", "VICE_PRESIDENT", "MEMBER"]);

async function loadSheet(db: Db, ref: DocumentRef): Promise<DecisionDocument> {
  const found = await db.juryAgendaItem.findFirst({
    where: { id: ref.documentId, ...(ref.within !== undefined ? { sessionId: ref.within } : {}) },
    select: { sessionId: true, decision: { select: { id: true } } },
  });
  if (!found) throw new AppError("NOT_FOUND", "Fiche de décision introuvable.");
  if (!found.decision) throw new AppError("NOT_FOUND", "Aucune décision n'est encore rendue pour ce candidat : sa fiche de décision n'existe pas encore.");
  const ctx = await loadJury(db, found.sessionId);
  const item = agendaItemOf(ctx, ref.documentId);
  const decision = item.decision!;
  const recused = await recusedFor(db, ctx, item);
  const sheet = await db.juryDecisionSheet.findUnique({ where: { decisionId: decision.id } });
  const seats = ctx.session.members.map((m) => ({ userId: m.userId, displayName: m.user.displayName, role: m.role }));
  // Who took the decision: the members present when it was recorded (an absent member signs nothing they did not
  // decide), presided by whoever recorded it.
  const presentThen = presentFromAttendance(ctx.session.attendance.filter((a) => a.at.getTime() <= decision.decidedAt.getTime()));
  // Submitted: the signers frozen then (a seat, a recusal or the scheme changed since changes nothing).
  const frozen = sheet && sheet.status !== "OPEN" && Array.isArray(sheet.signerIds) ? (sheet.signerIds as string[]) : null;
  const signers = frozen
    ? frozen.map((id) => seats.find((s) => s.userId === id) ?? { userId: id, displayName: "Ancien membre", role: "MEMBER" as SeatRole })
    : decisionSheetSigners(seats, { decidedById: decision.decidedById, recused, presentThen, membersSignDecision: ctx.scheme.jury.membersSignDecision });
  return {
    ref,
    sessionId: found.sessionId,
    agendaItemId: ref.documentId,
    decisionId: decision.id,
    preconisationsDoc: decision.preconisationsDoc,
    overall: decision.overall,
    decidedAt: decision.decidedAt,
    seats,
    recused,
    presentThen,
    organisationId: ctx.session.organisationId,
    status: sheet?.status ?? "OPEN",
    round: sheet?.round ?? 0,
    sealedHash: sheet?.sealedHash ?? null,
    signers,
  };
}

/** The state the panels show, broadcast to the session's room after every change. */
export async function decisionSheetState(db: Db, document: DecisionDocument): Promise<DecisionSheetState> {
  const pdf = await db.signedDocument.findUnique({
    where: { kind_documentId: { kind: DECISION_KIND, documentId: document.agendaItemId } },
    select: { sha256: true },
  });
  return {
    sessionId: document.sessionId,
    agendaItemId: document.agendaItemId,
    status: document.status,
    round: document.round,
    pdfSha256: pdf?.sha256 ?? null,
  };
}

const CHANGED_MEANWHILE = "La fiche de décision vient de changer d'état : réessayez.";

export const decisionKind: DocumentKind<DecisionDocument> = {
  kind: DECISION_KIND,
  label: "la fiche de décision",
  messages: {
    alreadySigned: "La fiche de décision est déjà signée.",
    notOpenForSigning: "La fiche de décision n'est pas soumise à la signature : elle ne peut pas encore être signée.",
    signedByAll: "La fiche de décision est déjà signée par tous.",
    cannotReopenSigned: "La fiche de décision est signée par tous : elle ne peut plus être modifiée.",
    notInSigning: "La fiche de décision n'est pas soumise à la signature.",
    notSigner: "Vous n'êtes pas signataire de cette fiche de décision.",
    changedMeanwhile: CHANGED_MEANWHILE,
  },
  audit: { subjectType: "JuryDecisionSheet", prefix: "decision" },

  load: loadSheet,
  async lock(tx, ref) {
    const decision = await tx.juryDecision.findUnique({ where: { agendaItemId: ref.documentId }, select: { id: true } });
    if (decision) {
      // Created on first use in SQL, ON CONFLICT: Prisma's upsert reads, then inserts, so two first commands
      // at once (a double click, the president and the secretary) both inserted and the second failed on the unique
      // index (a 500). Now the second waits for the first's insert, then locks the row it created.
      // Its public verification code (printed on the signed PDF) is drawn with the row; a row created without one (by
      // an earlier version) gets it at its next command while not yet signed, so its PDF prints it (docs/decisions/0029).
      await tx.$executeRaw`INSERT INTO "JuryDecisionSheet" ("decisionId", "verificationCode") VALUES (${decision.id}, ${newVerificationCode()})
        ON CONFLICT ("decisionId") DO UPDATE SET "verificationCode" = EXCLUDED."verificationCode"
        WHERE "JuryDecisionSheet"."verificationCode" IS NULL AND "JuryDecisionSheet"."status" <> 'SIGNED'`;
      await tx.$executeRaw`SELECT 1 FROM "JuryDecisionSheet" WHERE "decisionId" = ${decision.id} FOR UPDATE`;
    }
    return loadSheet(tx, ref); // refuses an unknown or undecided candidate
  },

  requireManager(document, actorId, action) {
    const seat = document.seats.find((s) => s.userId === actorId);
    const recusal = document.recused.get(actorId);
    if (seat && recusal !== undefined) {
      // Recused for this candidate: takes no part in his decision, nor in the sheet that records it.
      throw new AppError(
        "FORBIDDEN",
        `Vous êtes récusé pour ce candidat (${recusal.toLowerCase()}) : ${
          action === "open" ? "la fiche est soumise à la signature par qui conduit sa délibération" : "vous ne pouvez pas demander de modification de sa fiche"
        }.`,
      );
    }
    if (action === "open") {
      if (!seat || (seat.role !== "PRESIDENT" && seat.role !== "VICE_PRESIDENT")) {
        throw new AppError("FORBIDDEN", "Seul le président ou la vice-présidence du jury peut soumettre la fiche de décision à la signature.");
      }
    } else if (!seat || !VOTING.has(seat.role)) {
      throw new AppError("FORBIDDEN", "Seuls les membres du jury peuvent demander une modification de la fiche de décision.");
    }
  },

  liveDocumentName: (document) => document.preconisationsDoc,

  // The vice-president signs for the prevented president: only if present at the decision and not recused for this
  // candidate (decision 0028).
  replacementContext: (document) => ({
    seats: document.seats,
    attendanceRequired: true,
    attended: document.presentThen,
    recused: document.recused,
  }),

  missing(document, sealed: SealedContent) {
    const preconisations = preconisationsOf(sealed.canonical);
    const problems: string[] = [];
    if (preconisations.length > MAX_PRECONISATIONS) {
      problems.push(`Les préconisations dépassent ${MAX_PRECONISATIONS.toLocaleString("fr-FR")} caractères : raccourcissez-les.`);
    }
    const bad = forbiddenCharacter(preconisations);
    if (bad) problems.push(`Les préconisations contiennent un caractère interdit (${bad}) : retirez-le.`);
    if (problems.length > 0) {
      throw new AppError("CONFLICT", "Signature impossible : les préconisations ne peuvent pas être signées en l'état.", { details: problems });
    }
    return document.signers.length === 0 ? ["Aucun président ni vice-président ne peut signer cette fiche (tous récusés pour ce candidat)."] : [];
  },

  async markSealed(tx, document, sealed) {
    const content: SealedDecisionSheet = { sheet: await gatherDecisionSheet(tx, document.agendaItemId), preconisations: preconisationsOf(sealed.canonical) };
    const canonical = canonicalJson(content);
    const where = { decisionId: document.decisionId, status: "OPEN" as const, round: document.round };
    const data = { ...sealedRowColumns({ hash: sha256Hex(canonical), canonical }), signerIds: document.signers.map((s) => s.userId) };
    await requireRowMoved(tx.juryDecisionSheet.updateMany({ where, data }), "La fiche de décision vient d'être soumise à la signature par ailleurs.");
  },

  async markCompleted(tx, document) {
    const where = { decisionId: document.decisionId, status: "SIGNING" as const, round: document.round };
    const data = { status: "SIGNED" as const, signedAt: new Date() };
    await requireRowMoved(tx.juryDecisionSheet.updateMany({ where, data }), CHANGED_MEANWHILE);
    return { sessionId: document.sessionId, agendaItemId: document.agendaItemId, decisionId: document.decisionId };
  },

  async markReopened(tx, document) {
    const where = { decisionId: document.decisionId, status: "SIGNING" as const, round: document.round };
    const data = { status: "OPEN" as const, round: { increment: 1 }, sealedHash: null, sealedContent: Prisma.DbNull, signerIds: Prisma.DbNull, sealedAt: null };
    await requireRowMoved(tx.juryDecisionSheet.updateMany({ where, data }), CHANGED_MEANWHILE);
  },

  async publish(db, ref, realtime) {
    const document = await loadSheet(db, { documentId: ref.documentId });
    const state = await decisionSheetState(db, document);
    realtime.notifySession(document.sessionId, "decision:state", state);
    // The command's answer also carries the sealed hash: the panel shows it, and sends it back with a signature.
    return { ...state, sealedHash: document.sealedHash };
  },

  pdf: {
    async fileName(db, ref) {
      const item = await db.juryAgendaItem.findUnique({
        where: { id: ref.documentId },
        select: { dossier: { select: { candidate: { select: { birthName: true, givenNames: true } } } } },
      });
      const who = item ? `${item.dossier.candidate.birthName} ${item.dossier.candidate.givenNames.split(/\s+/)[0]}` : "";
      const slug = fileNameSlug(who, ref.documentId);
      return `fiche-de-decision-${slug}.pdf`;
    },
    async input(db, ref, round) {
      return decisionPdfInput(db, ref.documentId, round);
    },
  },
};

/** The préconisations inside the sealed Yjs document's canonical JSON. */
function preconisationsOf(canonical: string): string {
  const value = (JSON.parse(canonical) as Record<string, unknown>)[PRECONISATIONS_FIELD];
  return typeof value === "string" ? value : "";
}

/** The renderer's input, read after the commit (plain data: it crosses to the render worker). */
export async function decisionPdfInput(db: Db, agendaItemId: string, round: number): Promise<DecisionPdfInput> {
  const document = await loadSheet(db, { documentId: agendaItemId });
  const row = await db.juryDecisionSheet.findUniqueOrThrow({ where: { decisionId: document.decisionId } });
  const content = row.sealedContent as unknown as SealedDecisionSheet;
  const signatures = await roundSignatures(db, DECISION_KIND, agendaItemId, round);
  const seat = (id: string) => document.seats.find((s) => s.userId === id);
  const seatOf = (id: string) => ({ name: seat(id)?.displayName ?? id, role: SEAT_LABELS[seat(id)?.role ?? "MEMBER"] });
  const evidence = await decisionSheetEvidence(db, agendaItemId);
  const prevented = await pdfRoundUnavailabilities(db, DECISION_KIND, agendaItemId, round, seatOf);
  return {
    organisation: content.sheet.organisation.legalName,
    title: `Fiche de décision — ${content.sheet.candidate.name}`,
    createdAt: row.signedAt ?? new Date(),
    content,
    contentHash: row.sealedHash ?? "",
    // The vice-president's signature for a prevented president is listed as his, « pour le président Y empêché ».
    signatures: [...signatures.map((s) => ({ ...seatOf(s.userId), signedAt: s.signedAt })), ...prevented.replacementSignatures],
    unavailable: prevented.unavailable,
    evidence: { ...evidence, content, contentHash: row.sealedHash, round },
    verificationUrl: row.verificationCode ? verificationUrl(publicUrl(), row.verificationCode) : null,
  };
}
