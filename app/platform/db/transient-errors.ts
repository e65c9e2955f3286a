/**
 * Database failures that are nobody's mistake: the transaction was rolled back whole (nothing written) because the
 * database could not take it in time or gave up on it against another transaction, and the same request may simply
 * be sent again. Recognised by shape (no Prisma import: `app-error.ts` maps them for every use case's edge).
 *
 * - busy: Prisma's P2028, the transaction could not start within its maxWait or ran past its timeout (a queue of
 *   transactions on the embedded database's single connection, or an exhausted pool);
 * - contended: PostgreSQL aborted it against a concurrent one: deadlock (40P01), serialization failure (40001, which
 *   Prisma reports as P2034), lock not available (55P03). Lock order is kept so that these do not happen between
 *   Quorum's own commands (tests/integration/scale.test.ts); this is the net under it, not the rule.
 */

/** What the user reads when the database could not take the request in time (with a 429). */
export const BUSY_MESSAGE = "Trop de connexions en même temps : réessayez dans quelques secondes.";

/** What the user reads when the database gave up on the request against a concurrent one (with a 409). */
export const CONTENDED_MESSAGE =
  "Une autre opération modifiait les mêmes données au même moment : rien n'a été enregistré. Réessayez.";

const CONTENDED_SQLSTATES = new Set(["40P01", "40001", "55P03"]);

type ErrorLike = { name?: unknown; code?: unknown; cause?: unknown };

/** Prisma's P2028 ("Transaction API error"). */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Error && error.name === "PrismaClientKnownRequestError" && (error as ErrorLike).code === "P2028";
}

/**
 * A transaction PostgreSQL aborted against another: Prisma's P2034, or the driver adapter's error (itself, or as the
 * cause of Prisma's) carrying one of the SQLSTATEs above.
 */
export function isDatabaseContended(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const e = current as ErrorLike;
    if (e.name === "PrismaClientKnownRequestError" && e.code === "P2034") return true;
    if (e.name === "DriverAdapterError" && e.cause && typeof e.cause === "object") {
      const cause = e.cause as { code?: unknown; originalCode?: unknown; kind?: unknown };
      if (cause.kind === "TransactionWriteConflict") return true;
      if (CONTENDED_SQLSTATES.has(String(cause.originalCode ?? cause.code))) return true;
    }
    current = e.cause;
  }
  return false;
}
