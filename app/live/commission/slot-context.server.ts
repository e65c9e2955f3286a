/**
 * A candidate's passage as the commission use cases see it: the slot, its session, the seats, the référentiel
 * and scheme, and this round's declarations and signatures.
 */
import type { Prisma, PrismaClient, Signature } from "~/platform/db/db.server";
import { canScore, gridDocumentName, type SeatRole } from "~/domain/access";
import { parseScheme } from "~/domain/scheme";
import { AppError } from "~/platform/app-error";
import type { RenderFailure } from "~/domain/render-failure";
import { renderFailureOf } from "~/signing/render-failure.server";
import { referentialTree } from "~/live/sessions/referential-tree.server";

/** The grid's kind in the signing core (app/signing/kinds/grid): its signatures are stored under this kind. */
export const GRID_KIND = "grid";

type Db = PrismaClient | Prisma.TransactionClient;

/** The JSON answer of a resource route for a refused command (single fetch wants resource routes to return Responses). */
export function toResponse(error: unknown): Response {
  if (error instanceof AppError) {
    return Response.json({ ok: false, error: error.message, details: error.details, fieldErrors: error.fieldErrors }, { status: error.status });
  }
  throw error;
}

/**
 * Serialises state changes of one passage (signatures, phase, seal, reopen) by locking its row for the transaction:
 * under PostgreSQL's read committed, two signers in parallel would otherwise each miss the other's signature and
 * neither would complete the grid. The same UPDATE bumps the passage's state version, so a state read after this
 * commit is newer than any read before it, whatever order their slot:state broadcasts arrive in (`newerSlotState`);
 * a rolled-back change rolls its bump back too.
 */
