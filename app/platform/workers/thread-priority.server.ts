/**
 * Background priority for the server's batch threads (PDF rendering and sealing, credential signing): called from
 * inside such a thread, it raises that thread's nice value — and only that thread's: on Linux a nice value belongs
 * to a thread (setpriority(2) on its TID), so the event loop and the other threads keep theirs.
 *
 * Why: on a machine with few cores a PDF job at full speed takes a core the pages and the realtime path need; the
 * scheduler then preempts the event loop in the middle of a request and every page waits behind a document no one
 * is looking at yet. At nice 10 the thread still gets the spare CPU (an idle machine renders as fast as before) and
 * about a tenth of a contended core, so pages get the CPU first (docs/decisions/0015-background-threads.md).
 *
 * Lowering one's own priority needs no privilege. Elsewhere than Linux (no per-thread nice through this call) it does
 * nothing. QUORUM_BACKGROUND_NICE sets the value (0 keeps the normal priority).
 *
 * The embedded database's thread (PGlite, app/platform/db/pglite-thread.worker.ts) runs niced too, by
 * QUORUM_DATABASE_THREAD_NICE (default 10): every page's queries go through it, but the event loop is what every page
 * and every edit waits for first, and the thread's own batch work (storing the Yjs journal's rows each second, the
 * log's VACUUM) must not take the CPU from it (docs/decisions/0005-pglite-worker-thread.md).
 */
import { readlinkSync } from "node:fs";
import os from "node:os";

export const DEFAULT_BACKGROUND_NICE = 10;

/** The calling thread's kernel id (Linux), read from /proc/thread-self → "<pid>/task/<tid>". */
export function currentThreadId(): number | null {
  if (process.platform !== "linux") return null;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** The nice value to apply, from `variable` (0–19; QUORUM_BACKGROUND_NICE by default), else the default. */
export function backgroundNice(env: NodeJS.ProcessEnv = process.env, variable = "QUORUM_BACKGROUND_NICE"): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === "") return DEFAULT_BACKGROUND_NICE;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 && value <= 19 ? value : DEFAULT_BACKGROUND_NICE;
}

/**
 * Lowers the calling thread's priority to `nice` (never raises it: a thread already nicer keeps its value).
 * Returns the thread's nice value afterwards, or null where it cannot be set.
 */
export function runThisThreadInBackground(nice = backgroundNice()): number | null {
  const tid = currentThreadId();
  if (tid === null) return null;
  try {
    const current = os.getPriority(tid);
    if (nice > current) os.setPriority(tid, nice);
    return os.getPriority(tid);
  } catch {
    return null;
  }
}
