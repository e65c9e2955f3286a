/**
 * One refusal shape for every use case (after Documenso's AppError): a use case throws `AppError` — inside a
 * transaction this rolls everything back, so nothing is half-written — and the edge (a route's action or loader,
 * a socket.io handler) maps it once with `refusalOf` to what the user sees: French messages for the whole form
 * and/or per field, with the HTTP status. Anything else thrown is a bug and stays a 500.
 */
import { BUSY_MESSAGE, CONTENDED_MESSAGE, isDatabaseBusy, isDatabaseContended } from "./db/transient-errors";

/** Who performs a command: the signed-in user in an organisation, with the request's address and agent for the audit. */
export type Actor = { userId: string; organisationId: string; ip: string | null; userAgent: string | null };

/** Closed list of refusal kinds; the status follows from the kind unless given. */
export type AppErrorCode =
  | "NOT_FOUND" // unknown, or not in the actor's organisation (never says which)
  | "FORBIDDEN" // authenticated but not allowed
  | "INVALID" // bad input: see fieldErrors / formErrors
  | "CONFLICT" // the state forbids it now (sealed, closed, already decided…)
  | "RATE_LIMITED"
  | "UNAVAILABLE"; // a dependency is down: try again

const STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  INVALID: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/** What the edge hands the page: the same shape for every refusal of every use case. */
export type Refusal = {
  ok: false;
  code: AppErrorCode;
  status: number;
  formErrors: string[];
  fieldErrors: Record<string, string[]>;
};

export type Result<T = object> = ({ ok: true } & T) | Refusal;

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;
  readonly fieldErrors: Record<string, string[]>;
  /** Further French lines shown under the message (e.g. what is missing before signing). */
  readonly details: string[];

  constructor(
    code: AppErrorCode,
    message: string,
    options: { status?: number; fieldErrors?: Record<string, string[]>; details?: string[] } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = options.status ?? STATUS[code];
    this.fieldErrors = options.fieldErrors ?? {};
    this.details = options.details ?? [];
  }

  /** A refusal tied to one form field. */
  static field(field: string, message: string, code: AppErrorCode = "INVALID"): AppError {
    return new AppError(code, message, { fieldErrors: { [field]: [message] } });
  }
}

/**
 * The refusal to show for an AppError, or for a transaction the database rolled back whole and that may be sent
 * again (busy: 429; given up against a concurrent one: 409; app/platform/db/transient-errors.ts); anything else is
 * rethrown (a bug, answered 500 by the framework).
 */
export function refusalOf(error: unknown): Refusal {
  if (isDatabaseBusy(error) || isDatabaseContended(error)) {
    const busy = isDatabaseBusy(error);
    console.warn(`[db] transaction rolled back (${busy ? "busy" : "contended"}), the user is asked to retry: ${String(error).slice(0, 200)}`);
    return refusal(busy ? "RATE_LIMITED" : "CONFLICT", [busy ? BUSY_MESSAGE : CONTENDED_MESSAGE]);
  }
  if (error instanceof AppError) {
    const fieldOnly = Object.keys(error.fieldErrors).length > 0 && error.details.length === 0;
    return {
      ok: false,
      code: error.code,
      status: error.status,
      formErrors: fieldOnly ? [] : [error.message, ...error.details],
      fieldErrors: error.fieldErrors,
    };
  }
  throw error;
}

/**
 * A refusal built directly, for a use case that answers a `Result` rather than throwing: several messages for the
 * whole form and/or per field (nothing was written).
 */
export function refusal(code: AppErrorCode, formErrors: string[], fieldErrors: Record<string, string[]> = {}): Refusal {
  return { ok: false, code, status: STATUS[code], formErrors, fieldErrors };
}

/** A refusal tied to one form field. */
export function fieldRefusal(field: string, ...messages: string[]): Refusal {
  return refusal("INVALID", [], { [field]: messages });
}

/** Runs a use case and answers its result, or the refusal it threw. */
export async function attempt<T extends object>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, ...(await run()) };
  } catch (error) {
    return refusalOf(error);
  }
}
