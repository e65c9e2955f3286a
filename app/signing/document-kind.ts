/**
 * A kind of signed document (the commission grid today; the jury's decision sheet, the procès-verbal, the parchemin
 * and the attestation de blocs next). The signing core (this folder) runs the same lifecycle for every kind:
 *
 *   open (seal the canonical content, check what is missing on exactly that content)
 *   → sign (password re-entered + explicit consent, bound to the content's SHA-256; one signature per signer and round)
 *   → complete (the last signature: the kind records its effect, a render job is queued for after the commit)
 *   → reopen (before the last signature: the round's signatures are voided, visibly; a new round; unsealed).
 *
 * A kind declares what differs: its name, where its signing state lives, who must sign, what is missing, its
 * canonical content (a live Yjs document sealed through the RealtimePort, or content it computes) and its PDF.
 * Adding a kind = one module under ./kinds and one line in ./registry.server.ts.
 */
import type { SigningAuditPrefix } from "~/domain/audit-actions";
import type { Prisma, PrismaClient } from "~/platform/db/db.server";
import type { RealtimePort } from "~/live/realtime-port";

export type Db = PrismaClient | Prisma.TransactionClient;

/** Where a document's signing stands. */
export type SigningStatus = "OPEN" | "SIGNING" | "SIGNED";

/** Which document: its id, and the parent it must belong to (a passage within its session), if any. */
export type DocumentRef = { documentId: string; within?: string };

export type Signer = { userId: string; displayName: string; role: string };

/** What a kind knows about one of its documents, loaded once per command. */
export type LoadedDocument = {
  ref: DocumentRef;
  organisationId: string;
  status: SigningStatus;
  round: number;
  sealedHash: string | null;
  /** Everyone who must sign, in order. */
  signers: Signer[];
  /** The session the document belongs to: its signing events name it, so the minutes' evidence lists them. */
  sessionId?: string;
};

/** The audit data naming the document's session, if it belongs to one (app/domain/audit.ts auditSessionId). */
export function sessionAuditData(document: { sessionId?: string }): { sessionId?: string } {
  return document.sessionId ? { sessionId: document.sessionId } : {};
}

export type SealedContent = { hash: string; canonical: string };

/** See `DocumentKind.replacementContext`. */
export type ReplacementContext = {
  seats: ReadonlyArray<{ userId: string; displayName: string; role: string }>;
  attendanceRequired: boolean;
  attended: ReadonlySet<string>;
  recused: ReadonlyMap<string, string>;
};

export interface DocumentKind<D extends LoadedDocument = LoadedDocument> {
  /** Stored in Signature.documentKind, RenderJob.documentKind, SignedDocument.kind. */
  readonly kind: string;
  /** French, with its article, for messages: « la grille ». */
  readonly label: string;
  /** The refusals the core gives, in French, worded for this kind. */
  readonly messages: {
    alreadySigned: string;
    notOpenForSigning: string;
    signedByAll: string;
    cannotReopenSigned: string;
    notInSigning: string;
    notSigner: string;
    changedMeanwhile: string;
  };
  /** Audit: subject type, and the action prefix (`grid` → grid.sealed, grid.signed, grid.completed, grid.reopened). */
  readonly audit: { subjectType: string; prefix: SigningAuditPrefix };

  /** Loads the document (AppError NOT_FOUND when unknown or outside `within`). */
  load(db: Db, ref: DocumentRef): Promise<D>;
  /** Serialises the document's signing changes for this transaction (row lock), then loads it. */
  lock(tx: Prisma.TransactionClient, ref: DocumentRef): Promise<D>;

  /** Throws AppError unless the actor may open or reopen signing (e.g. the president) in the document's state. */
  requireManager(document: D, actorId: string, action: "open" | "reopen"): void;

