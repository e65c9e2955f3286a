/** Redis for the PostgreSQL tier and the scale-mode tests: reachable, or a failure that says how to start it. */
import { Redis } from "ioredis";

/** Fails with the reason and the command that starts Redis when `url` does not answer a PING (`who`: what needs it). */
export async function assertRedisReachable(url: string, who: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(
      `${who} needs Redis at ${url} (QUORUM_TEST_REDIS_URL / REDIS_URL): ${(error as Error).message.replace(/\.$/, "")}. ` +
        'Start it, e.g. `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`.',
      { cause: error },
    );
  } finally {
    client.disconnect();
  }
}
