/**
 * Bursts: many people sign in at the same moment (a sitting starts). Every sign-in writes its audit event, and the
 * audit chain takes one lock (and the embedded database has one connection), so their short transactions queue
 * behind each other. Prisma's defaults (2 s to start, 5 s to run) turned a long queue into 500s; these
 * transactions wait longer, and a queue longer still is answered as "busy, try again" (429), never a 500.
 */

import { AppError } from "~/platform/app-error";
import { BUSY_MESSAGE, isDatabaseBusy } from "./transient-errors";

/** Options for `prisma.$transaction` of requests that arrive in bursts (sign-in, sign-out, access events). */
export const BURST_TRANSACTION = { maxWait: 15_000, timeout: 20_000 } as const;

export { BUSY_MESSAGE, isDatabaseBusy } from "./transient-errors";

/** Runs `work`; a busy database becomes a RATE_LIMITED refusal (429, BUSY_MESSAGE) for the edge to show. */
export async function refusingWhenBusy<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDatabaseBusy(error)) throw new AppError("RATE_LIMITED", BUSY_MESSAGE);
    throw error;
  }
}
