/**
 * The procès-verbal as a signed-document kind. Document id = the session id (one PV per session); its signing
 * state lives in SessionMinutes. Content = the generated sections (app/domain/minutes.ts, from the session's facts
 * at the moment of the seal) + the co-edited remarks (Yjs document minutes:<sessionId>, sealed read-only by the
 * document store). Finalise (open) = the secretary or the president; a member who reviews may ask for a change
 * (reopen, with a reason: the round's signatures are voided visibly); the president always signs, the voting
 * members too when the scheme says so (jury.membersSignMinutes) — for a jury, those who attended the sitting. The PDF is PDF/A-3b, sealed (PAdES) in the
 * render worker (./minutes-pdf.ts).
 */
import { SEAT_LABELS, type SeatRole } from "~/domain/access";
import { canonicalJson, sha256Hex } from "~/domain/canonical";
import { buildMinutes, computeIncidents, MINUTES_REMARKS_TEXT, type MinutesContent, minutesDocumentName, minutesFinaliseRefusal, minutesSigners } from "~/domain/minutes";
import { parseScheme } from "~/domain/scheme";
import { gatherMinutesFacts, minutesEvidence } from "~/live/sessions/minutes-facts.server";
import { AppError } from "~/platform/app-error";
import type { Db, DocumentKind, DocumentRef, LoadedDocument } from "../../document-kind";
import { newRowId } from "~/platform/db/new-id.server";
import { pdfRoundUnavailabilities, requireRowMoved, roundSignatures, sealedRowColumns } from "../signing-row.server";
import type { MinutesPdfInput } from "./minutes-pdf";

export const MINUTES_KIND = "minutes";

type Seat = { userId: string; displayName: string; role: SeatRole };
type MinutesDocument = LoadedDocument & {
  sessionId: string;
  sessionKind: "JURY" | "COMMISSION";
  sessionStatus: "PLANNED" | "OPEN" | "CLOSED";
  /** Why it cannot be finalised yet (the sitting not closed, a commission that has not sat), or null. */
  finaliseRefusal: string | null;
  seats: Seat[];
  /** Who signed in at the sitting (a jury's émargement). */
  attended: Set<string>;
  /** What was sealed at finalisation (null while open). */
  sealedContent: unknown;
};

/** The sealed content: what the signers sign (canonical JSON of this). */
export type SealedMinutes = { generated: MinutesContent; remarks: string };

async function loadMinutes(db: Db, ref: DocumentRef): Promise<MinutesDocument> {
  const sessionId = ref.documentId;
  if (ref.within !== undefined && ref.within !== sessionId) throw new AppError("NOT_FOUND", "Procès-verbal introuvable.");
  const session = await db.session.findUnique({
    where: { id: sessionId },
    select: {
      organisationId: true,
      kind: true,
      status: true,
      startsAt: true,
      minutes: true,
      // The passages ended (their grid sealed): a commission's minutes are finalised once it has sat.
      _count: { select: { slots: { where: { gridStatus: { in: ["SIGNING", "SIGNED"] } } } } },
      referentialVersion: { select: { certification: { select: { scheme: true } } } },
      members: { orderBy: { createdAt: "asc" }, select: { userId: true, role: true, user: { select: { displayName: true } } } },
      attendance: { where: { kind: "ARRIVED" }, select: { userId: true } },
    },
  });
  if (!session) throw new AppError("NOT_FOUND", "Procès-verbal introuvable.");
  const scheme = session.referentialVersion ? parseScheme(session.referentialVersion.certification.scheme) : null;
  const seats = session.members.map((m) => ({ userId: m.userId, displayName: m.user.displayName, role: m.role }));
  const attended = new Set(session.attendance.map((a) => a.userId));
  const signers = minutesSigners(seats, {
    jury: session.kind === "JURY",
    membersSignMinutes: scheme?.jury.membersSignMinutes === true,
    attended,
  }).map((s) => ({ userId: s.userId, displayName: s.displayName, role: s.role }));
  const row = session.minutes;
  return {
    ref,
    sessionId,
    sessionKind: session.kind,
    sessionStatus: session.status,
    finaliseRefusal: minutesFinaliseRefusal(
      { kind: session.kind, status: session.status, startsAt: session.startsAt, passagesEnded: session._count.slots },
      new Date(),
    ),
    seats,
    attended,
    organisationId: session.organisationId,
    status: row?.status ?? "OPEN",
    round: row?.round ?? 0,
    sealedHash: row?.sealedHash ?? null,
    sealedContent: row?.sealedContent ?? null,
    signers,
  };
}

const CHANGED_MEANWHILE = "Le procès-verbal vient de changer d'état : réessayez.";

