/**
 * A candidate's passage as the commission use cases see it: the slot, its session, the seats, the référentiel
 * and scheme, and this round's declarations and signatures.
 */
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import { canScore, gridDocumentName, type SeatRole } from "~/domain/access";
import { parseScheme } from "~/domain/scheme";

type Db = PrismaClient | Prisma.TransactionClient;

/** A refusal to show the user as is (French), with the HTTP status a route should answer. */
export class CommissionError extends Error {
  constructor(
    message: string,
    readonly status = 409,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "CommissionError";
  }
}

/** The JSON answer of a resource route for a refused command (single fetch wants resource routes to return Responses). */
export function toResponse(error: unknown): Response {
  if (error instanceof CommissionError) {
    return Response.json({ ok: false, error: error.message, details: error.details }, { status: error.status });
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

export async function loadSlotContext(db: Db, sessionId: string, slotId: string) {
  const slot = await db.sessionSlot.findFirst({
    where: { id: slotId, sessionId },
    include: {
      candidate: { select: { id: true, birthName: true, usageName: true, givenNames: true, sex: true, trainerId: true } },
      declarations: { select: { userId: true, noConflict: true, declaredAt: true } },
      signatures: { orderBy: { signedAt: "asc" } },
      session: {
        include: {
          organisation: { select: { id: true, name: true, legalName: true } },
          members: { include: { user: { select: { id: true, displayName: true } } }, orderBy: { createdAt: "asc" } },
          referentialVersion: {
            include: {
              certification: true,
              blocs: {
                orderBy: { position: "asc" },
                include: {
                  competences: {
                    orderBy: { position: "asc" },
                    include: { criteria: { orderBy: { position: "asc" } } },
                  },
                },
              },
            },
          },
        },
      },
    },
  });
  if (!slot) throw new CommissionError("Ce passage de candidat n'existe pas dans cette session.", 404);
  const version = slot.session.referentialVersion;
  if (!version) throw new CommissionError("La session n'a pas de référentiel : la grille est impossible.", 409);
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
  const activeSignatures = slot.signatures.filter((s) => s.round === slot.signingRound && !s.voidedAt);
  return {
    slot,
    session: slot.session,
    version,
    scheme,
    signers,
    competences,
    activeSignatures,
    documentName: gridDocumentName(sessionId, slotId),
  };
}

export type SlotContext = Awaited<ReturnType<typeof loadSlotContext>>;

export function seatOf(ctx: SlotContext, userId: string) {
  return ctx.session.members.find((m) => m.userId === userId) ?? null;
}

export function requirePresident(ctx: SlotContext, userId: string): void {
  if (seatOf(ctx, userId)?.role !== "PRESIDENT") {
    throw new CommissionError("Seul le président de la commission peut faire cela.", 403);
  }
}

export function requireSigner(ctx: SlotContext, userId: string) {
  const signer = ctx.signers.find((s) => s.userId === userId);
  if (!signer) throw new CommissionError("Vous ne siégez pas comme évaluateur de ce candidat.", 403);
  return signer;
}

/** What every client needs to render a passage's live state (sent on each change). */
export function slotState(ctx: SlotContext) {
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
    voidedCount: ctx.slot.signatures.filter((s) => s.voidedAt).length,
    serverNow: new Date().toISOString(),
  };
}
export type SlotState = ReturnType<typeof slotState>;
