/**
 * The organisation's members (« Membres », the administration's page): who may sign in and with which role. Pure
 * rules, no I/O: the invitation form's schema (shared by the browser and the server) and the rule that an
 * organisation always keeps an administrator.
 */
import { z } from "zod";
import { ORG_ROLE_LABELS, type OrgRole } from "./permissions";
import { printableText } from "./safe-text";

export const ORG_ROLES = ["ADMIN", "SECRETARIAT", "MEMBER", "OBSERVER"] as const satisfies readonly OrgRole[];

/** How long an invitation's link lets its addressee choose a password. */
export const INVITATION_TTL_DAYS = 7;

const roleField = z.enum(ORG_ROLES, {
  errorMap: () => ({ message: `Choisissez un rôle : ${ORG_ROLES.map((r) => ORG_ROLE_LABELS[r]).join(", ")}.` }),
});

export const inviteMemberSchema = z.object({
  email: z
    .string({ required_error: "Saisissez l'adresse e-mail." })
    .trim()
    .min(1, "Saisissez l'adresse e-mail.")
    .max(200, "Adresse e-mail trop longue (200 caractères au plus).")
    .email("Adresse e-mail invalide.")
    .transform((value) => value.toLowerCase()),
  displayName: z
    // Short messages: a field's error that wraps over lines moves the button away when it disappears on blur,
    // between the press and the release of a click on « Envoyer l'invitation ».
    .string({ required_error: "Saisissez le nom de la personne." })
    .trim()
    .min(2, "Saisissez le nom de la personne.")
    .max(120, "120 caractères au plus.")
    .superRefine(printableText()),
  role: roleField,
});
export type InviteMemberInput = z.infer<typeof inviteMemberSchema>;

export const changeRoleSchema = z.object({
  userId: z.string({ required_error: "Membre inconnu." }).min(1, "Membre inconnu.").max(100, "Membre inconnu."),
  role: roleField,
});

export const memberRefSchema = z.object({
  userId: z.string({ required_error: "Membre inconnu." }).min(1, "Membre inconnu.").max(100, "Membre inconnu."),
});

export const LAST_ADMIN_MESSAGE =
  "L'organisation doit garder au moins une personne en administration, avec un compte activé (une invitation en attente ne compte pas) : nommez d'abord quelqu'un d'autre à ce rôle.";

/**
 * Whether the organisation would be left without an administrator when `userId` takes `nextRole` (null: leaves the
 * organisation). `admins` are the organisation's current administrators who can sign in (not those only invited).
 */
export function leavesNoAdmin(admins: readonly string[], userId: string, nextRole: OrgRole | null): boolean {
  if (nextRole === "ADMIN") return false;
  return admins.length > 0 && admins.every((id) => id === userId);
}

/** A member's state as the page shows it: invited (no password chosen yet) or active. */
export type MemberState = "invited" | "active";
export const MEMBER_STATE_LABELS: Record<MemberState, string> = {
  invited: "Invitation en attente",
  active: "Actif",
};
