/**
 * A closed choice of a form (a select, radio buttons): a value outside it — a tampered or stale form — gets the
 * field's French message, never zod's English « Invalid enum value. Expected … received … ». The one way form
 * schemas declare a choice.
 */
import { z } from "zod";

export function choiceOf<U extends string, T extends Readonly<[U, ...U[]]>>(values: T, message: string) {
  return z.enum(values, { errorMap: () => ({ message }) });
}

/** A form action's answer to an intent it does not know (a tampered or stale form). */
export const UNKNOWN_ACTION = "Action inconnue.";

/** A form's `intent` field: its one value, anything else the French « Action inconnue. ». */
export function intentOf<T extends string>(intent: T) {
  return choiceOf([intent] as [T], UNKNOWN_ACTION);
}

const RELOAD = "rechargez la page et recommencez.";

/**
 * French words for what a form schema does not word itself — a field missing or of another shape than the page
 * sends (a tampered form: `text.x=…`, `results=…`), a choice outside its list — instead of zod's English
 * (« Required », « Expected object, received string »). Given to parseWithZod as `errorMap`: a field's own message
 * (required_error, errorMap, a refinement's message) is kept.
 */
export const formErrorMap: z.ZodErrorMap = (issue, ctx) => {
  // Given to parse, this map runs last: a message the schema set is kept, only zod's own default is replaced.
  if (ctx.defaultError !== z.defaultErrorMap(issue, { data: ctx.data, defaultError: ctx.defaultError }).message) {
    return { message: ctx.defaultError };
  }
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      return { message: issue.received === "undefined" ? `Champ manquant : ${RELOAD}` : `Valeur invalide : ${RELOAD}` };
    case z.ZodIssueCode.invalid_literal:
    case z.ZodIssueCode.invalid_enum_value:
    case z.ZodIssueCode.invalid_union:
    case z.ZodIssueCode.invalid_union_discriminator:
      return { message: `Choix inconnu : ${RELOAD}` };
    case z.ZodIssueCode.too_big:
      return { message: issue.type === "string" ? `${Number(issue.maximum)} caractères au plus.` : `Valeur trop grande : ${RELOAD}` };
    case z.ZodIssueCode.too_small:
      return { message: issue.type === "string" ? "Ce champ est vide." : `Valeur trop petite : ${RELOAD}` };
    default:
      return { message: `Valeur invalide : ${RELOAD}` };
  }
};
