/** The password rule and messages shared by the change and reset forms (client and server). */
import { z } from "zod";

export const PASSWORD_MIN = 12;
export const newPasswordSchema = z
  .string({ required_error: "Saisissez un nouveau mot de passe." })
  .min(PASSWORD_MIN, `Le mot de passe doit compter au moins ${PASSWORD_MIN} caractères.`)
  .max(512, "Mot de passe trop long.")
  // Twelve spaces count twelve characters and guard nothing; spaces among other characters are kept as typed.
  .refine((value) => value.trim() !== "", "Le mot de passe ne peut pas être fait que d'espaces.");

export const RESET_REQUESTED_MESSAGE =
  "Si un compte correspond à cette adresse, un courriel vient de lui être envoyé avec un lien valable 30 minutes.";
export const INVALID_INVITATION_LINK =
  "Ce lien d'invitation n'est plus valable (déjà utilisé ou plus de 7 jours). Si vous avez déjà choisi votre mot de passe, connectez-vous ; sinon, demandez à l'administration de votre organisation de vous inviter à nouveau.";
export const INVALID_RESET_LINK =
  "Ce lien de réinitialisation n'est plus valable (déjà utilisé ou plus de 30 minutes). Demandez-en un nouveau.";