export async function lockSlot(tx: Prisma.TransactionClient, slotId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "SessionSlot" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = ${slotId}`;
}

/**
 * What a passage's context reads of its session. A caller that read the session with (at least) this include — the
 * live room's page (getSessionForViewer) — hands it over as `known.session` and spares the read.
 */
export const SLOT_SESSION_INCLUDE = {
  organisation: { select: { id: true, name: true, legalName: true } },
  // In the order that gives each seat its presence colour (app/live/sessions/access.server.ts, seatRank).
  members: { include: { user: { select: { id: true, displayName: true } } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
  referentialVersion: { include: { certification: true } },
} satisfies Prisma.SessionInclude;

export type SlotSession = Prisma.SessionGetPayload<{ include: typeof SLOT_SESSION_INCLUDE }>;

/**
 * Loads a passage's context in three reads: the passage itself (with its candidate, declarations and PDFs), its
 * session (organisation, seats, référentiel) and its signatures. The session's read names only the session, so its
 * query is the same for every passage of that session and Prisma's compiled plan is reused
 * (app/platform/db/query-plan-cache.server.ts) — the render runner loads 30 passages of one session in a row —
 * and the signatures are read in SQL (`gridSignatures`).
 * `sessionId` undefined: the passage's own session (the render runner, which knows only the passage).
 */
export async function loadSlotContext(db: Db, sessionId: string | undefined, slotId: string, known?: { session?: SlotSession }) {
  // The passage and its signatures at once (the signatures' read names only the passage).
  const [found, signatures] = await Promise.all([
    db.sessionSlot.findFirst({
      where: { id: slotId, ...(sessionId !== undefined ? { sessionId } : {}) },
      include: {
        candidate: { select: { id: true, birthName: true, usageName: true, givenNames: true, sex: true, trainerId: true } },
        declarations: { select: { userId: true, noConflict: true, declaredAt: true } },
        documents: { where: { kind: "grid" }, select: { sha256: true, round: true } },
      },
    }),
    gridSignatures(db, slotId),
  ]);
  if (!found) throw new AppError("NOT_FOUND", "Ce passage de candidat n'existe pas dans cette session.");
  const [pdfFailure, unavailable] = await Promise.all([gridPdfFailure(db, found), gridUnavailable(db, found)]);
  const session =
    known?.session && known.session.id === found.sessionId
      ? known.session
      : await db.session.findUniqueOrThrow({ where: { id: found.sessionId }, include: SLOT_SESSION_INCLUDE });
  const slot = { ...found, session };
  const pinned = slot.session.referentialVersion;
  if (!pinned) throw new AppError("CONFLICT", "La session n'a pas de référentiel : la grille est impossible.");
  // The blocs of a published version come from memory (referential-tree.server.ts).
  const blocs = await referentialTree(db, pinned);
  const version = { ...pinned, blocs };
  const scheme = parseScheme(version.certification.scheme);
  const signers = slot.session.members
    .filter((m) => canScore(m.role as SeatRole))
    .map((m) => ({
      userId: m.userId,
      displayName: m.user.displayName,
      role: m.role as SeatRole,
      declared: slot.declarations.some((d) => d.userId === m.userId && d.noConflict),
    }));
  const competences = version.blocs.flatMap((b) =>
    b.competences.map((c) => ({
      id: c.id,
      code: c.code,
      statement: c.statement,
      blocId: b.id,
      criteria: c.criteria.map((cr) => ({ id: cr.id, mandatory: cr.mandatory, statement: cr.statement })),
    })),
  );
  const activeSignatures = signatures.filter((s) => s.round === slot.signingRound && !s.voidedAt);
  return {
    slot,
    session: slot.session,
    version,
    scheme,
    signers,
    competences,
    signatures,
    activeSignatures,
    unavailable,
    pdfFailure,
    documentName: gridDocumentName(slot.sessionId, slotId),
  };
}

/**
 * Signed by all but its PDF not stored: the render runner may have given up on it (one more read, only then). The
 * panels say so rather than « PDF en préparation… » forever.
 */
function gridPdfFailure(db: Db, slot: { id: string; gridStatus: string; signingRound: number; documents: Array<{ round: number }> }): Promise<RenderFailure | null> {
  if (slot.gridStatus !== "SIGNED" || slot.documents.some((d) => d.round === slot.signingRound)) return Promise.resolve(null);
  return renderFailureOf(GRID_KIND, slot.id, db);
}

/**
 * The scoring members whose empêchement was recorded this round (decision 0028): none before the grid is submitted for
 * signature, so an open grid — the live room while it is scored — reads nothing more.
 */
async function gridUnavailable(db: Db, slot: { id: string; gridStatus: string; signingRound: number }): Promise<string[]> {
  if (slot.gridStatus === "OPEN") return [];
  const rows = await db.$queryRaw<Array<{ userId: string }>>`
    SELECT "userId" FROM "SignerUnavailability"
    WHERE "documentKind" = ${GRID_KIND} AND "documentId" = ${slot.id} AND "round" = ${slot.signingRound} AND "voidedAt" IS NULL`;
  return rows.map((r) => r.userId);
}

/**
 * The grid signatures of a passage, every round, oldest first. In SQL: Prisma compiles a query naming a different
 * passage at every call (0.5–0.7 ms of the event loop), and this read runs for every command and every PDF.
 */
export function gridSignatures(db: Db, slotId: string): Promise<Signature[]> {
  return db.$queryRaw<Signature[]>`
    SELECT * FROM "Signature" WHERE "documentKind" = ${GRID_KIND} AND "documentId" = ${slotId} ORDER BY "signedAt" ASC`;
}

export type SlotContext = Awaited<ReturnType<typeof loadSlotContext>>;

/**
 * Whether a jury decided for the candidate on this passage's grid: a decision on its dossier or — a passage naming no
 * dossier — on one of the candidate's dossiers for the certification, taken since the passage (`gridReopenRefusal`).
 */
export async function juryDecidedOnGrid(db: Db, ctx: Pick<SlotContext, "slot" | "session" | "version">): Promise<boolean> {
  const { slot, session, version } = ctx;
  const decided = await db.juryDecision.findFirst({
    where: slot.dossierId
      ? { dossierId: slot.dossierId }
      : { dossier: { candidateId: slot.candidate.id, certificationId: version.certificationId, organisationId: session.organisationId }, decidedAt: { gte: slot.startsAt } },
    select: { id: true },
  });
  return decided !== null;
}

export function seatOf(ctx: SlotContext, userId: string) {
  return ctx.session.members.find((m) => m.userId === userId) ?? null;
}

export function requirePresident(ctx: SlotContext, userId: string): void {
  if (seatOf(ctx, userId)?.role !== "PRESIDENT") {
    throw new AppError("FORBIDDEN", "Seul le président de la commission peut faire cela.");
  }
}

export function requireSigner(ctx: SlotContext, userId: string) {
  const signer = ctx.signers.find((s) => s.userId === userId);
  if (!signer) throw new AppError("FORBIDDEN", "Vous ne siégez pas comme évaluateur de ce candidat.");
  return signer;
}

/** What slotState reads of a passage's context (loadSlotContext's, or loadSlotStateContext's narrower one). */
type SlotStateSource = {
  session: { id: string };
  slot: Pick<SlotContext["slot"], "id" | "phase" | "phaseStartedAt" | "gridStatus" | "signingRound" | "stateVersion" | "sealedHash"> & {
    declarations: Array<{ userId: string; noConflict: boolean }>;
    documents: Array<{ sha256: string; round: number }>;
  };
  signatures: Array<{ userId: string; signedAt: Date; voidedAt: Date | null }>;
  activeSignatures: Array<{ userId: string; signedAt: Date }>;
  /** This round's members recorded as prevented from signing (decision 0028). */
  unavailable: string[];
  /** Signed, and its PDF's render given up on (gridPdfFailure). */
  pdfFailure: RenderFailure | null;
};

/**
 * Just what slotState needs, in one SQL statement (no session, seats or référentiel): for publishing a passage's
 * state after a change that only touched it (the render runner, once per PDF, on the server's event loop, where two
 * Prisma queries naming the passage were compiled at each call). `sessionId` undefined: the passage's own session.
 */
export async function loadSlotStateContext(db: Db, sessionId: string | undefined, slotId: string): Promise<SlotStateSource> {
  const [row] = await db.$queryRaw<StateRow[]>`
    SELECT s."id", s."sessionId", s."phase"::text AS "phase", s."phaseStartedAt", s."gridStatus"::text AS "gridStatus",
      s."signingRound", s."stateVersion", s."sealedHash",
      COALESCE((SELECT json_agg(json_build_object('userId', d."userId", 'noConflict', d."noConflict"))
        FROM "ConflictDeclaration" d WHERE d."slotId" = s."id"), '[]'::json) AS "declarations",
      COALESCE((SELECT json_agg(json_build_object('sha256', f."sha256", 'round', f."round"))
        FROM "SignedDocument" f WHERE f."slotId" = s."id" AND f."kind" = ${GRID_KIND}), '[]'::json) AS "documents",
      COALESCE((SELECT json_agg(json_build_object('userId', g."userId", 'round', g."round",
          'signedAt', to_char(g."signedAt", ${ISO_UTC}), 'voidedAt', to_char(g."voidedAt", ${ISO_UTC})) ORDER BY g."signedAt")
        FROM "Signature" g WHERE g."documentKind" = ${GRID_KIND} AND g."documentId" = s."id"), '[]'::json) AS "signatures",
      COALESCE((SELECT json_agg(u."userId") FROM "SignerUnavailability" u WHERE u."documentKind" = ${GRID_KIND}
        AND u."documentId" = s."id" AND u."round" = s."signingRound" AND u."voidedAt" IS NULL), '[]'::json) AS "unavailable"
    FROM "SessionSlot" s WHERE s."id" = ${slotId} AND (${sessionId ?? null}::text IS NULL OR s."sessionId" = ${sessionId ?? null})`;
  if (!row) throw new AppError("NOT_FOUND", "Ce passage de candidat n'existe pas dans cette session.");
  const { declarations, documents, signatures: rawSignatures, unavailable, ...fields } = row;
  const slot = { ...fields, phase: fields.phase as SlotContext["slot"]["phase"], gridStatus: fields.gridStatus as SlotContext["slot"]["gridStatus"], declarations, documents };
  const signatures = rawSignatures.map((s) => ({
    userId: s.userId,
    round: s.round,
    signedAt: new Date(s.signedAt),
    voidedAt: s.voidedAt ? new Date(s.voidedAt) : null,
  }));
  return {
    session: { id: slot.sessionId },
    slot,
    signatures,
    activeSignatures: signatures.filter((s) => s.round === slot.signingRound && !s.voidedAt),
    unavailable,
    pdfFailure: await gridPdfFailure(db, slot),
  };
}

/** A timestamp column (UTC, without time zone) as an ISO 8601 string, in SQL. */
const ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

type StateRow = {
  id: string;
  sessionId: string;
  phase: string;
  phaseStartedAt: Date | null;
  gridStatus: string;
  signingRound: number;
  stateVersion: number;
  sealedHash: string | null;
  declarations: Array<{ userId: string; noConflict: boolean }>;
  documents: Array<{ sha256: string; round: number }>;
  signatures: Array<{ userId: string; round: number; signedAt: string; voidedAt: string | null }>;
  unavailable: string[];
};

/** What every client needs to render a passage's live state (sent on each change). */
export function slotState(ctx: SlotStateSource) {
  return {
    sessionId: ctx.session.id,
    slotId: ctx.slot.id,
    phase: ctx.slot.phase,
    phaseStartedAt: ctx.slot.phaseStartedAt?.toISOString() ?? null,
    gridStatus: ctx.slot.gridStatus,
    round: ctx.slot.signingRound,
    /** Orders states read at different times (`newerSlotState`). */
    version: ctx.slot.stateVersion,
    sealedHash: ctx.slot.sealedHash,
    declarations: ctx.slot.declarations.filter((d) => d.noConflict).map((d) => d.userId),
    signatures: ctx.activeSignatures.map((s) => ({ userId: s.userId, signedAt: s.signedAt.toISOString() })),
    /** Members recorded as prevented from signing this round: not awaited, never signers (decision 0028). */
    unavailable: ctx.unavailable,
    voidedCount: ctx.signatures.filter((s) => s.voidedAt).length,
    /** Once signed by all: the PDF is rendered after the commit (« PDF en préparation… » until its SHA-256 is here). */
    pdfSha256: ctx.slot.gridStatus === "SIGNED" ? (ctx.slot.documents.find((d) => d.round === ctx.slot.signingRound)?.sha256 ?? null) : null,
    /** Signed, no PDF, and its render given up on: said instead of « PDF en préparation… ». */
    pdfFailure: ctx.pdfFailure,
    serverNow: new Date().toISOString(),
  };
}
export type SlotState = ReturnType<typeof slotState>;
