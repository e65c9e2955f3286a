/**
 * The server's embedded database in a worker thread (decision docs/decisions/0005-pglite-worker-thread.md).
 *
 * PGlite is PostgreSQL compiled to WASM: in the server's own thread every statement (~0.5–3 ms) and every
 * compaction stalls every room's websocket traffic, and its garbage adds to the server's GC pauses. In a worker
 * thread it runs beside the event loop, as a PostgreSQL server would in its own process. The main thread keeps a
 * thin client: the Prisma driver adapter (`queryRaw`, `executeRaw`, interactive transactions by id) and the
 * prepared statements of the Yjs hot path (`executePrepared`), each one message there and one back (structured clone).
 *
 *   const db = await startPGliteThread(dataDir());   // opens PGlite there; rejects if it cannot
 *   registerEmbeddedDatabase(dataDir(), db);               // Prisma and realtime/ now go through it
 *
 * A kill -9 takes the thread with the process, exactly like before: PGlite reopens its data directory on restart.
 */
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from "@prisma/driver-adapter-utils";
import { startTsWorker } from "../workers/ts-worker.server";
import type { EmbeddedDatabase } from "./pglite.server";
import type { PreparedStep } from "./pglite-prepared.server";

type Requests =
  | { op: "ready" }
  | { op: "prepared"; steps: PreparedStep[] }
  | { op: "queryRaw"; query: SqlQuery; tx?: number }
  | { op: "executeRaw"; query: SqlQuery; tx?: number }
  | { op: "executeScript"; script: string }
  | { op: "startTransaction"; isolationLevel?: IsolationLevel }
  | { op: "commit"; tx: number }
  | { op: "rollback"; tx: number }
  | { op: "close" };

export type ThreadRequest = Requests & { id: number };
export type ThreadReply = {
  id: number;
  result?: unknown;
  error?: { name: string; message: string; code?: string; cause?: unknown };
};

const ADAPTER_NAME = "pglite-prisma-adapter";

export async function startPGliteThread(dir: string): Promise<EmbeddedDatabase> {
  // Bundled by `npm run build` for the production server, else the TypeScript entry through tsx. The thread's garbage
  // is short-lived (one message in, one out): a young generation of 12 MB instead of V8's 48 collects it as well and
  // keeps ~24 MiB less resident (docs/decisions/0013-server-memory.md).
  const worker = startTsWorker(new URL("./pglite-thread.worker.ts", import.meta.url), {
    workerData: { dir },
    name: "pglite",
    resourceLimits: { maxYoungGenerationSizeMb: 12 },
  });
  worker.unref();

  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 1;
  let closed = false;
  let failure: Error | null = null;

  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    worker.unref();
  };
  worker.on("message", (reply: ThreadReply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.error) waiting.reject(reviveError(reply.error));
    else waiting.resolve(reply.result);
  });
  worker.on("error", (error) => {
    console.error("[db] le thread PGlite s'est arrêté sur une erreur", error);
    failAll(error);
  });
  worker.on("exit", (code) => {
    if (!closed) {
      console.error(`[db] le thread PGlite s'est arrêté (code ${code})`);
      failAll(new Error(`base embarquée indisponible : thread PGlite arrêté (code ${code})`));
    }
    closed = true;
  });

  function call<T>(request: Requests): Promise<T> {
    if (failure) return Promise.reject(failure);
    if (closed) return Promise.reject(new Error("base embarquée fermée"));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (pending.size === 1) worker.ref(); // a request in flight keeps the process alive until it is answered
      worker.postMessage({ ...request, id } satisfies ThreadRequest);
    });
  }

  await call({ op: "ready" });

  const queryable = (tx?: number) => ({
    provider: "postgres" as const,
    adapterName: ADAPTER_NAME,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: "queryRaw", query, tx }),
    executeRaw: (query: SqlQuery) => call<number>({ op: "executeRaw", query, tx }),
  });

  const adapter: SqlDriverAdapter = {
    ...queryable(),
    executeScript: (script) => call({ op: "executeScript", script }),
    async startTransaction(isolationLevel): Promise<Transaction> {
      const { tx, options } = await call<{ tx: number; options: TransactionOptions }>({
        op: "startTransaction",
        isolationLevel,
      });
      return {
        ...queryable(tx),
        options,
        commit: () => call({ op: "commit", tx }),
        rollback: () => call({ op: "rollback", tx }),
      };
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => {},
  };

  return {
    kind: "worker",
    executePrepared: (steps) => call({ op: "prepared", steps }),
    connectAdapter: async () => adapter,
    async close() {
      if (closed) return;
      try {
        await call({ op: "close" });
      } finally {
        closed = true;
        await worker.terminate();
      }
    },
    get closed() {
      return closed;
    },
  };
}

function reviveError(error: NonNullable<ThreadReply["error"]>): Error {
  if (error.name === "DriverAdapterError" && error.cause) {
    return new DriverAdapterError(error.cause as ConstructorParameters<typeof DriverAdapterError>[0]);
  }
  const revived = new Error(error.message) as Error & { code?: string };
  revived.name = error.name;
  if (error.code) revived.code = error.code;
  return revived;
}
