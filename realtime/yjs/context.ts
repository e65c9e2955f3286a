/**
 * What the parts of the document server share (./server.ts composes them): the resolved options, the open
 * connections, and the two flags every part reads. One object, passed explicitly; no part keeps a copy of another's
 * state.
 */
import type { Connection } from "./connection";
import type { Broadcaster, Logger, SharedDocument } from "./document";
import type { DocumentSchema, Vocabulary } from "./schema";
import type { DocumentStore } from "./stores/document-store";

export type DocumentAccess = "none" | "read" | "write";

/**
 * What the access resolver may answer: a bare access, or an access with the rights a schema checks (e.g. the grid's
 * `score` and `decide`), the vocabulary it checks keys and values against (the grid's competences and scale), and
 * the seat's rank in its session (the presence colour: two seats never share one).
 */
export type AccessGrant = { access: DocumentAccess; rights?: readonly string[]; vocabulary?: Vocabulary; seatRank?: number };

export type ServerContext = {
  readonly store: DocumentStore;
  readonly broadcaster: Broadcaster;
  readonly logger: Logger;
  readonly unloadDelayMs: number;
  /** The budget of edit bytes per user (see LIMITS.updateBytesPerSecond). */
  readonly updateBytesPerSecond: number;
  readonly updateBytesBurst: number;
  /** The schema enforced on a document's updates, or null (no schema). */
  readonly schemaFor: (documentName: string) => DocumentSchema | null;
  /** The resolver of the options, its answer normalised to a grant. */
  resolveGrant(userId: string, documentName: string): Promise<AccessGrant>;
  /** Every open connection, with its document. */
  readonly connections: Map<Connection, SharedDocument>;
  /** Set once by `close()`: nothing new is accepted. */
  stopping: boolean;
  /**
   * Bumped whenever access may have changed (a refresh, here or announced by a peer; a document unfrozen). An
   * upgrade authorized before a bump re-resolves its access once connected: otherwise it could slip between the
   * resolver's read and the refresh's look at the document's connections.
   */
  accessEpoch: number;
};

export function toGrant(answer: DocumentAccess | AccessGrant): AccessGrant {
  return typeof answer === "string" ? { access: answer } : answer;
}
