/**
 * Yjs fan-out between server processes through Redis pub/sub: one channel per document (`quorum:yjs:<name>`),
 * subscribed while the document is loaded in this process.
 *
 * - Publish: a change made in this process — an update only once committed to the database (the document
 *   broadcasts updates after their commit, see realtime/yjs/document.ts), or an awareness change of one of its
 *   connections — goes to local connections and to the channel.
 * - Receive: a peer's update or awareness change is applied to this process's copy (origin REMOTE_ORIGIN) and
 *   delivered to local connections only; nothing is published twice. Yjs updates are idempotent and commute, so
 *   a change received twice or out of order converges.
 * - Load: subscribe BEFORE reading the store, buffer what arrives during the read, apply it once loaded: an
 *   update committed after the read is on the channel, one committed before is in the read. Then ask peers for
 *   their connections' awareness (late joiners see who is there at once).
 * - Redis lost and back: messages of the outage may be missing; every loaded document re-reads the database and
 *   applies what it lacks, and asks its peers to do the same (their own publications may have been lost); its
 *   seal and its connections' access are re-checked too (control events of the outage may be missing).
 * - Control (`DocumentControl`, acted on by realtime/yjs/server.ts): a seal starting (`freeze`), a seal ended or
 *   lifted (`seal-changed`), a change of who may access the document (`access-changed`). Published whether or not
 *   the document is loaded here; received like changes, so a process loading the document gets them after its read.
 *
 * Frame on the channel (lib0 encoding): varString sender process id, varUint kind, varUint8Array payload.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import {
  type Broadcaster,
  deliverLocally,
  type DocumentChange,
  type DocumentControl,
  type SharedDocument,
} from "../yjs/document";
import { applyStored, type DocumentStore } from "../yjs/stores/document-store";
import type { ScaleLogger } from "./redis";

const KIND_UPDATE = 0;
const KIND_AWARENESS = 1;
/** "Send me your connections' awareness": a process that just loaded the document. */
const KIND_QUERY_AWARENESS = 2;
/** "Re-read the database": a process whose publications may have been lost. */
const KIND_RESYNC = 3;
/** Control events (empty payload). */
const KIND_FREEZE = 4;
const KIND_SEAL_CHANGED = 5;
const KIND_ACCESS_CHANGED = 6;
/** On the users' channel: a person's access changed; the payload is their user id (UTF-8). */
const KIND_USER_ACCESS = 7;
const CONTROL_KINDS: Record<DocumentControl, number> = {
  freeze: KIND_FREEZE,
  "seal-changed": KIND_SEAL_CHANGED,
  "access-changed": KIND_ACCESS_CHANGED,
};
const CONTROLS = new Map<number, DocumentControl>(
  Object.entries(CONTROL_KINDS).map(([control, kind]) => [kind, control as DocumentControl]),
);

/** Messages buffered while a document is being read (more means a stalled read: the rest is re-read anyway). */
const MAX_BUFFERED = 10_000;

export type RedisBroadcaster = Broadcaster & {
  /** This process's id on the channels. */
  readonly processId: string;
  /** After a Redis outage: re-read every loaded document and ask peers to do the same. */
  resyncAll(): void;
  /** Subscribes to the users' channel (a person's access changed): once, at start. */
  subscribeUsers(): Promise<void>;
  /** Loaded documents (for tests and diagnostics). */
  documents(): number;
};

type Entry = {
  document: SharedDocument | null;
  /** Changes received while the document is being read from the store. */
  buffered: Array<{ kind: number; payload: Uint8Array }>;
  /** Some changes may have been missed during the read (buffer full, Redis outage): re-read once loaded. */
  stale: boolean;
};

/** One channel for every process: a person's access changed, whatever document their connections hold. */
export function usersChannelOf(prefix: string): string {
  return `${prefix}yjs-users`;
}

export function channelOf(prefix: string, name: string): string {
  return `${prefix}yjs:${name}`;
}

