/**
 * In-process harness for the Yjs document server's unit tests: the real server (realtime/yjs/server.ts) on an HTTP
 * server at port 0, real y-websocket 3 providers as clients (cookie `quorum_session=<name>`), counting what each
 * client sent and what the server acknowledged.
 *
 *   const kit = yjsTestKit(() => createYjsServer, { authenticate, resolveAccess, logger });
 *   const harness = await kit.startServer();           // overrides: kit.startServer({ store })
 *   const alice = kit.client(harness, name, "alice");
 *   afterEach(() => kit.cleanup());
 *
 * `createYjsServer` is passed lazily: tests import it after pointing the database env at their copy.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as decoding from "lib0/decoding";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { installAckHandler, MESSAGE_AUTH, MESSAGE_SYNC } from "../../realtime/yjs/protocol";
import type { createYjsServer, YjsServer, YjsServerOptions } from "../../realtime/yjs/server";
import { until } from "./clients";
import { prepareDatabase, type TestDatabase } from "./database";

export { until };

export type YjsHarness = { url: string; yjs: YjsServer; http: http.Server; stop(): Promise<void> };

export type ProviderClient = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Running ack counts received (message type 100). */
  acks: number[];
  /** Permission-denied reasons received. */
  denied: string[];
  /** Update messages sent on the current connection (sync step 2 + update): what the server acknowledges. */
  sent: () => number;
  /** The last ack count (0 before any). */
  acked: () => number;
};

/** A `ws` WebSocket class sending `cookie` with its handshake (null: no cookie). */
export function cookieWebSocket(cookie: string | null) {
  return class extends WebSocket {
    constructor(address: string, protocols?: string | string[], options?: WebSocket.ClientOptions) {
      super(address, protocols, { ...options, headers: cookie ? { cookie } : {} });
    }
  };
}

/** A logger that keeps what it is told (tests assert that no error was logged). */
export function recordingLogger() {
  const logged: { level: "warn" | "error"; message: string }[] = [];
  return {
    logged,
    logger: {
      warn: (message: string) => void logged.push({ level: "warn", message }),
      error: (message: string) => void logged.push({ level: "error", message }),
    },
  };
}

/**
 * A fresh copy of the migrated template for an in-process test: points this process's database env at it, then
 * imports the Prisma client (which reads that env once).
 */
export async function inProcessDatabase(): Promise<{
  database: TestDatabase;
  prisma: typeof import("~/platform/db/db.server").prisma;
}> {
  const database = await prepareDatabase();
  process.env.QUORUM_DATA_DIR = database.env.QUORUM_DATA_DIR;
  if (database.env.DATABASE_URL) process.env.DATABASE_URL = database.env.DATABASE_URL;
  const { prisma } = await import("~/platform/db/db.server");
  return { database, prisma };
}

export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export function yjsTestKit(create: () => typeof createYjsServer, defaults: YjsServerOptions) {
  const harnesses: YjsHarness[] = [];
  const providers: WebsocketProvider[] = [];

  async function startServer(overrides: Partial<YjsServerOptions> = {}): Promise<YjsHarness> {
    const yjs = create()({ unloadDelayMs: 50, ...defaults, ...overrides });
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on("upgrade", (req, socket, head) => {
      if ((req.url ?? "").startsWith("/yjs/")) return yjs.handleUpgrade(req, socket, head);
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    let stopped = false;
    const harness: YjsHarness = {
      url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/yjs`,
      yjs,
      http: server,
      async stop() {
        if (stopped) return;
        stopped = true;
        await yjs.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
    harnesses.push(harness);
    return harness;
  }

  /** A y-websocket provider for `name`, authenticated as `user` (cookie `quorum_session=<user>`). */
  function client(harness: YjsHarness, name: string, user: string, cookie = `quorum_session=${user}`): ProviderClient {
    const doc = new Y.Doc();
    const acks: number[] = [];
    const denied: string[] = [];
    let sent = 0;
    const Base = cookieWebSocket(cookie);
    class Counting extends Base {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols);
        sent = 0; // the server counts per connection
      }
      override send(data: unknown, ...rest: unknown[]) {
        const bytes = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer);
        const decoder = decoding.createDecoder(bytes);
        if (decoding.readVarUint(decoder) === MESSAGE_SYNC && decoding.readVarUint(decoder) !== 0) sent++;
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    const provider = new WebsocketProvider(harness.url, name, doc, {
      WebSocketPolyfill: Counting as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    installAckHandler(provider, (n) => acks.push(n));
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      decoding.readVarUint(decoder);
      denied.push(decoding.readVarString(decoder));
    };
    providers.push(provider);
    return { doc, provider, acks, denied, sent: () => sent, acked: () => acks.at(-1) ?? 0 };
  }

  /** Destroys every client and stops every server started since the last cleanup. */
  async function cleanup(): Promise<void> {
    for (const provider of providers.splice(0)) provider.destroy();
    for (const harness of harnesses.splice(0)) await harness.stop();
  }

  return { startServer, client, cleanup };
}

export const synced = (c: ProviderClient) => until(() => c.provider.synced, "sync");
export const fullyAcked = (c: ProviderClient, what: string) => until(() => c.acked() === c.sent(), what);