export const minutesKind: DocumentKind<MinutesDocument> = {
  kind: MINUTES_KIND,
  label: "le procès-verbal",
  messages: {
    alreadySigned: "Le procès-verbal est déjà signé.",
    notOpenForSigning: "Le procès-verbal n'est pas finalisé : il ne peut pas encore être signé.",
    signedByAll: "Le procès-verbal est déjà signé par tous.",
    cannotReopenSigned: "Le procès-verbal est signé par tous : il ne peut plus être modifié.",
    notInSigning: "Le procès-verbal n'est pas finalisé.",
    notSigner: "Vous n'êtes pas signataire de ce procès-verbal.",
    changedMeanwhile: CHANGED_MEANWHILE,
  },
  audit: { subjectType: "SessionMinutes", prefix: "minutes" },

  load: loadMinutes,
  async lock(tx, ref) {
    // Created on first use in SQL, ON CONFLICT DO NOTHING: Prisma's upsert reads, then inserts, so two first commands
    // at once (a double click, the president and the secretary) both inserted and the second failed on the unique
    // index (a 500). Now the second waits for the first's insert, then locks the row it created.
    await tx.$executeRaw`
      INSERT INTO "SessionMinutes" ("id", "sessionId") SELECT ${newRowId()}, "id" FROM "Session" WHERE "id" = ${ref.documentId}
      ON CONFLICT ("sessionId") DO NOTHING`;
    await tx.$executeRaw`SELECT 1 FROM "SessionMinutes" WHERE "sessionId" = ${ref.documentId} FOR UPDATE`;
    return loadMinutes(tx, ref);
  },

  requireManager(document, actorId, action) {
    const seat = document.seats.find((s) => s.userId === actorId);
    if (action === "open") {
      if (!seat || (seat.role !== "SECRETARY" && seat.role !== "PRESIDENT")) {
        throw new AppError("FORBIDDEN", "Seul(e) le ou la secrétaire de séance ou le président peut finaliser le procès-verbal.");
      }
      if (document.finaliseRefusal) throw new AppError("CONFLICT", document.finaliseRefusal);
    } else if (!seat || seat.role === "OBSERVER") {
      throw new AppError("FORBIDDEN", "Seuls les membres du jury, le président et le secrétaire peuvent demander une modification.");
    }
  },

  liveDocumentName: (document) => minutesDocumentName(document.sessionId),

  // The vice-president signs for the prevented president: a jury's only if he attended the sitting (decision 0028).
  replacementContext: (document) => ({
    seats: document.seats,
    attendanceRequired: document.sessionKind === "JURY",
    attended: document.attended,
    recused: new Map(),
  }),

  missing(document) {
    return document.signers.length === 0 ? ["Aucun président n'est désigné pour signer le procès-verbal."] : [];
  },

  async markSealed(tx, document, sealed) {
    const facts = await gatherMinutesFacts(tx, document.sessionId);
    if (!facts) throw new AppError("NOT_FOUND", "Procès-verbal introuvable.");
    const remarks = (JSON.parse(sealed.canonical) as Record<string, unknown>)[MINUTES_REMARKS_TEXT];
    const content: SealedMinutes = { generated: buildMinutes(facts), remarks: typeof remarks === "string" ? remarks : "" };
    const canonical = canonicalJson(content);
    await requireRowMoved(
      tx.sessionMinutes.updateMany({
        where: { sessionId: document.sessionId, status: "OPEN", round: document.round },
        data: sealedRowColumns({ hash: sha256Hex(canonical), canonical }),
      }),
      "Le procès-verbal vient d'être finalisé par ailleurs.",
    );
  },

  async markCompleted(tx, document) {
    await requireRowMoved(
      tx.sessionMinutes.updateMany({
        where: { sessionId: document.sessionId, status: "SIGNING", round: document.round },
        data: { status: "SIGNED", signedAt: new Date() },
      }),
      CHANGED_MEANWHILE,
    );
    return { sessionId: document.sessionId };
  },

  async markReopened(tx, document) {
    await requireRowMoved(
      tx.sessionMinutes.updateMany({
        where: { sessionId: document.sessionId, status: "SIGNING", round: document.round },
        data: { status: "OPEN", round: { increment: 1 }, sealedHash: null, sealedContent: undefined, sealedAt: null },
      }),
      CHANGED_MEANWHILE,
    );
  },

  async publish(db, ref, realtime) {
    const document = await loadMinutes(db, { documentId: ref.documentId });
    const state = { sessionId: document.sessionId, status: document.status, round: document.round };
    realtime.notifySession(document.sessionId, "minutes:state", state);
    // The command's answer also carries the sealed hash: the page shows it, and sends it back with a signature.
    return { ...state, sealedHash: document.sealedHash };
  },

  pdf: {
    async fileName(_db, ref) {
      return `proces-verbal-${ref.documentId}.pdf`;
    },
    async input(db, ref, round) {
      return minutesPdfInput(db, ref.documentId, round);
    },
  },
};

/** The renderer's input, read after the commit (plain data: it crosses to the render worker). */
export async function minutesPdfInput(db: Db, sessionId: string, round: number): Promise<MinutesPdfInput> {
  const row = await db.sessionMinutes.findUniqueOrThrow({ where: { sessionId } });
  const session = await db.session.findUniqueOrThrow({
    where: { id: sessionId },
    select: { title: true, startsAt: true, organisation: { select: { legalName: true } }, members: { select: { userId: true, role: true, user: { select: { displayName: true } } } } },
  });
  const facts = (await gatherMinutesFacts(db, sessionId))!;
  const content = row.sealedContent as unknown as SealedMinutes;
  const signatures = await roundSignatures(db, MINUTES_KIND, sessionId, round);
  const member = (id: string) => session.members.find((m) => m.userId === id);
  const seatOf = (id: string) => ({ name: member(id)?.user.displayName ?? id, role: SEAT_LABELS[(member(id)?.role ?? "MEMBER") as SeatRole] });
  const evidence = await minutesEvidence(db, sessionId, facts);
  const prevented = await pdfRoundUnavailabilities(db, MINUTES_KIND, sessionId, round, seatOf);
  return {
    organisation: session.organisation.legalName,
    title: `${content.generated.title} — ${session.title}`,
    createdAt: row.signedAt ?? new Date(),
    content,
    contentHash: row.sealedHash ?? "",
    // The vice-president's signature for a prevented president is listed as his, « pour le président Y empêché ».
    signatures: [...signatures.map((s) => ({ ...seatOf(s.userId), signedAt: s.signedAt })), ...prevented.replacementSignatures],
    unavailable: prevented.unavailable,
    evidence: { ...evidence, incidents: computeIncidents(facts), contentHash: row.sealedHash, round },
  };
}