export function createRedisBroadcaster(options: {
  publisher: Redis;
  /** A connection in subscriber mode, used by nothing else. */
  subscriber: Redis;
  store: DocumentStore;
  logger: ScaleLogger;
  /** Key prefix shared by every process of one deployment. Default "quorum:". */
  prefix?: string;
}): RedisBroadcaster {
  const { publisher, subscriber, store, logger } = options;
  const prefix = options.prefix ?? "quorum:";
  const processId = randomUUID();
  const entries = new Map<string, Entry>();
  const channelPrefix = channelOf(prefix, "");
  let onControl: ((name: string, control: DocumentControl) => Promise<void>) | null = null;
  const usersChannel = usersChannelOf(prefix);
  let onUserAccess: ((userId: string) => Promise<void>) | null = null;

  subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => {
    const channelName = channel.toString("utf8");
    if (channelName === usersChannel) return receiveUserAccess(message);
    const name = channelName.slice(channelPrefix.length);
    const entry = entries.get(name);
    if (!entry) return;
    let decoded: { sender: string; kind: number; payload: Uint8Array };
    try {
      decoded = decodeFrame(message);
    } catch (error) {
      logger.warn(`[quorum:scale] ${name} : message illisible ignoré`, error);
      return;
    }
    if (decoded.sender === processId) return; // our own publication
    if (!entry.document) {
      if (decoded.kind === KIND_QUERY_AWARENESS) return; // we will have nothing to tell yet
      if (entry.buffered.length < MAX_BUFFERED) entry.buffered.push(decoded);
      else entry.stale = true;
      return;
    }
    receive(entry.document, decoded.kind, decoded.payload);
  });

  function receiveUserAccess(message: Buffer): void {
    let decoded: { sender: string; kind: number; payload: Uint8Array };
    try {
      decoded = decodeFrame(message);
    } catch (error) {
      logger.warn("[quorum:scale] accès d'une personne : message illisible ignoré", error);
      return;
    }
    if (decoded.sender === processId || decoded.kind !== KIND_USER_ACCESS) return;
    const userId = new TextDecoder().decode(decoded.payload);
    onUserAccess?.(userId).catch((error: unknown) => logger.error(`[quorum:scale] accès de ${userId} non réévalué`, error));
  }

  function receive(document: SharedDocument, kind: number, payload: Uint8Array): void {
    try {
      switch (kind) {
        case KIND_UPDATE:
          return document.applyRemote({ kind: "update", payload });
        case KIND_AWARENESS:
          return document.applyRemote({ kind: "awareness", payload });
        case KIND_QUERY_AWARENESS: {
          const local = document.localAwareness();
          if (local) publish(document.name, KIND_AWARENESS, local);
          return;
        }
        case KIND_RESYNC:
          return void resync(document);
        default: {
          const control = CONTROLS.get(kind);
          if (control) return void onControl?.(document.name, control);
          logger.warn(`[quorum:scale] ${document.name} : type de message inconnu ${kind}`);
        }
      }
    } catch (error) {
      logger.error(`[quorum:scale] ${document.name} : changement d'un autre processus inapplicable`, error);
    }
  }

  function publish(name: string, kind: number, payload: Uint8Array): void {
    publisher.publish(channelOf(prefix, name), encodeFrame(processId, kind, payload)).catch((error: unknown) => {
      // Only after Redis stayed unreachable through the retries: once it is back, `resyncAll` (run on reconnection)
      // has every process re-read the database, which holds this change.
      logger.error(`[quorum:scale] ${name} : publication impossible`, error);
    });
  }

  /** Re-reads a loaded document from the database and applies what this process lacks. */
  async function resync(document: SharedDocument): Promise<void> {
    try {
      const stored = await store.load(document.name);
      if (entries.get(document.name)?.document !== document) return; // unloaded meanwhile
      const fromStore = new Y.Doc();
      try {
        applyStored(fromStore, stored);
        const missing = Y.encodeStateAsUpdate(fromStore, Y.encodeStateVector(document.doc));
        document.applyRemote({ kind: "update", payload: missing });
      } finally {
        fromStore.destroy();
      }
      // A seal, reopening or change of seats announced during the outage may have been missed too.
      void onControl?.(document.name, "seal-changed");
      void onControl?.(document.name, "access-changed");
    } catch (error) {
      logger.error(`[quorum:scale] ${document.name} : relecture impossible`, error);
    }
  }

  return {
    processId,

    broadcast(document, message, except, change: DocumentChange | null) {
      deliverLocally(document, message, except);
      if (change && entries.get(document.name)?.document === document) {
        publish(document.name, change.kind === "update" ? KIND_UPDATE : KIND_AWARENESS, change.payload);
      }
    },

    async beforeLoad(name) {
      entries.set(name, { document: null, buffered: [], stale: false });
      try {
        await subscriber.subscribe(channelOf(prefix, name));
      } catch (error) {
        entries.delete(name);
        throw error;
      }
    },

    loaded(name, document) {
      const entry = entries.get(name);
      if (!entry) return;
      if (!document) {
        entries.delete(name);
        subscriber.unsubscribe(channelOf(prefix, name)).catch(() => {});
        return;
      }
      entry.document = document;
      const buffered = entry.buffered;
      entry.buffered = [];
      for (const { kind, payload } of buffered) receive(document, kind, payload);
      if (entry.stale) void resync(document);
      entry.stale = false;
      publish(name, KIND_QUERY_AWARENESS, new Uint8Array(0));
    },

    unloaded(name) {
      if (!entries.delete(name)) return;
      subscriber.unsubscribe(channelOf(prefix, name)).catch(() => {});
    },

    publishControl(name, control) {
      publish(name, CONTROL_KINDS[control], new Uint8Array(0));
    },

    onControl(handler) {
      onControl = handler;
    },

    publishUserAccess(userId) {
      publisher.publish(usersChannel, encodeFrame(processId, KIND_USER_ACCESS, new TextEncoder().encode(userId))).catch((error: unknown) => {
        logger.error(`[quorum:scale] accès de ${userId} : publication impossible`, error);
      });
    },

    onUserAccess(handler) {
      onUserAccess = handler;
    },

    async subscribeUsers() {
      await subscriber.subscribe(usersChannel);
    },

    resyncAll() {
      // The subscriber resubscribes when it reconnects; the PING answers after those SUBSCRIBEs, so nothing
      // committed after our re-read can be missed.
      subscriber
        .ping()
        .catch(() => undefined)
        .then(() => {
          for (const entry of entries.values()) {
            const document = entry.document;
            if (!document) {
              entry.stale = true; // being read: re-read once loaded
              continue;
            }
            void resync(document);
            publish(document.name, KIND_RESYNC, new Uint8Array(0));
          }
        });
    },

    documents() {
      return Array.from(entries.values()).filter((entry) => entry.document !== null).length;
    },
  };
}

function encodeFrame(sender: string, kind: number, payload: Uint8Array): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, sender);
  encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, payload);
  return Buffer.from(encoding.toUint8Array(encoder));
}

function decodeFrame(frame: Uint8Array): { sender: string; kind: number; payload: Uint8Array } {
  const decoder = decoding.createDecoder(frame);
  const sender = decoding.readVarString(decoder);
  const kind = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  return { sender, kind, payload };
}
