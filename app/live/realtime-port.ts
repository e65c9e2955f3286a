/**
 * What the use cases need from the realtime layer, as a port: the server (server.ts) hands an implementation backed
 * by realtime/yjs and realtime/events to Remix through the load context, and to the socket.io handlers directly.
 * app/ never imports realtime/.
 */
import type { Prisma } from "~/platform/db/db.server";
import type { ServerEventName, ServerEventPayload } from "./session-events";

export type SealedContent = { hash: string; canonical: string; alreadySealed: boolean };

export type RealtimePort = {
  /**
   * Seals a live document: freezes it (no edit accepted, those received stored), reads its canonical content and
   * SHA-256, and records the seal in the document store inside ONE transaction, in which `inside` runs with that
   * content: it records the signing state, or throws — then the transaction rolls back, nothing is sealed, and the
   * freeze is lifted. Sealing an already sealed document gives its recorded content (`alreadySealed`).
   */
  seal<T>(documentName: string, inside: (tx: Prisma.TransactionClient, sealed: SealedContent) => Promise<T>): Promise<T>;
  /**
   * Lifts a seal in the document store inside ONE transaction with `inside` (the signing state going back to open);
   * writers edit again once it committed. `inside` gets whether the store had it sealed.
   */
  unseal<T>(documentName: string, inside: (tx: Prisma.TransactionClient, wasSealed: boolean) => Promise<T>): Promise<T>;
  /** Sends an event to everyone in a session's room (typed by event name: app/live/session-events.ts). */
  notifySession<E extends ServerEventName>(sessionId: string, event: E, payload: ServerEventPayload<E>): void;
  /**
   * After a change of who sits in a session (committed): the open connections of the session — its socket.io
   * sockets and the Yjs connections of `documentNames` — re-check their access, in every server process. A
   * connection left without access is closed (Yjs: 4403; socket.io: the `session:removed` event, then disconnected),
   * one left with read access becomes read-only; access gained applies at the next connection. One whose access
   * cannot be read (database unreachable) fails closed: Yjs closes it with 1011 and its client reconnects; socket.io
   * takes it out of the room with `session:recheck` and the page joins again. Resolves once done in this process.
   */
  refreshSessionAccess(sessionId: string, documentNames: string[]): Promise<void>;
  /**
   * The sessions this person has open now, whatever their state: those whose socket.io room one of their sockets is in
   * (in every server process) and those of the live documents their Yjs connections hold (in this process). For a
   * change of their organisation role: their closed sessions' connections are re-checked too, without reading every
   * session of the organisation.
   */
  sessionsOpenedBy(userId: string): Promise<string[]>;
  /**
   * After a change of this person's organisation role or membership: every live document connection they hold, in
   * every server process (scale mode: through Redis), re-checks its access, whatever its session — also a closed
   * session's text open in another process where they have no socket. Resolves once done in this process.
   */
  refreshUserAccess(userId: string): Promise<void>;
  /**
   * After login sessions were ended (committed: sign-out, « Fermer cette session », password changed or reset): the
   * websockets they opened are closed now (Yjs 4401, socket.io `session:removed` then disconnected): in this process
   * before it resolves, in the other processes (scale mode) as soon as Redis tells them; each process's periodic sweep
   * (realtime/sign-in-sweep.ts) remains for a message lost. Never throws.
   */
  signInsEnded(): Promise<void>;
  /**
   * Before reading live documents' text from the database (`readCollabText`: the minutes' remarks, a candidate's
   * préconisations) outside any transaction: resolves once every edit this process received and acknowledged is in
   * the database's tables. On the embedded database an edit is acknowledged once in the journal and reaches the
   * tables about a second later (decision 0006): this stores the journal's rows now. On PostgreSQL (and in scale mode,
   * whatever the process) an edit is acknowledged only once committed in the tables: nothing to wait for but the
   * edits being stored. Sealing (`seal`) does the same for the sealed document. Call it before opening a
   * transaction: the embedded database's ingestion needs its one connection.
   */
  storeAcknowledgedEdits(): Promise<void>;
};
