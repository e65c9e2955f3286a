/**
 * Tests only: the test harness's window on this process's database while the server runs (tests/support/server.ts,
 * `server.prisma`). An integration test that changes data between two steps (a render given up on, a record revoked
 * whose status bit was never written, a date moved) used to stop the server, open its database in the test process
 * (embedded PGlite allows one process per data directory) and boot it again: 16–21 s of a busy 2-core machine each
 * time (docs/decisions/0022-postgresql-tier.md). Through this channel the same Prisma call runs in the server, on its
 * own client, between two requests.
 *
 * Open only with QUORUM_TEST_DB_CHANNEL=1 **and** an IPC channel to the process that spawned this one (the harness
 * spawns the server with one). `npm start` and any service manager start it without: the variable alone opens
 * nothing, and nothing of it is reachable over the network.
 *
 * A message `{ id, model, method, args }` runs `prisma[model][method](...args)` (`model` null: `prisma[method]`, for
 * `$queryRawUnsafe` and `$executeRawUnsafe`) and is answered `{ id, value }` or `{ id, error }`. Messages use the
 * structured clone (`serialization: "advanced"`): dates, BigInts and bytes cross as they are.
 */
import { prisma } from "./db.server";

/** The client's own methods offered (`model` null); a model's methods are all offered. */
const RAW_METHODS = ["$queryRawUnsafe", "$executeRawUnsafe"];

type ChannelRequest = { id: number; model: string | null; method: string; args: unknown[] };

/** Bytes arrive as a Uint8Array; Prisma's raw parameters take a Buffer as `bytea`. */
const revive = (value: unknown) => (value instanceof Uint8Array && !Buffer.isBuffer(value) ? Buffer.from(value) : value);

function isRequest(message: unknown): message is ChannelRequest {
  const m = message as Partial<ChannelRequest> | null;
  return typeof m?.id === "number" && typeof m.method === "string" && (m.model === null || typeof m.model === "string") && Array.isArray(m.args);
}

export function startTestDatabaseChannel(log: (message: string) => void): void {
  if (process.env.QUORUM_TEST_DB_CHANNEL !== "1" || typeof process.send !== "function") return;
  const send = process.send.bind(process);
  process.on("message", (message: unknown) => {
    if (!isRequest(message)) return;
    void (async () => {
      try {
        // Interactive transactions and tagged templates do not survive the crossing: refused by name.
        const allowed = message.model === null ? RAW_METHODS.includes(message.method) : !message.method.startsWith("$");
        if (!allowed) {
          throw new Error(`${message.model ?? "prisma"}.${message.method} is not offered by the test channel`);
        }
        const target = (message.model === null ? prisma : (prisma as unknown as Record<string, unknown>)[message.model]) as Record<string, unknown> | undefined;
        const method = target?.[message.method];
        if (typeof method !== "function") throw new Error(`prisma.${message.model}.${message.method} does not exist`);
        const value: unknown = await (method as (...args: unknown[]) => Promise<unknown>).apply(target, message.args.map(revive));
        send({ id: message.id, value });
      } catch (error) {
        send({ id: message.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }
    })();
  });
  // The channel never keeps the process alive (the shutdown exits anyway).
  process.channel?.unref();
  log("canal de base de données des tests ouvert (QUORUM_TEST_DB_CHANNEL, IPC du processus parent)");
}
