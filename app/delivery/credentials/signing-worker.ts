/**
 * The credential-signing thread (a node:worker_threads thread started by ./signing-thread.server.ts): signs
 * credentials from plain data (./sign-credential.ts), off the server's event loop, one at a time.
 */
import { parentPort } from "node:worker_threads";
import { runThisThreadInBackground } from "~/platform/workers/thread-priority.server";
import { signCredential, type SigningRequest } from "./sign-credential";

// Issuing a session's records is batch work: pages and live rooms keep the CPU first when cores are contended.
runThisThreadInBackground();

parentPort!.on("message", (message: { id: number; request: SigningRequest }) => {
  signCredential(message.request).then(
    (signed) => parentPort!.postMessage({ id: message.id, signed }),
    (error: unknown) =>
      parentPort!.postMessage({ id: message.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
});
