/**
 * A queue's runner in one process (the render jobs, the outbox's e-mails): `kick()` starts a pass over the queue now,
 * or, during a pass, one more right after it — a kick is never lost, two passes never overlap. A pass reads
 * `stopping()` to end early; `stop()` starts no other pass and waits for the one in progress.
 */
export type DrainLoop = { kick(): void; idle(): Promise<void>; stop(): Promise<void> };

export function drainLoop(pass: (stopping: () => boolean) => Promise<void>, onError: (error: unknown) => void): DrainLoop {
  let stopping = false;
  let running: Promise<void> | null = null;
  let again = false;
  const isStopping = () => stopping;

  async function drain() {
    do {
      again = false;
      await pass(isStopping);
    } while (again && !stopping);
  }

  function kick() {
    if (stopping) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch(onError)
      .finally(() => {
        running = null;
      });
  }

  return {
    kick,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopping = true;
      await running;
    },
  };
}
