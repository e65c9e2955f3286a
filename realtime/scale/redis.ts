/**
 * Redis connections of the scale mode (ioredis). A server started with REDIS_URL refuses to boot when Redis
 * cannot be reached: running alone while other processes believe it shares their state would split the sessions.
 * Once started, outages are ridden out (ioredis reconnects; commands wait in its offline queue) and logged once
 * per outage.
 */
import { Redis } from "ioredis";

export type ScaleLogger = {
  info(message: string): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
};

const CONNECT_TIMEOUT_MS = 10_000;
/** Clients being closed on purpose: their 'close' is not an outage. */
const closing = new WeakSet<Redis>();

/** `redis://user:secret@host` → `redis://user:***@host`, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(URL illisible)";
  }
}

/**
 * Opens one connection and waits until it is ready. `onReconnected` runs each time it is ready again after a
 * loss (not on the first connection): what was published meanwhile may have been missed.
 */
export async function connectRedis(
  url: string,
  role: string,
  logger: ScaleLogger,
  options: { onReconnected?: () => void; prefix?: string } = {},
): Promise<Redis> {
  const { onReconnected, prefix = "quorum:" } = options;
  const client = new Redis(url, {
    lazyConnect: true,
    // Visible in CLIENT LIST: the deployment's key prefix and the connection's role.
    connectionName: `${prefix}${role}`.replace(/\s/g, "_"),
    // Reconnect forever, at most every 2 s; a command waits through up to 20 reconnections before failing.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    maxRetriesPerRequest: 20,
  });
  let connected = false;
  let lost = false;
  client.on("error", (error: Error) => {
    if (!connected || lost || closing.has(client)) return; // the boot reports it; an outage is reported once
    lost = true;
    logger.error(`[quorum:redis] connexion ${role} perdue, reconnexion en cours : ${error.message}`);
  });
  client.on("close", () => {
    if (connected && !lost && !closing.has(client)) {
      lost = true;
      logger.warn(`[quorum:redis] connexion ${role} fermée, reconnexion en cours`);
    }
  });
  client.on("ready", () => {
    if (!connected || !lost) return;
    lost = false;
    logger.info(`[quorum:redis] connexion ${role} rétablie`);
    onReconnected?.();
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`pas de réponse en ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    client.disconnect();
    throw new Error(`Redis injoignable (REDIS_URL = ${redactUrl(url)}) : ${(error as Error).message}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
  connected = true;
  return client;
}

/** QUIT, or a hard disconnect when Redis does not answer. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === "end") return;
  closing.add(client);
  try {
    await Promise.race([client.quit(), new Promise((_, reject) => setTimeout(reject, 1_000).unref())]);
  } catch {
    client.disconnect();
  }
}
