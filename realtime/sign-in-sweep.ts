/**
 * Ended login sessions close their websockets. A grid, a minutes' text or a session room opened before a sign-out,
 * « Fermer cette session », a password change or reset kept its connection — and its write access — since only the
 * upgrade and the handshake read the cookie. The sweep looks up which of the login sessions holding connections in
 * this process still exist (one statement) and closes the connections of the others: at once when this process
 * or, in scale mode, another process ended one (`sweep()`, through `RealtimePort.signInsEnded` here or the socket.io
 * cluster adapter's `quorum:sign-ins-ended` there), and every `periodMs` for a message lost with Redis. A lookup that fails is logged and leaves the connections as they are
 * (the next sweep tries again): a database hiccup must not cut every member off.
 */

/** What holds connections opened with a login session: the Yjs server, the socket.io server. */
export type SignInHolder = {
  signInIds(): Set<string>;
  endSignIns(ended: ReadonlySet<string>): void;
};

export type SignInSweep = {
  /** Sweeps now; resolves once a sweep that started after this call has ended. */
  sweep(): Promise<void>;
  stop(): void;
};

export function startSignInSweep(options: {
  holders: SignInHolder[];
  /** Of these login sessions' ids, those that still exist. */
  stillOpen(ids: string[]): Promise<Set<string>>;
  periodMs: number;
  logger: { error(message: string, error?: unknown): void };
}): SignInSweep {
  const { holders, stillOpen, logger } = options;
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  async function sweepOnce(): Promise<void> {
    const held = new Set<string>();
    for (const holder of holders) for (const id of holder.signInIds()) held.add(id);
    if (held.size === 0) return;
    const open = await stillOpen([...held]);
    const ended = new Set([...held].filter((id) => !open.has(id)));
    if (ended.size === 0) return;
    for (const holder of holders) holder.endSignIns(ended);
  }

  function sweep(): Promise<void> {
    if (!running) {
      running = sweepOnce()
        .catch((error: unknown) => logger.error("[quorum] sessions fermées : connexions temps réel non vérifiées", error))
        .finally(() => {
          running = null;
        });
      return running;
    }
    // A sweep is reading: the caller's change may have committed after its read, so one more follows it.
    queued ??= running.then(() => {
      queued = null;
      return sweep();
    });
    return queued;
  }

  const timer = setInterval(() => void sweep(), options.periodMs);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
