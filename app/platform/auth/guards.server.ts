/**
 * Guards are verbs that throw: a loader or action reads top to bottom without branches.
 * The session itself is resolved once per request by the server (server.ts) and handed over in the load context, as a
 * promise: the server reads it while Remix routes the request, and a loader may start reading its own data before it
 * awaits the guard (nothing it read leaves before the guard has passed).
 */
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { ACCESS_ACTIONS, recordAccess } from "~/platform/audit/record-access.server";
import { signedInMemberships } from "./memberships.server";
import { ALL_PERMISSIONS, hasPermission, type Permission } from "~/domain/permissions";
import { MANAGING_ROLES, membershipIn } from "~/domain/active-organisation";
import { organisationOfResource, type OrgResource } from "./resource-organisation.server";
import type { SessionMembership, SessionUser } from "./session.server";

type Args = { request: Request; context: AppLoadContext };

export async function getUser({ context }: Pick<Args, "context">): Promise<SessionUser | null> {
  return (await context.auth)?.user ?? null;
}

export async function requireUser({ request, context }: Args): Promise<SessionUser> {
  const user = await getUser({ context });
  if (!user) {
    const url = new URL(request.url);
    const redirectTo = `${url.pathname}${url.search}`;
    throw redirect(redirectTo === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(redirectTo)}`);
  }
  return user;
}

export async function requireAnonymous({ context }: Pick<Args, "context">): Promise<void> {
  if (await getUser({ context })) throw redirect("/");
}

export type { OrgRole } from "~/domain/permissions";
export type { OrgResource } from "./resource-organisation.server";

/** Roles that manage an organisation's sessions (see all of them, not only the ones they sit on). */
export { MANAGING_ROLES };

export { safeRedirect } from "~/platform/security/redirect";

export type OrgAccess = { user: SessionUser; organisationId: string; organisationName: string; role: SessionMembership["role"] };

/**
 * The membership a request acts with (docs/decisions/0024-active-organisation.md): for a route on a `resource` that
 * carries its organisation, the person's role in THAT organisation (read only when they have several memberships: with
 * one, they act there and the use case's scoping answers « introuvable » for anything else); for a list page or a
 * creation form, the « organisation active » chosen in the header, re-checked against the memberships read with the
 * sign-in. A resource of an organisation they do not belong to (or none) falls back to the active one: the use case,
 * scoped to it, then finds nothing.
 */
async function actingMembership(args: Args, resource: OrgResource | undefined) {
  const user = await requireUser(args);
  const { memberships, active } = await signedInMemberships(user.id);
  if (!resource || memberships.length <= 1) return { user, memberships, membership: active, forResource: false };
  const inResource = membershipIn(memberships, await organisationOfResource(resource));
  return { user, memberships, membership: inResource ?? active, forResource: inResource !== null };
}

async function refuse(args: Args, userId: string, organisationId: string | null, data_: Record<string, unknown>, message: string): Promise<never> {
  await recordAccess({
    action: ACCESS_ACTIONS.accessRefused,
    actorId: userId,
    organisationId,
    subjectType: "Route",
    subjectId: new URL(args.request.url).pathname,
    data: { ...data_, method: args.request.method },
    ip: args.context.clientIp,
    userAgent: args.request.headers.get("user-agent"),
  });
  throw data(message, { status: 403 });
}

/** « …dans l'organisation active (X) » when the person could act in another of theirs. */
function refusalMessage(base: string, acting: { membership: SessionMembership | null; memberships: SessionMembership[]; forResource: boolean }, could: (m: SessionMembership) => boolean) {
  const { membership, memberships, forResource } = acting;
  if (!membership || forResource || !memberships.some((m) => m !== membership && could(m))) return base;
  return `${base} Vous agissez pour l'organisation active « ${membership.organisation.name} » : choisissez une autre organisation dans l'en-tête.`;
}

/**
 * The signed-in user with `permission` in the organisation the request acts for (the resource's, else the active
 * one: actingMembership), or a 403. Every back-office loader and action starts with this; queries are then scoped to
 * `organisationId`.
 */
export async function requireOrgPermission(args: Args, permission: Permission, resource?: OrgResource): Promise<OrgAccess> {
  const acting = await actingMembership(args, resource);
  const { user, membership } = acting;
  if (!membership || !hasPermission(membership.role, permission)) {
    const message = refusalMessage("Vous n'avez pas les droits nécessaires pour cette page ou cette action.", acting, (m) => hasPermission(m.role, permission));
    return refuse(args, user.id, membership?.organisation.id ?? null, { permission }, message);
  }
  return { user, organisationId: membership.organisation.id, organisationName: membership.organisation.name, role: membership.role };
}

/** Permissions of the user's role in their « organisation active », for hiding controls in the UI (the server still checks). */
export async function listPermissions(userId: string): Promise<Permission[]> {
  const { active } = await signedInMemberships(userId);
  return active ? ALL_PERMISSIONS.filter((p) => hasPermission(active.role, p)) : [];
}

export type OrganisationChoice = { activeId: string; organisations: Array<{ id: string; name: string; role: SessionMembership["role"] }> };

/** The header's « Organisation active » selector: null for a person with fewer than two organisations (no selector). */
export async function organisationChoice(userId: string): Promise<OrganisationChoice | null> {
  const { memberships, active } = await signedInMemberships(userId);
  if (memberships.length < 2 || !active) return null;
  return { activeId: active.organisation.id, organisations: memberships.map((m) => ({ id: m.organisation.id, name: m.organisation.name, role: m.role })) };
}

/**
 * The signed-in user with any role in the organisation the request acts for (the resource's, else the active one), or
 * a 403. For pages every member reaches but whose content depends on the role (the archive: managing roles see the
 * organisation's documents, members only those of the sessions they sat on — decided by the use case).
 */
export async function requireOrgMember(args: Args, resource?: OrgResource): Promise<OrgAccess & { manages: boolean }> {
  const { user, membership } = await actingMembership(args, resource);
  if (!membership) throw data("Vous n'appartenez à aucune organisation.", { status: 403 });
  return {
    user,
    organisationId: membership.organisation.id,
    organisationName: membership.organisation.name,
    role: membership.role,
    manages: MANAGING_ROLES.has(membership.role),
  };
}

/** The secretariat or an administrator of the organisation the request acts for (the desk, delivery, declarations). */
export async function requireManager(args: Args, resource?: OrgResource): Promise<OrgAccess> {
  const acting = await actingMembership(args, resource);
  const { user, membership } = acting;
  if (!membership) throw data("Vous n'appartenez à aucune organisation.", { status: 403 });
  if (!MANAGING_ROLES.has(membership.role)) {
    const message = refusalMessage("Cette page est réservée au secrétariat et à l'administration.", acting, (m) => MANAGING_ROLES.has(m.role));
    throw data(message, { status: 403 });
  }
  return { user, organisationId: membership.organisation.id, organisationName: membership.organisation.name, role: membership.role };
}
