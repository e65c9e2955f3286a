/**
 * Runs a kind's PDF renderer in a worker thread (./render-worker.ts) with a time limit: a render never blocks the
 * event loop that carries every page and every live room, and one that overruns is stopped (the thread is
 * terminated and started again for the next render).
 *
 * The thread starts with the first render and exits after `idleMs` without one: PDFs come in bursts (a session's
 * signatures), and an idle thread holds a V8 heap, the fonts and pdf-lib (~40–90 MiB of RSS,
 * docs/decisions/0013-server-memory.md) for nothing.
 */
import type { Worker } from "node:worker_threads";
import { startTsWorker } from "../platform/workers/ts-worker.server";
import type { RenderNotes } from "./kinds/grid/grid-pdf";

export type RenderThread = {
  render(kind: string, input: unknown): Promise<{ pdf: Uint8Array; notes: RenderNotes }>;
  /** Whether the thread is running now (between a render and the end of its idle delay). */
  readonly running: boolean;
  close(): Promise<void>;
};

type Reply = { id: number; pdf?: Uint8Array; notes?: RenderNotes; error?: string };

export function createRenderThread(options: { timeoutMs: number; idleMs?: number }): RenderThread {
  const idleMs = options.idleMs ?? 10_000;
  let worker: Worker | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let nextId = 1;
  const pending = new Map<number, { owner: Worker; resolve(reply: Reply): void; reject(error: Error): void }>();

  /** The renders sent to `owner` fail (a thread that stopped, or was stopped, answers no more). */
  const failAll = (owner: Worker, error: Error) => {
    for (const [id, waiting] of pending) {
      if (waiting.owner !== owner) continue;
      pending.delete(id);
      waiting.reject(error);
    }
  };

  function start(): Worker {
    // Bundled by `npm run build` for the production server, else the TypeScript entry through tsx.
    const started = startTsWorker(new URL("./render-worker.ts", import.meta.url), { name: "pdf-render" });
    started.unref();
    started.on("message", (reply: Reply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    started.on("error", (error) => {
      if (worker === started) worker = null;
      failAll(started, error);
    });
    started.on("exit", (code) => {
      if (worker === started) worker = null;
      failAll(started, new Error(`le fil de rendu PDF s'est arrêté (code ${code})`));
    });
    return started;
  }

  /** No render in flight: the thread exits after `idleMs` unless another render comes first. */
  function idleLater() {
    clearTimeout(idleTimer);
    const current = worker;
    if (!current || pending.size > 0) return;
    idleTimer = setTimeout(() => {
      if (worker !== current || pending.size > 0) return;
      worker = null;
      void current.terminate();
    }, idleMs);
    idleTimer.unref();
  }

  async function render(kind: string, input: unknown) {
    clearTimeout(idleTimer);
    worker ??= start();
    const current = worker;
    const id = nextId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await new Promise<Reply>((resolve, reject) => {
        pending.set(id, { owner: current, resolve, reject });
        timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`rendu PDF interrompu après ${options.timeoutMs} ms`));
          if (worker === current) worker = null;
          void current.terminate();
        }, options.timeoutMs);
        current.postMessage({ id, kind, input });
      });
      if (reply.error || !reply.pdf) throw new Error(reply.error ?? "rendu PDF vide");
      return { pdf: reply.pdf, notes: reply.notes ?? { replacedCharacters: [] } };
    } finally {
      clearTimeout(timer);
      idleLater();
    }
  }

  return {
    render,
    get running() {
      return worker !== null;
    },
    async close() {
      clearTimeout(idleTimer);
      const current = worker;
      worker = null;
      await current?.terminate();
    },
  };
}
