/**
 * The préconisations' schema, enforced on every update (./schema) of a `preconisations:<sessionId>:<agendaItemId>`
 * document (app/domain/preconisations.ts): the one Y.Text `preconisations`, text only, at most 10,000 safe
 * characters (./text-schema).
 */
import { PRECONISATIONS_MAX_LENGTH, PRECONISATIONS_TEXT } from "~/domain/preconisations";
import { singleTextSchema } from "./text-schema";

export const PRECONISATIONS_REFUSALS = {
  unknownPart: "Modification refusée : ce document ne contient que le texte des préconisations.",
  notText: "Modification refusée : les préconisations n'acceptent que du texte.",
  tooLong: `Modification refusée : les préconisations ne peuvent dépasser ${PRECONISATIONS_MAX_LENGTH.toLocaleString("fr-FR")} caractères.`,
  character: (code: string) => `Modification refusée : caractère interdit (${code}).`,
  unprintable: (character: string) => `Modification refusée : le caractère ${character} ne peut pas figurer dans le document signé (sa police ne l'a pas) : retirez-le.`,
} as const;

export const preconisationsSchema = singleTextSchema({
  root: PRECONISATIONS_TEXT,
  maxLength: PRECONISATIONS_MAX_LENGTH,
  refusals: PRECONISATIONS_REFUSALS,
});
