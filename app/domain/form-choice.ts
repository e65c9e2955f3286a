/**
 * A closed choice of a form (a select, radio buttons): a value outside it — a tampered or stale form — gets the
 * field's French message, never zod's English « Invalid enum value. Expected … received … ». The one way form
 * schemas declare a choice.
 */
import { z } from "zod";

export function choiceOf<U extends string, T extends Readonly<[U, ...U[]]>>(values: T, message: string) {
  return z.enum(values, { errorMap: () => ({ message }) });
}