  /**
   * Optional: why the document, in signing, may no longer be reopened (French), read in the reopening's transaction
   * after its lock; null when it may. E.g. a commission grid the jury has decided on.
   */
  reopenRefusal?(tx: Prisma.TransactionClient, document: D): Promise<string | null>;

  /**
   * Optional: why this signer may not give his own signature (French), read in the signing's transaction after its
   * lock; null when he may. E.g. a commission grid's evaluator who has since declared, before a jury, a conflict of
   * interest with the candidate (`evaluationBar`).
   */
  signRefusal?(tx: Prisma.TransactionClient, document: D, actorId: string): Promise<string | null>;

  /** A live collaborative document: sealed (frozen, hashed) by the document store through the RealtimePort. */
  liveDocumentName?(document: D): string;
  /** Otherwise: the canonical content the kind computes from its data (canonical JSON, app/domain/canonical). */
  canonicalContent?(tx: Prisma.TransactionClient, document: D): Promise<string>;

  /**
   * What is missing before signing, in French, checked on the sealed content itself (empty: ready). Throws
   * AppError for content that can never be signed as is (too large, control characters).
   */
  missing(document: D, sealed: SealedContent): string[];

  /**
   * Optional (the procès-verbal, the fiche de décision): what decides whether the session's vice-president may sign in
   * the stead of a prevented president (decision 0028) — the seats, whether attendance matters, who attended (a fiche:
   * present at the decision), who is recused for the candidate. A kind without it accepts no replacement.
   */
  replacementContext?(document: D): ReplacementContext;

  /** Records the seal in the kind's own state (same transaction as the store's seal). */
  markSealed(tx: Prisma.TransactionClient, document: D, sealed: SealedContent): Promise<void>;
  /** The last signature: the kind's state becomes SIGNED and its effects apply; returns audit data. */
  markCompleted(tx: Prisma.TransactionClient, document: D): Promise<Record<string, unknown>>;
  /** Back to OPEN with a new round (the core voids the signatures and unseals). */
  markReopened(tx: Prisma.TransactionClient, document: D): Promise<void>;

  /** After a committed change: the document's state as clients show it, broadcast to whoever watches it. */
  publish(db: Db, ref: DocumentRef, realtime: RealtimePort): Promise<unknown>;

  /** The PDF: file name, and the renderer's input (plain data, sent to the render worker) built after the commit. */
  pdf: {
    fileName(db: Db, ref: DocumentRef): Promise<string>;
    input(db: Db, ref: DocumentRef, round: number): Promise<unknown>;
    /** Extra columns of its SignedDocument row (e.g. the passage for the grid). */
    links?(ref: DocumentRef): { slotId?: string };
    /** Inside the transaction that stores the rendered PDF: the kind records its hash where it keeps it. */
    stored?(tx: Prisma.TransactionClient, ref: DocumentRef, sha256: string): Promise<void>;
    /**
     * Optional: the render runner's reads in one go (input, file name and the loaded document), for a kind whose
     * three reads load the same context: each read is main-thread work while the PDFs of a session are produced.
     */
    job?(db: Db, ref: DocumentRef, round: number): Promise<{ input: unknown; fileName: string; document: D }>;
    /**
     * Optional: the sessions other than the document's own whose pages show this PDF's state (a commission grid: the
     * juries whose agenda holds its candidate). Its render's changes (`render:state`) are sent to them too.
     */
    alsoShownIn?(db: Db, ref: DocumentRef): Promise<string[]>;
  };
}

/**
 * A document the render runner produces without the signing lifecycle (a delivery record, a decision notice): its
 * PDF, where its organisation is, its audit names and who to tell once rendered.
 */
export type RenderableKind = Pick<AnyDocumentKind, "kind" | "audit" | "publish" | "pdf"> & {
  load(db: Db, ref: DocumentRef): Promise<{ organisationId: string; sessionId?: string }>;
};

/** Anything a kind accepts, for the registry (the core only calls the interface). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDocumentKind = DocumentKind<any>;
