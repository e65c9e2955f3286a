/**
 * Worker-thread side of the embedded database (see ./pglite-thread.server): owns the process's PGlite and the
 * Prisma adapter over it, and answers the main thread's requests one message each. PGlite itself runs one
 * statement at a time and holds its transaction lock, so requests need no ordering here beyond arrival.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { SqlDriverAdapter, SqlQueryable, Transaction } from "@prisma/driver-adapter-utils";
import type { ThreadReply, ThreadRequest } from "./pglite-thread.server";
import { connectFixedAdapter, openPGlite } from "./pglite.server";
import { executePrepared } from "./pglite-prepared.server";
import { backgroundNice, runThisThreadInBackground } from "../workers/thread-priority.server";

// Behind the event loop for the CPU (see ../workers/thread-priority.server): this thread's batch work — the Yjs
// journal's rows stored each second, the log's VACUUM — then never preempts an edit or a page's rendering.
runThisThreadInBackground(backgroundNice(process.env, "QUORUM_DATABASE_THREAD_NICE"));

const port = parentPort;
if (!port) throw new Error("pglite-thread.worker must run in a worker thread");

const db = openPGlite((workerData as { dir: string }).dir);
let adapter: Promise<SqlDriverAdapter> | null = null;
const transactions = new Map<number, Transaction>();
let nextTransaction = 1;

function prismaAdapter(): Promise<SqlDriverAdapter> {
  adapter ??= connectFixedAdapter(db);
  return adapter;
}

async function queryable(tx: number | undefined): Promise<SqlQueryable> {
  if (tx === undefined) return prismaAdapter();
  const transaction = transactions.get(tx);
  if (!transaction) throw new Error(`transaction ${tx} inconnue (déjà terminée)`);
  return transaction;
}

function finish(tx: number): Transaction {
  const transaction = transactions.get(tx);
  if (!transaction) throw new Error(`transaction ${tx} inconnue (déjà terminée)`);
  transactions.delete(tx);
  return transaction;
}

async function handle(request: ThreadRequest): Promise<unknown> {
  switch (request.op) {
    case "ready":
      await db.waitReady;
      return null;
    case "prepared":
      return executePrepared(db, request.steps);
    case "queryRaw":
      return (await queryable(request.tx)).queryRaw(request.query);
    case "executeRaw":
      return (await queryable(request.tx)).executeRaw(request.query);
    case "executeScript":
      await (await prismaAdapter()).executeScript(request.script);
      return null;
    case "startTransaction": {
      const transaction = await (await prismaAdapter()).startTransaction(request.isolationLevel);
      const tx = nextTransaction++;
      transactions.set(tx, transaction);
      return { tx, options: transaction.options };
    }
    case "commit":
      await finish(request.tx).commit();
      return null;
    case "rollback":
      await finish(request.tx).rollback();
      return null;
    case "close":
      await db.close();
      return null;
  }
}

/** Errors cross as plain data; Prisma's DriverAdapterError keeps its `cause` (kind, code…) for the client. */
function serializeError(error: unknown): ThreadReply["error"] {
  if (error instanceof Error) {
    const { code } = error as { code?: unknown };
    const { cause } = error as { cause?: unknown };
    return {
      name: error.name,
      message: error.message,
      code: typeof code === "string" ? code : undefined,
      cause: error.name === "DriverAdapterError" && typeof cause === "object" ? structuredClone(cause) : undefined,
    };
  }
  return { name: "Error", message: String(error) };
}

port.on("message", (request: ThreadRequest) => {
  const reply = (message: ThreadReply) => {
    try {
      port.postMessage(message);
    } catch (error) {
      // A result that cannot be cloned (never seen): the caller gets an error, not a hang.
      port.postMessage({ id: request.id, error: serializeError(error) } satisfies ThreadReply);
    }
  };
  handle(request).then(
    (result) => reply({ id: request.id, result }),
    (error: unknown) => reply({ id: request.id, error: serializeError(error) }),
  );
});
