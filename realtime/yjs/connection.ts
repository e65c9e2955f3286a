/**
 * One accepted websocket on one document: who is behind it, whether it may write, its message budget, and the
 * count of its updates acknowledged so far.
 */
import type WebSocket from "ws";
import { encodeAck } from "./protocol";
import type { Vocabulary } from "./schema";

/** `signInId`: the login session the connection was opened with (its connections are closed when it ends). */
export type ConnectionUser = { id: string; email: string; displayName: string; signInId?: string };

export const LIMITS = {
  /** ws maxPayload: larger frames close the connection with 1009. */
  maxFrameBytes: 1024 * 1024,
  /** Token bucket per connection: sustained messages per second and burst. */
  messagesPerSecond: 200,
  messageBurst: 400,
  /**
   * Bytes of edits (sync step 2 and updates) one user may send per second across his connections of this process,
   * and at once. Reading an update costs per struct, not per byte: 780 KB of one-letter insertions took the event loop
   * 1.5 s to decode and check, so that anyone who could open a document (an observer, a reader from the
   * secretariat) stalled every session of the server with a few frames. Typing, a pasted synthesis and a reconnecting
   * client's edits stay far below.
   */
  updateBytesPerSecond: 64 * 1024,
  updateBytesBurst: 1024 * 1024, // one frame at most (maxFrameBytes): any single edit a client may send passes on a full budget
  /** Refuse updates once the document's encoded state would exceed this. */
  maxDocumentBytes: 5 * 1024 * 1024,
  /** Awareness state (JSON) of one client; larger entries are dropped. */
  maxAwarenessStateBytes: 4 * 1024,
  /** Awareness client ids one connection may drive. */
  maxAwarenessClientsPerConnection: 4,
  /** A peer that does not read what we send is cut off past this much buffered output. */
  maxBufferedBytes: 16 * 1024 * 1024,
  /** Websocket ping period; a connection that missed the previous pong is terminated. */
  pingIntervalMs: 30_000,
} as const;

/** Why an edit is refused to a connection that may only read, and to anyone once the document is sealed. */
export const READ_ONLY_REASON = "Lecture seule : vous ne pouvez pas modifier ce document.";
export const SEALED_REASON = "Document scellé : plus aucune modification n'est possible.";

/** French close reasons (at most 123 bytes in UTF-8, RFC 6455). */
export const CLOSE = {
  unauthenticated: { code: 4401, reason: "Session expirée ou absente : reconnectez-vous." },
  /** An open connection whose login session ended (sign-out, session closed, password changed or reset): final. */
  signedOut: { code: 4401, reason: "Session fermée : reconnectez-vous pour continuer." },
  forbidden: { code: 4403, reason: "Accès refusé : vous ne siégez pas dans cette session." },
  /** An open connection whose access was withdrawn (seat removed): the same code, final for y-websocket. */
  revoked: { code: 4403, reason: "Accès retiré : vous ne siégez plus dans cette session." },
  goingAway: { code: 1001, reason: "Serveur en cours d'arrêt." },
  protocol: { code: 1002, reason: "Message illisible." },
  unsupported: { code: 1003, reason: "Message non pris en charge." },
  policy: { code: 1008, reason: "Trop de messages" },
  /** A user over his budget of edit bytes (LIMITS.updateBytesPerSecond): the client reconnects and resyncs. */
  tooMuchData: { code: 1008, reason: "Trop de modifications envoyées à la fois : reconnexion dans un instant." },
  storage: { code: 1011, reason: "Enregistrement impossible, reconnexion en cours." },
  /** Access could not be re-checked after a change of seats: the client reconnects and is authorized afresh. */
  accessUnverified: { code: 1011, reason: "Droits d'accès non vérifiés, reconnexion en cours." },
  slowConsumer: { code: 1013, reason: "Connexion trop lente." },
} as const;

export type CloseSpec = { code: number; reason: string };

let nextConnectionId = 1;
const SEND_OPTIONS = { binary: true } as const;

export class Connection {
  readonly id = nextConnectionId++;
  /** Awareness client ids this connection has set (removed and broadcast when it closes). */
  readonly awarenessClientIds = new Set<number>();
  /** Update messages of this connection stored (or found already present), in arrival order. */
  acknowledged = 0;
  /**
   * Update messages of this connection set aside, not applied nor acknowledged yet: one of them depends on structs the
   * document does not hold (a dependency never sent), and the next ones wait behind it (see SharedDocument).
   */
  held = 0;
  /** The rights of its access grant, for the document's schema (e.g. the grid's `score`, `decide`). */
  rights: ReadonlySet<string> = new Set();
  /** The vocabulary of its access grant, for the document's schema (e.g. the grid's competences and scale). */
  vocabulary: Vocabulary | null = null;
  /** The seat's rank in its session (presence colour), when the resolver gives one. */
  seatRank: number | null = null;
  closed = false;
  alive = true;
  private tokens: number = LIMITS.messageBurst;
  private refilledAt = performance.now();

  constructor(
    readonly socket: WebSocket,
    readonly user: ConnectionUser,
    /** Read-only connections may sync and share awareness; their edits are refused. */
    public readOnly: boolean,
  ) {}

  /** Takes one token from the message budget; false when the connection sends faster than allowed. */
  takeToken(now = performance.now()): boolean {
    const elapsed = (now - this.refilledAt) / 1000;
    this.refilledAt = now;
    this.tokens = Math.min(LIMITS.messageBurst, this.tokens + elapsed * LIMITS.messagesPerSecond);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > LIMITS.maxBufferedBytes) {
      this.close(CLOSE.slowConsumer);
      return;
    }
    this.socket.send(message, SEND_OPTIONS, this.afterSend);
  }

  /** One callback for every frame (not a closure per frame): a failed write means the transport is broken. */
  private readonly afterSend = (error?: Error): void => {
    if (error) this.socket.terminate(); // nothing more can reach this peer
  };

  sendAck(): void {
    this.send(encodeAck(this.acknowledged));
  }

  close({ code, reason }: CloseSpec): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close(code, reason);
    } catch {
      this.socket.terminate();
    }
  }
}

/**
 * A budget of bytes per user (token bucket): `take(userId, bytes)` is false when the user has sent more than his burst
 * and what refilled since. Shared by a user's connections of one process; a user back to a full budget is forgotten.
 */
export class ByteBudget {
  private readonly users = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  take(userId: string, bytes: number, now = performance.now()): boolean {
    const bucket = this.users.get(userId) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < bytes) {
      this.users.set(userId, bucket);
      return false;
    }
    bucket.tokens -= bytes;
    if (bucket.tokens >= this.burst) this.users.delete(userId);
    else this.users.set(userId, bucket);
    return true;
  }
}
