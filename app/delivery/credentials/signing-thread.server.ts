/**
 * Signs credentials in a worker thread (./signing-worker.ts), started on the first signature and kept for the
 * process (unref'd: it never keeps the process alive). The canonicalisation that a Data Integrity proof needs
 * blocks for 25–70 ms per credential, 0.5 s for the first one: on the server's event loop that stalled every page
 * and live room while parchemins and attestations were issued. A thread that dies fails the signatures in flight and
 * is started again for the next one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import { startTsWorker } from "~/platform/workers/ts-worker.server";
import type { SigningRequest } from "./sign-credential";

type Reply = { id: number; signed?: Record<string, unknown>; error?: string };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();

/**
 * The worker's source. Beside this module when it runs from app/ (the server entry, tests); the Remix build bundles
 * this module into build/server/index.js (a route revokes a record), where the source is not: then from the
 * project's root, the server's working directory (like the data directory's default). The production server runs
 * the bundle `npm run build` made of it (build/node/signing-worker.js, vite.server.config.ts) instead.
 */
function workerEntry(): URL {
  const beside = new URL("./signing-worker.ts", import.meta.url);
  if (existsSync(beside)) return beside;
  return pathToFileURL(path.resolve("app/delivery/credentials/signing-worker.ts"));
}

function start(): Worker {
  const started = startTsWorker(workerEntry(), { name: "credential-signing" });
  started.unref();
  const failAll = (error: Error) => {
    if (worker === started) worker = null;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  started.on("message", (reply: Reply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    waiting?.resolve(reply);
  });
  started.on("error", failAll);
  started.on("exit", (code) => failAll(new Error(`le fil de signature des attestations numériques s'est arrêté (code ${code})`)));
  return started;
}

/** The credential signed with a Data Integrity proof (eddsa-rdfc-2022), computed in the signing thread. */
export async function signCredentialOffThread(request: SigningRequest): Promise<Record<string, unknown>> {
  worker ??= start();
  const current = worker;
  const id = nextId++;
  const reply = await new Promise<Reply>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    current.ref(); // while a signature is awaited, the thread keeps the process alive
    current.postMessage({ id, request });
  }).finally(() => {
    if (pending.size === 0) current.unref();
  });
  if (reply.error || !reply.signed) throw new Error(reply.error ?? "signature vide");
  return reply.signed;
}
