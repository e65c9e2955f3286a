/**
 * Which of a person's organisations a request acts for (docs/decisions/0024-active-organisation.md).
 *
 * - A route that acts on a resource carrying its organisation (a session, a candidate, a dossier, a document…) decides
 *   with the person's role in THAT organisation: `membershipIn`.
 * - A list page or a creation form acts for the « organisation active »: the one the person chose in the header (kept on
 *   the login session), while it is still one of their memberships; otherwise the first organisation they manage, else
 *   their first membership (oldest first): `activeMembership`.
 */
import type { OrgRole } from "./permissions";

export type OrganisationMembership = { role: OrgRole; organisation: { id: string; name: string } };

/** Roles that manage an organisation (see all of its sessions, the desk, the archive). */
export const MANAGING_ROLES: ReadonlySet<OrgRole> = new Set(["ADMIN", "SECRETARIAT"]);

/** The person's membership in `organisationId`, or null (never a member, or no longer). */
export function membershipIn<M extends OrganisationMembership>(memberships: readonly M[], organisationId: string | null | undefined): M | null {
  if (!organisationId) return null;
  return memberships.find((m) => m.organisation.id === organisationId) ?? null;
}

/**
 * The active membership: the chosen one while the person still belongs to it, else the first organisation they manage,
 * else their first membership; null for a person in no organisation. The stored choice is never trusted on its own.
 */
export function activeMembership<M extends OrganisationMembership>(memberships: readonly M[], chosenOrganisationId: string | null | undefined): M | null {
  return membershipIn(memberships, chosenOrganisationId) ?? memberships.find((m) => MANAGING_ROLES.has(m.role)) ?? memberships[0] ?? null;
}
