/** The password rule shared by the change and reset forms (client and server). */
import { z } from "zod";

export const PASSWORD_MIN = 12;
export const newPasswordSchema = z
  .string({ required_error: "Saisissez un nouveau mot de passe." })
  .min(PASSWORD_MIN, `Le mot de passe doit compter au moins ${PASSWORD_MIN} caractères.`)
  .max(512, "Mot de passe trop long.");
