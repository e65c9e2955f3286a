/**
 * The minutes' remarks schema, enforced on every update (./schema) of a `minutes:<sessionId>` document
 * (app/domain/minutes.ts): the one Y.Text `remarks`, text only, at most MINUTES_REMARKS_MAX_LENGTH safe characters
 * (./text-schema) — they are sealed and printed in the procès-verbal as written.
 */
import { MINUTES_REMARKS_MAX_LENGTH, MINUTES_REMARKS_TEXT } from "~/domain/minutes";
import { singleTextSchema } from "./text-schema";

export const MINUTES_REFUSALS = {
  unknownPart: "Modification refusée : ce document ne contient que les observations de la séance.",
  notText: "Modification refusée : les observations n'acceptent que du texte.",
  tooLong: `Modification refusée : les observations ne peuvent dépasser ${MINUTES_REMARKS_MAX_LENGTH.toLocaleString("fr-FR")} caractères.`,
  character: (code: string) => `Modification refusée : caractère interdit (${code}).`,
  unprintable: (character: string) => `Modification refusée : le caractère ${character} ne peut pas figurer dans le document signé (sa police ne l'a pas) : retirez-le.`,
} as const;

export const minutesSchema = singleTextSchema({
  root: MINUTES_REMARKS_TEXT,
  maxLength: MINUTES_REMARKS_MAX_LENGTH,
  refusals: MINUTES_REFUSALS,
});
