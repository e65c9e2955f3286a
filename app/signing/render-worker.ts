/**
 * The render worker (a node:worker_threads thread started by ./render-thread.server.ts): renders PDFs from plain data,
 * off the server's event loop. One request at a time; the parent terminates the thread when a render overruns.
 */
import { parentPort } from "node:worker_threads";
import { runThisThreadInBackground } from "../platform/workers/thread-priority.server";
import { RENDERERS } from "./renderers";

// A page or a live room never queues behind a PDF: this thread yields the CPU to them when cores are contended.
runThisThreadInBackground();

type Request = { id: number; kind: string; input: unknown };

parentPort!.on("message", (request: Request) => {
  void (async () => {
    try {
      const renderer = RENDERERS[request.kind];
      if (!renderer) throw new Error(`aucun rendu PDF pour « ${request.kind} »`);
      const { pdf, notes } = await renderer(request.input);
      parentPort!.postMessage({ id: request.id, pdf, notes }, [pdf.buffer as ArrayBuffer]);
    } catch (error) {
      parentPort!.postMessage({ id: request.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  })();
});
