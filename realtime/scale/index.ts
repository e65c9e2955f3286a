/**
 * Scale mode: with REDIS_URL set, several server processes on one PostgreSQL behave as one.
 * - socket.io rooms, broadcasts and `fetchSockets()` (presence) cross processes through @socket.io/redis-adapter;
 * - Yjs updates (published only once committed) and awareness cross processes through Redis pub/sub
 *   (./yjs-fanout.ts), and compaction is safe with concurrent writers (./store.ts).
 * Without REDIS_URL the server is unchanged and never connects to Redis.
 */
import { createAdapter } from "@socket.io/redis-adapter";
import type { ServerOptions } from "socket.io";
import type { DocumentStore } from "../yjs/stores";
import { closeRedis, connectRedis, redactUrl, type ScaleLogger } from "./redis";
import { createRedisBroadcaster, type RedisBroadcaster } from "./yjs-fanout";

export type ScaleOut = {
  /** For `attachSessionEvents(…, { adapter })`. */
  socketAdapter: NonNullable<ServerOptions["adapter"]>;
  /** For `createYjsServer({ broadcaster })`. */
  broadcaster: RedisBroadcaster;
  /** Closes the Redis connections; call after the socket.io and Yjs servers are closed. */
  close(): Promise<void>;
};

/**
 * The scale mode's settings from the environment, or null (single process): REDIS_URL, and REDIS_KEY_PREFIX
 * (default "quorum:") to run several deployments on one Redis.
 */
export function scaleConfig(env: NodeJS.ProcessEnv = process.env): { redisUrl: string; prefix: string } | null {
  const redisUrl = env.REDIS_URL?.trim();
  if (!redisUrl) return null;
  return { redisUrl, prefix: env.REDIS_KEY_PREFIX?.trim() || "quorum:" };
}

export async function startScaleOut(options: {
  redisUrl: string;
  /** Whether the database is PostgreSQL (DATABASE_URL): PGlite serves a single process. */
  sharedDatabase: boolean;
  /** The scale document store (realtime/yjs/stores, mode "scale"): the fan-out re-reads documents through it. */
  store: DocumentStore;
  logger: ScaleLogger;
  /** Key prefix of every Redis key and channel; processes of one deployment must share it. Default "quorum:". */
  prefix?: string;
}): Promise<ScaleOut> {
  const { redisUrl, logger } = options;
  const prefix = options.prefix ?? "quorum:";
  if (!options.sharedDatabase) {
    throw new Error(
      "REDIS_URL demande une base PostgreSQL partagée (DATABASE_URL) : la base embarquée PGlite ne sert qu'un processus.",
    );
  }
  // Reconnections re-read the loaded documents; the broadcaster exists once every connection is open.
  const fanOut: { broadcaster?: RedisBroadcaster } = {};
  const resync = () => fanOut.broadcaster?.resyncAll();
  const opened = await Promise.allSettled([
    connectRedis(redisUrl, "publication", logger, { onReconnected: resync, prefix }),
    connectRedis(redisUrl, "abonnement-yjs", logger, { onReconnected: resync, prefix }),
    connectRedis(redisUrl, "abonnement-socketio", logger, { prefix }),
  ]);
  const clients = opened.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = opened.find((result) => result.status === "rejected");
  if (failure) {
    await Promise.all(clients.map(closeRedis));
    throw failure.reason;
  }
  const [publisher, yjsSubscriber, socketSubscriber] = clients;

  const { store } = options;
  const broadcaster = createRedisBroadcaster({ publisher, subscriber: yjsSubscriber, store, logger, prefix });
  fanOut.broadcaster = broadcaster;
  await broadcaster.subscribeUsers();
  const socketAdapter = createAdapter(publisher, socketSubscriber, { key: `${prefix}socket.io` });
  logger.info(`[quorum:scale] mode multi-processus : Redis ${redactUrl(redisUrl)}, processus ${broadcaster.processId}`);

  return {
    socketAdapter,
    broadcaster,
    async close() {
      await Promise.all([socketSubscriber, yjsSubscriber, publisher].map(closeRedis));
    },
  };
}
