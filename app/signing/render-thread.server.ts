/**
 * Runs a kind's PDF renderer in a worker thread (./render-worker.ts) with a time limit: a render never blocks the
 * event loop that carries every page and every live room, and one that overruns is stopped (the thread is
 * terminated and started again for the next render).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { RenderNotes } from "./kinds/grid/grid-pdf";

export type RenderThread = {
  render(kind: string, input: unknown): Promise<{ pdf: Uint8Array; notes: RenderNotes }>;
  close(): Promise<void>;
};

type Reply = { id: number; pdf?: Uint8Array; notes?: RenderNotes; error?: string };

export function createRenderThread(options: { timeoutMs: number }): RenderThread {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void }>();

  const failAll = (error: Error) => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  function start(): Worker {
    const entry = new URL("./render-worker.ts", import.meta.url).href;
    const started = new Worker(
      `const { register } = await import(${JSON.stringify(tsxEsmApi())}); register(); await import(${JSON.stringify(entry)});`,
      { eval: true, name: "pdf-render" },
    );
    started.unref();
    started.on("message", (reply: Reply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      waiting?.resolve(reply);
    });
    started.on("error", (error) => {
      if (worker === started) worker = null;
      failAll(error);
    });
    started.on("exit", (code) => {
      if (worker === started) worker = null;
      failAll(new Error(`le fil de rendu PDF s'est arrêté (code ${code})`));
    });
    return started;
  }

  async function render(kind: string, input: unknown) {
    worker ??= start();
    const current = worker;
    const id = nextId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await new Promise<Reply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
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
    }
  }

  return {
    render,
    async close() {
      const current = worker;
      worker = null;
      await current?.terminate();
    },
  };
}

/** tsx's ESM loader API (`tsx/esm/api`), as a file URL the worker can import: the worker runs TypeScript like the server. */
export function tsxEsmApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const { exports } = require(manifest) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(manifest), exports["./esm/api"].import.default)).href;
}
